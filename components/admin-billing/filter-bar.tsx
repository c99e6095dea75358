"use client";
import { useId, useState, type FormEvent } from "react";
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
  const [form, setForm] = useState<BillingFilterForm>(EMPTY_BILLING_FILTERS);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const set = (name: FieldName) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setForm((f) => ({ ...f, [name]: value }));
    setErrors((er) => ({ ...er, [name]: undefined }));
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    const candidate = kind === "invoices" ? { ...form, method: "", flagged: false } : form;
    const input = filterInput(candidate);
    const parsed =
      kind === "invoices"
        ? adminInvoiceFiltersSchema.safeParse({ search: input.search, status: input.status, from: input.from, to: input.to })
        : adminPaymentFiltersSchema.safeParse(input);
    if (!parsed.success) {
      const next: Partial<Record<FieldName, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as FieldName | undefined;
        if (field && !next[field]) next[field] = t(issue.message as MessageKey);
      }
      setErrors(next);
      return;
    }
    setErrors({});
    onApply(candidate);
  }

  function clear() {
    setForm(EMPTY_BILLING_FILTERS);
    setErrors({});
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
            value={form.search}
            onChange={set("search")}
            error={errors.search}
            autoComplete="off"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-status`} className="block text-sm font-medium text-slate-800">
            {t("adminBilling.common.status")}
          </label>
          <select id={`${id}-status`} value={form.status} onChange={set("status")} className={selectClass}>
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
            <select id={`${id}-method`} value={form.method} onChange={set("method")} className={selectClass}>
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
          value={form.from}
          onChange={set("from")}
          error={errors.from}
          help={t("adminBilling.common.datesHelp", { timezone: ADMIN_BILLING_TIMEZONE })}
        />
        <Field id={`${id}-to`} type="date" label={t("adminBilling.common.to")} value={form.to} onChange={set("to")} error={errors.to} />
        {kind === "payments" ? (
          <label className="flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-800">
            <input
              type="checkbox"
              checked={form.flagged}
              onChange={(e) => setForm((f) => ({ ...f, flagged: e.target.checked }))}
              className="h-4 w-4 rounded border-slate-300"
            />
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
