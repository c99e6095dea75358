"use client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";

type Tone = "green" | "amber" | "red" | "slate" | "blue";

const TONES: Record<Tone, string> = {
  green: "bg-teal-50 text-teal-800 ring-teal-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  red: "bg-red-50 text-red-800 ring-red-200",
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
};

const STATUS_TONES: Record<string, Tone> = {
  // subscriptions
  trialing: "blue",
  active: "green",
  past_due: "amber",
  suspended: "red",
  canceled: "slate",
  // invoices
  open: "amber",
  paid: "green",
  void: "slate",
  // payments
  pending: "blue",
  failed: "red",
  expired: "slate",
  refunded: "slate",
  // webhook events
  received: "blue",
  processed: "green",
  ignored: "slate",
  needs_review: "amber",
};

export type StatusKind = "subscriptionStatus" | "invoiceStatus" | "paymentStatus" | "webhookStatus";

export function Badge({ tone, children, testId }: { tone: Tone; children: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

/** A status in its colour, labelled from the catalog (`adminBilling.<kind>.<status>`). */
export function StatusBadge({ kind, status }: { kind: StatusKind; status: string }) {
  const { t } = useI18n();
  return (
    <Badge tone={STATUS_TONES[status] ?? "slate"} testId="status">
      {t(`adminBilling.${kind}.${status}` as MessageKey)}
    </Badge>
  );
}
