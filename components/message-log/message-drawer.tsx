"use client";
import { useEffect, useRef, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import type { RouterOutputs } from "@/lib/trpc/client";
import { MessageStatusBadge } from "./status-badge";
import { useLogFormat } from "./format";
import { messageKeyLabel } from "./message-key-label";

type MessageDetail = RouterOutputs["messages"]["get"];

type Detail = MessageDetail & { tenant?: { slug: string; name: string } };

function Item({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-[8.5rem_1fr] gap-2 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900 [overflow-wrap:anywhere]" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/**
 * One message in a side panel (full screen on phones): status, timestamps, attempts, the last
 * error, the provider's id and the text as sent (sensitive links already "[hidden]").
 */
export function MessageDrawer({
  open,
  onClose,
  status,
  detail,
  timezone,
  canRetry,
  retryPending,
  onRetry,
}: {
  open: boolean;
  onClose: () => void;
  status: "pending" | "error" | "success";
  detail: Detail | undefined;
  timezone: string;
  canRetry: boolean;
  retryPending: boolean;
  onRetry: (m: Detail) => void;
}) {
  const { t } = useI18n();
  const f = useLogFormat(timezone);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, onClose]);

  if (!open) return null;
  const none = <span className="text-slate-400">{t("messagesLog.drawer.none")}</span>;
  const when = (d: Date | string | null) => (d ? f.dateTime(d) : none);

  return (
    <>
      <div className="fixed inset-0 z-40 bg-slate-900/40" aria-hidden="true" onClick={onClose} />
      <aside
        role="dialog"
        aria-modal="true"
        aria-labelledby="message-drawer-title"
        data-testid="message-drawer"
        className="fixed inset-y-0 right-0 z-50 flex w-full max-w-xl flex-col bg-white shadow-xl"
      >
        <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-5 py-3">
          <h2 id="message-drawer-title" className="text-lg font-semibold">
            {t("messagesLog.drawer.title")}
          </h2>
          <button
            ref={closeRef}
            type="button"
            onClick={onClose}
            className="min-h-10 rounded-lg px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-teal-700"
          >
            {t("messagesLog.drawer.close")}
          </button>
        </div>
        <div className="flex-1 overflow-y-auto px-5 py-4">
          {status === "pending" ? (
            <p className="text-sm text-slate-500" aria-live="polite">
              {t("messagesLog.loading")}
            </p>
          ) : status === "error" || !detail ? (
            <p role="alert" className="text-sm text-red-800">
              {t("messagesLog.drawer.loadError")}
            </p>
          ) : (
            <div className="space-y-4">
              <dl className="divide-y divide-slate-100">
                {detail.tenant ? (
                  <Item label={t("messagesLog.columns.tenant")}>
                    {detail.tenant.name} ({detail.tenant.slug})
                  </Item>
                ) : null}
                <Item label={t("messagesLog.drawer.to")} testId="drawer-to">
                  {detail.to}
                </Item>
                <Item label={t("messagesLog.drawer.status")}>
                  <MessageStatusBadge status={detail.status} />
                </Item>
                <Item label={t("messagesLog.drawer.key")}>{messageKeyLabel(t, detail.key)}</Item>
                <Item label={t("messagesLog.drawer.locale")}>{detail.locale}</Item>
                <Item label={t("messagesLog.drawer.attempts")} testId="drawer-attempts">
                  {detail.attempts}
                </Item>
                <Item label={t("messagesLog.drawer.created")}>{when(detail.createdAt)}</Item>
                <Item label={t("messagesLog.drawer.sent")}>{when(detail.sentAt)}</Item>
                {detail.deliveredAt ? <Item label={t("messagesLog.drawer.delivered")}>{when(detail.deliveredAt)}</Item> : null}
                {detail.bouncedAt ? <Item label={t("messagesLog.drawer.bounced")}>{when(detail.bouncedAt)}</Item> : null}
                {detail.complainedAt ? <Item label={t("messagesLog.drawer.complained")}>{when(detail.complainedAt)}</Item> : null}
                {detail.status === "queued" || detail.status === "failed" ? (
                  <Item label={t("messagesLog.drawer.nextAttempt")}>{when(detail.nextAttemptAt)}</Item>
                ) : null}
                <Item label={t("messagesLog.drawer.provider")}>{detail.provider ?? none}</Item>
                <Item label={t("messagesLog.drawer.providerId")} testId="drawer-provider-id">
                  {detail.providerId ? <code className="text-xs">{detail.providerId}</code> : none}
                </Item>
                <Item label={t("messagesLog.drawer.dedupeKey")}>
                  <code className="text-xs">{detail.dedupeKey}</code>
                </Item>
              </dl>
              {detail.lastError ? (
                <div>
                  <h3 className="text-sm font-medium text-slate-800">{t("messagesLog.drawer.lastError")}</h3>
                  <p
                    className="mt-1 rounded-lg bg-red-50 p-3 text-sm text-red-800 [overflow-wrap:anywhere]"
                    data-testid="drawer-last-error"
                  >
                    {detail.lastError}
                  </p>
                </div>
              ) : null}
              {detail.linkGone && (detail.status === "failed" || detail.status === "bounced") ? (
                <p className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700" data-testid="drawer-link-gone">
                  {t("messagesLog.drawer.linkGoneNote")}
                </p>
              ) : null}
              {detail.suppression ? (
                <p className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                  {t("messagesLog.drawer.suppressedNote", {
                    reason: t(`messagesLog.suppressions.reasons.${reasonKey(detail.suppression.reason)}`),
                  })}
                </p>
              ) : null}
              <div>
                <h3 className="text-sm font-medium text-slate-800">{t("messagesLog.drawer.subject")}</h3>
                <p className="mt-1 text-sm text-slate-900">{detail.subject ?? none}</p>
              </div>
              <div>
                <h3 className="text-sm font-medium text-slate-800">{t("messagesLog.drawer.body")}</h3>
                {detail.bodyText ? (
                  <>
                    <pre
                      className="mt-1 max-h-96 overflow-y-auto whitespace-pre-wrap rounded-lg bg-slate-50 p-3 font-sans text-sm text-slate-900 [overflow-wrap:anywhere]"
                      data-testid="drawer-body"
                    >
                      {detail.bodyText}
                    </pre>
                    {detail.bodyText.includes("[hidden]") ? (
                      <p className="mt-1 text-xs text-slate-500">{t("messagesLog.drawer.hiddenNote")}</p>
                    ) : null}
                  </>
                ) : (
                  <p className="mt-1 text-sm text-slate-500">{t("messagesLog.drawer.noBody")}</p>
                )}
              </div>
            </div>
          )}
        </div>
        {detail && canRetry && detail.retryable ? (
          <div className="border-t border-slate-200 px-5 py-3">
            <Button onClick={() => onRetry(detail)} disabled={retryPending}>
              {t("messagesLog.retry")}
            </Button>
          </div>
        ) : null}
      </aside>
    </>
  );
}

export function reasonKey(reason: string): "bounced" | "complained" | "manual" {
  return reason === "bounced" || reason === "complained" ? reason : "manual";
}
