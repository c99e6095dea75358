"use client";
import { useEffect, useRef } from "react";
import { useI18n } from "@/lib/i18n/client";
import { auditChanges, deviceLabel, targetLabel, targetReference } from "@/lib/audit-details";
import { actionLabel } from "./action-label";

/** What the drawer needs of an audit row (the workspace's and the console's rows both have it). */
export interface AuditDetailsRow {
  action: string;
  actorEmail: string | null;
  actorUserId: string | null;
  impersonator: { email: string | null } | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: unknown;
}

/**
 * One event in words, in a panel from the side (full width on a phone): what happened, who did it,
 * to which kind of record, each change as "field: before → after", and the device as "Chrome on
 * Android". No ids, no JSON, no raw browser string. Escape, the close button or the backdrop close it.
 */
export function AuditDetailsDrawer({ row, time, onClose }: { row: AuditDetailsRow; time: string; onClose: () => void }) {
  const { t } = useI18n();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      opener?.focus?.();
    };
  }, [onClose]);

  const lines = auditChanges(t, row.metadata);
  const device = deviceLabel(t, row.userAgent);
  const record = [targetLabel(t, row.targetType), targetReference(row.targetId)].filter(Boolean).join(" · ");
  const who = row.actorEmail ?? (row.actorUserId ? t("audit.formerMember") : t("audit.system"));
  const facts: [string, string][] = [
    [t("audit.time"), time],
    [t("audit.actor"), who],
    ...(row.impersonator ? ([[t("audit.supportStaff"), row.impersonator.email ?? t("audit.supportStaff")]] as [string, string][]) : []),
    ...(record ? ([[t("audit.what"), record]] as [string, string][]) : []),
    ...(device ? ([[t("audit.device"), device]] as [string, string][]) : []),
    ...(row.ip ? ([[t("audit.ip"), row.ip]] as [string, string][]) : []),
  ];

  return (
    <div className="fixed inset-0 z-40 flex justify-end" data-testid="audit-details">
      <button type="button" aria-hidden="true" tabIndex={-1} className="absolute inset-0 bg-slate-900/30" onClick={onClose} />
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="audit-details-title"
        className="relative flex h-full w-full max-w-md flex-col overflow-y-auto bg-white p-4 shadow-xl"
      >
        <div className="flex items-start justify-between gap-2">
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("audit.detailsTitle")}</p>
            <h2 id="audit-details-title" className="text-lg font-semibold text-slate-900">
              {actionLabel(t, row.action)}
            </h2>
          </div>
          <button
            ref={closeRef}
            type="button"
            onClick={onClose}
            className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-teal-700"
          >
            {t("audit.close")}
          </button>
        </div>
        <dl className="mt-4 space-y-2 text-sm">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-slate-500">{label}</dt>
              <dd className="text-slate-900 [overflow-wrap:anywhere]">{value}</dd>
            </div>
          ))}
        </dl>
        <h3 className="mt-5 text-sm font-semibold text-slate-900">{t("audit.changes")}</h3>
        {lines.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">{t("audit.noChanges")}</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm" data-testid="audit-details-changes">
            {lines.map((l, i) => (
              <li key={`${l.field}-${i}`} className="[overflow-wrap:anywhere]">
                <span className="font-medium text-slate-700">{l.field}: </span>
                {l.value !== undefined ? (
                  <span className="text-slate-900">{l.value}</span>
                ) : (
                  <span className="text-slate-900">
                    <span className="text-slate-500 line-through decoration-slate-400">{l.before}</span>
                    {" → "}
                    {l.after}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
