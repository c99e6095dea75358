"use client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageStatusName } from "@/lib/schemas/messages";

const TONES: Record<MessageStatusName, string> = {
  queued: "bg-slate-100 text-slate-700 ring-slate-200",
  sending: "bg-sky-50 text-sky-800 ring-sky-200",
  sent: "bg-teal-50 text-teal-800 ring-teal-200",
  delivered: "bg-green-50 text-green-800 ring-green-200",
  bounced: "bg-red-50 text-red-800 ring-red-200",
  complained: "bg-red-50 text-red-800 ring-red-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
  suppressed: "bg-amber-50 text-amber-900 ring-amber-200",
};

export function MessageStatusBadge({ status }: { status: MessageStatusName }) {
  const { t } = useI18n();
  return (
    <span
      data-testid="message-status"
      data-status={status}
      className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[status]}`}
    >
      {t(`messagesLog.status.${status}`)}
    </span>
  );
}
