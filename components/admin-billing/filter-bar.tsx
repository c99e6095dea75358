"use client";
import { useId } from "react";
import {
  ADMIN_BILLING_TIMEZONE,
  INVOICE_STATUS_FILTERS,
  PAYMENT_METHOD_FILTERS,
  PAYMENT_STATUS_FILTERS,
  adminInvoiceFiltersSchema,
  adminPaymentFiltersSchema,
} from "@/lib/schemas/billing";
import type { MessageKey } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useZodForm } from "@/components/forms/use-zod-form";

/** What the filter form holds (validated on Apply with the server's schema). */
export interface BillingFilterForm {
  search: string;
  status: string;
  method: string;
  flagged: boolean;
  from: string;
  to: string;
}

export const EMPTY_BILLING_FILTERS: BillingFilterForm = { search: "", status: "", method: "", flagged: false, from: "", to: "" };

/** The applied form as query input (empty fields left out). */
export function filterInput(form: BillingFilterForm) {
  return {
    search: form.search || undefined,
    status: form.status || undefined,
    method: form.method || undefined,
    flagged: form.flagged || undefined,
    from: form.from || undefined,
    to: form.to || undefined,
  };
}

type FieldName = keyof BillingFilterForm;

const selectClass = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900";

/**
 * Filters of the invoices and payments lists; fields stack on phones. "Export CSV" downloads
 * exactly what the list shows.
 */
export function BillingFilterBar({
  kind,
  onApply,
  exportHref,
}: {
  kind: "invoices" | "payments";
  onApply: (filters: BillingFilterForm) => void;
  exportHref: string;
}) {
  const { t } = useI18n();
  const id = useId();
  // what is applied: invoices have no method or flagged filter
  const candidate = (f: BillingFilterForm): BillingFilterForm => (kind === "invoices" ? { ...f, method: "", flagged: false } : f);
  const form = useZodForm<BillingFilterForm, unknown>(
    kind === "invoices" ? adminInvoiceFiltersSchema : adminPaymentFiltersSchema,
    EMPTY_BILLING_FILTERS,
    {
      toInput: (f) => {
        const input = filterInput(candidate(f));
        return kind === "invoices" ? { search: input.search, status: input.status, from: input.from, to: input.to } : input;
      },
    },
  );
  const errors = form.formState.errors;
  // a field's error goes as soon as it is changed
  const field = (name: FieldName) => form.register(name, { onChange: () => form.clearErrors(name) });

  const submit = form.handleSubmit(() => onApply(candidate(form.getValues())));

  function clear() {
    form.reset(EMPTY_BILLING_FILTERS);
    onApply(EMPTY_BILLING_FILTERS);
  }

  const statuses = kind === "invoices" ? INVOICE_STATUS_FILTERS : PAYMENT_STATUS_FILTERS;
  const statusKey = kind === "invoices" ? "invoiceStatus" : "paymentStatus";
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={t("adminBilling.common.filters")}
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div className="sm:col-span-2">
          <Field
            id={`${id}-search`}
            type="search"
            label={t(kind === "invoices" ? "adminBilling.invoices.search" : "adminBilling.payments.search")}
            {...field("search")}
            error={errors.search?.message}
            autoComplete="off"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-status`} className="block text-sm font-medium text-slate-800">
            {t("adminBilling.common.status")}
          </label>
          <select id={`${id}-status`} {...field("status")} className={selectClass}>
            <option value="">{t("adminBilling.common.allStatuses")}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`adminBilling.${statusKey}.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        {kind === "payments" ? (
          <div className="space-y-1">
            <label htmlFor={`${id}-method`} className="block text-sm font-medium text-slate-800">
              {t("adminBilling.payments.method")}
            </label>
            <select id={`${id}-method`} {...field("method")} className={selectClass}>
              <option value="">{t("adminBilling.payments.allMethods")}</option>
              {PAYMENT_METHOD_FILTERS.map((m) => (
                <option key={m} value={m}>
                  {t(`adminBilling.method.${m}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Field
          id={`${id}-from`}
          type="date"
          label={t("adminBilling.common.from")}
          {...field("from")}
          error={errors.from?.message}
          help={t("adminBilling.common.datesHelp", { timezone: ADMIN_BILLING_TIMEZONE })}
        />
        <Field id={`${id}-to`} type="date" label={t("adminBilling.common.to")} {...field("to")} error={errors.to?.message} />
        {kind === "payments" ? (
          <label className="flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-800">
            <input type="checkbox" {...form.register("flagged")} className="h-4 w-4 rounded border-slate-300" />
            {t("adminBilling.payments.flaggedOnly")}
          </label>
        ) : null}
      </div>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <Button type="submit">{t("adminBilling.common.apply")}</Button>
        <Button type="button" variant="secondary" onClick={clear}>
          {t("adminBilling.common.reset")}
        </Button>
        <a
          href={exportHref}
          download
          data-testid={`${kind}-export`}
          className="inline-flex min-h-10 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 sm:ml-auto"
        >
          {t("adminBilling.common.exportCsv")}
        </a>
      </div>
    </form>
  );
}
