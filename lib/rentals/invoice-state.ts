// The rent invoice state machine, in one place (isomorphic: the services enforce it, the UI uses it
// to decide which actions to offer).
//   draft → issued | void
//   issued → partially_paid | paid | overdue | void
//   partially_paid → paid | overdue | void (void only while nothing was paid: see canVoid)
//   overdue → paid | void
//   paid, void: final
// `overdue` is a state of its own (the overdue job sets it after the due date and grace) and stays
// until the invoice is settled: a partial payment on an overdue invoice leaves it overdue (the
// amount still owed shrinks), so the dashboard and the overdue list keep counting it.

import { RENT_INVOICE_STATUS_VALUES, type RentInvoiceStatus } from "@/lib/enums";

export const RENT_INVOICE_STATUSES = RENT_INVOICE_STATUS_VALUES;
export type RentInvoiceStatusName = RentInvoiceStatus;

const TRANSITIONS: Record<RentInvoiceStatusName, readonly RentInvoiceStatusName[]> = {
  draft: ["issued", "void"],
  issued: ["partially_paid", "paid", "overdue", "void"],
  partially_paid: ["paid", "overdue", "void"],
  overdue: ["paid", "void"],
  paid: [],
  void: [],
};

export function canTransitionRentInvoice(from: RentInvoiceStatusName, to: RentInvoiceStatusName): boolean {
  return TRANSITIONS[from].includes(to);
}

export function legalRentInvoiceTargets(from: RentInvoiceStatusName): readonly RentInvoiceStatusName[] {
  return TRANSITIONS[from];
}

/** Statuses that still expect money. */
export const OPEN_RENT_INVOICE_STATUSES = ["issued", "partially_paid", "overdue"] as const satisfies readonly RentInvoiceStatusName[];

export function isOpenRentInvoice(status: RentInvoiceStatusName): boolean {
  return (OPEN_RENT_INVOICE_STATUSES as readonly string[]).includes(status);
}

/** A void is refused once money was received (record a refund/credit instead). */
export function canVoidRentInvoice(inv: { status: RentInvoiceStatusName; amountPaid: number }): boolean {
  return canTransitionRentInvoice(inv.status, "void") && inv.amountPaid === 0;
}

/**
 * The status after `amountPaid` changed (a payment or credit applied): paid when covered, else
 * partially_paid when something was paid (an overdue invoice stays overdue), else the current
 * status. Never leaves a final state.
 */
export function statusAfterPayment(inv: { status: RentInvoiceStatusName; total: number; amountPaid: number }): RentInvoiceStatusName {
  if (inv.status === "paid" || inv.status === "void" || inv.status === "draft") return inv.status;
  if (inv.amountPaid >= inv.total) return "paid";
  if (inv.amountPaid > 0 && inv.status !== "overdue") return "partially_paid";
  return inv.status;
}

/**
 * How a payment of `amount` is split: what the invoice takes (up to what is still due) and what is
 * left over as credit on the contract.
 */
export function allocatePayment(inv: { total: number; amountPaid: number }, amount: number): { applied: number; credit: number } {
  if (!Number.isInteger(amount) || amount <= 0) throw new Error("payment amount must be a positive integer (minor units)");
  const due = Math.max(0, inv.total - inv.amountPaid);
  const applied = Math.min(due, amount);
  return { applied, credit: amount - applied };
}

/** Past the due date and not settled (dueDate is a calendar day, compared with today's date in the tenant's timezone). */
export function isPastDue(inv: { status: RentInvoiceStatusName; dueDate: string }, today: string): boolean {
  return isOpenRentInvoice(inv.status) && inv.dueDate < today;
}
