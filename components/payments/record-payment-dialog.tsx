"use client";
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { minorToDecimal, parseMoney } from "@/lib/money";
import { todayIn } from "@/lib/dates";
import { isOpenRentInvoice, type RentInvoiceStatusName } from "@/lib/rentals/invoice-state";
import { RENT_PAYMENT_METHODS, recordRentPaymentSchema, type RentPaymentMethod } from "@/lib/schemas/rent-payments";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { useCan } from "@/components/layout/permissions";

export interface RecordPaymentInvoice {
  id: string;
  number: string;
  currency: string;
  total: number;
  amountPaid: number;
  status: RentInvoiceStatusName;
}

type Values = { method: RentPaymentMethod; amount: string; reference: string; paidOn: string; receivedIn: string; khrPerUsd: string };

/**
 * "Record payment" for a rent invoice: cash or bank transfer (with its reference), any amount —
 * partial payments leave the invoice partly paid, more than is due becomes contract credit.
 * Hidden without payments.record or when the invoice takes no payments.
 */
export function RecordPaymentButton({ invoice, timeZone }: { invoice: RecordPaymentInvoice; timeZone: string }) {
  const can = useCan();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!can("payments.record") || !isOpenRentInvoice(invoice.status)) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="record-payment">
        {t("rentPayments.record.button")}
      </Button>
      {open ? <RecordPaymentDialog invoice={invoice} timeZone={timeZone} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function RecordPaymentDialog({ invoice, timeZone, onClose }: { invoice: RecordPaymentInvoice; timeZone: string; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { t, fmt } = useI18n();
  const due = Math.max(0, invoice.total - invoice.amountPaid);
  const form = useZodForm(
    recordRentPaymentSchema,
    {
      method: "cash",
      amount: minorToDecimal(due, invoice.currency),
      reference: "",
      receivedIn: invoice.currency,
      khrPerUsd: "",
      // today in the workspace's zone, as the server dates payments: never the device's own clock
      paidOn: todayIn(timeZone),
    } as Values,
    {
      toInput: (values) => ({
        invoiceId: invoice.id,
        method: values.method,
        amount: parseMoney(values.amount, values.receivedIn) ?? Number.NaN,
        reference: values.reference,
        paidOn: values.paidOn,
        // received in the other currency (docs/CURRENCY.md): converted on the server at this rate or the day's
        ...(values.receivedIn !== invoice.currency && (values.receivedIn === "USD" || values.receivedIn === "KHR")
          ? { receivedCurrency: values.receivedIn, ...(values.khrPerUsd.trim() ? { khrPerUsd: Number(values.khrPerUsd.trim()) } : {}) }
          : {}),
      }),
    },
  );
  const { errors } = form.formState;
  const method = form.watch("method");
  const receivedIn = form.watch("receivedIn");
  const other = invoice.currency === "USD" ? "KHR" : invoice.currency === "KHR" ? "USD" : null;
  // a field's error goes as soon as it is changed
  const field = (name: keyof Values) => form.register(name, { onChange: () => form.clearErrors(name) });

  useEffect(() => {
    form.setFocus("method");
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [form, onClose]);

  const record = useFormMutation(form, trpc.rentPayments.record.mutationOptions(), {
    successToast: (r) =>
      r.credit > 0
        ? t("rentPayments.record.recordedCredit", { number: r.invoiceNumber, credit: fmt.money(r.credit, r.currency) })
        : t("rentPayments.record.recorded", { number: r.invoiceNumber, amount: fmt.money(r.applied, r.currency) }),
    errorFallback: "rentPayments.record.failed",
    onSuccess: () => {
      // the invoice page, lists, ledger and dashboard all read these figures
      void queryClient.invalidateQueries();
      router.refresh();
      onClose();
    },
  });

  const submit = form.handleSubmit((data) => record.mutate(data));

  const id = (name: string) => `record-payment-${name}`;
  return (
    <>
      <div className="fixed inset-0 z-40 bg-slate-900/40" aria-hidden="true" onClick={onClose} />
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={id("title")}
        data-testid="record-payment-dialog"
        className="fixed inset-x-0 bottom-0 z-50 max-h-[92vh] overflow-y-auto rounded-t-2xl bg-white p-5 shadow-xl sm:inset-auto sm:left-1/2 sm:top-1/2 sm:w-full sm:max-w-md sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-2xl"
      >
        <h2 id={id("title")} className="mb-4 text-lg font-semibold text-slate-900">
          {t("rentPayments.record.title", { number: invoice.number })}
        </h2>
        <form onSubmit={submit} noValidate className="space-y-4" aria-busy={record.isPending}>
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-800">{t("rentPayments.record.method")}</legend>
            <div className="grid grid-cols-2 gap-2">
              {RENT_PAYMENT_METHODS.map((m) => (
                <label
                  key={m}
                  className={`flex min-h-11 cursor-pointer items-center justify-center rounded-lg border px-3 text-sm font-medium ${
                    method === m ? "border-teal-700 bg-teal-50 text-teal-900" : "border-slate-300 text-slate-700"
                  }`}
                >
                  <input type="radio" value={m} {...field("method")} className="sr-only" data-testid={`record-payment-method-${m}`} />
                  {t(`rentPayments.method.${m}`)}
                </label>
              ))}
            </div>
            {errors.method ? (
              <p role="alert" className="text-sm text-red-700">
                {errors.method.message}
              </p>
            ) : null}
          </fieldset>
          {other ? (
            <div className="space-y-1">
              <label htmlFor={id("receivedIn")} className="block text-sm font-medium text-slate-800">
                {t("currency.record.receivedIn")}
              </label>
              <select
                id={id("receivedIn")}
                {...field("receivedIn")}
                className="min-h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm"
                data-testid="record-payment-received-in"
              >
                <option value={invoice.currency}>{invoice.currency}</option>
                <option value={other}>{other}</option>
              </select>
            </div>
          ) : null}
          {other && receivedIn !== invoice.currency ? (
            <Field
              id={id("khrPerUsd")}
              label={t("currency.record.rate")}
              help={t("currency.record.rateHelp")}
              inputMode="numeric"
              {...field("khrPerUsd")}
              error={errors.khrPerUsd?.message}
              data-testid="record-payment-rate"
            />
          ) : null}
          <Field
            id={id("amount")}
            label={t("rentPayments.record.amount", { currency: receivedIn })}
            help={t("rentPayments.record.amountHelp", { due: fmt.money(due, invoice.currency) })}
            inputMode="decimal"
            autoComplete="off"
            {...field("amount")}
            error={errors.amount?.message}
            data-testid="record-payment-amount"
          />
          <Field
            id={id("reference")}
            label={method === "bank_transfer" ? t("rentPayments.record.reference") : t("rentPayments.record.note")}
            help={method === "bank_transfer" ? t("rentPayments.record.referenceHelp") : undefined}
            maxLength={100}
            {...field("reference")}
            error={errors.reference?.message}
            data-testid="record-payment-reference"
          />
          <Field
            id={id("paidOn")}
            type="date"
            label={t("rentPayments.record.paidOn")}
            max={todayIn(timeZone)}
            {...field("paidOn")}
            error={errors.paidOn?.message}
            data-testid="record-payment-date"
          />
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button type="button" variant="secondary" onClick={onClose}>
              {t("rentPayments.record.cancel")}
            </Button>
            <Button type="submit" disabled={record.isPending} data-testid="record-payment-submit">
              {record.isPending ? t("rentPayments.record.saving") : t("rentPayments.record.submit")}
            </Button>
          </div>
        </form>
      </div>
    </>
  );
}
