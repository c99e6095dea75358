"use client";
import { useId, type ReactNode } from "react";
import { adminAuditFiltersSchema, auditFiltersSchema } from "@/lib/schemas/audit";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useZodForm } from "@/components/forms/use-zod-form";
import { ACTION_GROUPS, KNOWN_ACTIONS, actionLabel, groupLabel } from "./action-label";

/** The filter form's values: what the user typed (validated on apply with the server's schema). */
export interface AuditFilterForm {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
  q: string;
  tenant: string;
  platformOnly: boolean;
}

export const EMPTY_FILTERS: AuditFilterForm = {
  actor: "",
  action: "",
  targetType: "",
  targetId: "",
  from: "",
  to: "",
  q: "",
  tenant: "",
  platformOnly: false,
};

type FieldName = keyof AuditFilterForm;

/**
 * Filters of the audit log. Fields stack on phones, two columns from 640 px, four from 1024 px;
 * errors show next to their field; "Export CSV" downloads exactly what the table shows.
 */
export function AuditFilterBar({
  admin,
  initial,
  onApply,
  exportHref,
  exportGate = null,
}: {
  admin: boolean;
  initial: AuditFilterForm;
  onApply: (filters: AuditFilterForm) => void;
  exportHref: string;
  /** set when the plan does not include the export: the link is disabled and this hint shown */
  exportGate?: ReactNode;
}) {
  const noExport = exportGate !== null;
  const { t } = useI18n();
  const id = useId();
  // what is applied: a workspace's log has no tenant or platform filter
  const candidate = (f: AuditFilterForm): AuditFilterForm => (admin ? f : { ...f, tenant: "", platformOnly: false });
  const form = useZodForm(admin ? adminAuditFiltersSchema : auditFiltersSchema, initial, { toInput: candidate });
  const errors = form.formState.errors;

  const submit = form.handleSubmit(() => onApply(candidate(form.getValues())));

  function clear() {
    form.reset(EMPTY_FILTERS);
    onApply(EMPTY_FILTERS);
  }

  const text = (name: Exclude<FieldName, "platformOnly">, label: string, extra: Record<string, string> = {}) => (
    <Field id={`${id}-${name}`} label={label} {...form.register(name)} error={errors[name]?.message} autoComplete="off" {...extra} />
  );

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={t("audit.filters")}
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {admin ? text("tenant", t("audit.tenant"), { help: t("audit.tenantHelp"), inputMode: "url" }) : null}
        {text("actor", t("audit.actor"), { help: t("audit.actorHelp") })}
        {text("action", t("audit.action"), { help: t("audit.actionHelp"), list: `${id}-actions` })}
        {text("targetType", t("audit.targetType"))}
        {text("targetId", t("audit.targetId"))}
        {text("from", t("audit.from"), { type: "date" })}
        {text("to", t("audit.to"), { type: "date" })}
        {text("q", t("audit.search"), { help: t("audit.searchHelp"), type: "search" })}
        {admin ? (
          <div className="flex items-end pb-2">
            <label className="inline-flex items-center gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                {...form.register("platformOnly")}
                aria-invalid={errors.platformOnly ? true : undefined}
                aria-describedby={errors.platformOnly ? `${id}-platformOnly-error` : undefined}
              />
              {t("audit.platformOnly")}
            </label>
            {errors.platformOnly ? (
              <p id={`${id}-platformOnly-error`} role="alert" className="ml-2 text-sm text-red-700">
                {errors.platformOnly.message}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
      <datalist id={`${id}-actions`}>
        {ACTION_GROUPS.map((g) => (
          <option key={g} value={`${g}.`} label={t("audit.allInGroup", { group: groupLabel(t, g) })} />
        ))}
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a} label={actionLabel(t, a)} />
        ))}
      </datalist>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <Button type="submit">{t("audit.apply")}</Button>
        <Button type="button" variant="secondary" onClick={clear}>
          {t("audit.reset")}
        </Button>
        {noExport ? (
          <span
            aria-disabled="true"
            className="inline-flex min-h-10 cursor-not-allowed items-center justify-center rounded-lg border border-slate-200 bg-slate-50 px-4 py-2 text-sm font-medium text-slate-400 sm:ml-auto"
            data-testid="audit-export"
          >
            {t("audit.exportCsv")}
          </span>
        ) : (
          <a
            href={exportHref}
            download
            className="inline-flex min-h-10 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 sm:ml-auto"
            data-testid="audit-export"
          >
            {t("audit.exportCsv")}
          </a>
        )}
      </div>
      {exportGate}
    </form>
  );
}
