// The payment state machine, in one place (docs/PAYMENTS.md draws it).
//   pending → paid | failed | expired
//   expired → paid   (Bakong confirms a transfer made before the QR expired: the money moved)
//   paid → refunded  (platform admin only)

import { PAYMENT_STATUS_VALUES, SUBSCRIPTION_STATUS_VALUES, type PaymentStatus, type SubscriptionStatus } from "@/lib/enums";

export const PAYMENT_STATUSES = PAYMENT_STATUS_VALUES;
export type PaymentStatusName = PaymentStatus;

export type PaymentTransitionActor = "bakong" | "admin" | "system";

const TRANSITIONS: Record<PaymentStatusName, Partial<Record<PaymentStatusName, readonly PaymentTransitionActor[]>>> = {
  pending: { paid: ["bakong", "admin"], failed: ["bakong", "system"], expired: ["system"] },
  expired: { paid: ["bakong"] },
  paid: { refunded: ["admin"] },
  failed: {},
  refunded: {},
};

export function canTransitionPayment(from: PaymentStatusName, to: PaymentStatusName, actor: PaymentTransitionActor): boolean {
  return TRANSITIONS[from][to]?.includes(actor) ?? false;
}

export function legalPaymentTargets(from: PaymentStatusName): PaymentStatusName[] {
  return Object.keys(TRANSITIONS[from]) as PaymentStatusName[];
}

export const SUBSCRIPTION_STATUSES = SUBSCRIPTION_STATUS_VALUES;
export type SubscriptionStatusName = SubscriptionStatus;

/**
 * Subscription lifecycle:
 *   trialing → active (paid) | past_due (trial over, unpaid)
 *   active → past_due (period over, renewal unpaid)
 *   past_due → active (paid) | suspended (grace over)
 *   suspended → active (paid) | canceled (after BILLING_CANCEL_AFTER_DAYS)
 *   canceled → active (paid again: nothing was deleted)
 */
const SUBSCRIPTION_TRANSITIONS: Record<SubscriptionStatusName, readonly SubscriptionStatusName[]> = {
  trialing: ["active", "past_due"],
  active: ["past_due", "active"],
  past_due: ["active", "suspended"],
  suspended: ["active", "canceled"],
  canceled: ["active"],
};

export function canTransitionSubscription(from: SubscriptionStatusName, to: SubscriptionStatusName): boolean {
  return SUBSCRIPTION_TRANSITIONS[from].includes(to);
}

/** Writes are refused (reads keep working, and billing stays open so they can pay). */
export function isReadOnlyStatus(status: SubscriptionStatusName): boolean {
  return status === "suspended" || status === "canceled";
}
