// The contract lifecycle in one table: draft → active → ended | terminated. Every status write
// in ContractService goes through `assertContractTransition`, so an illegal move (activating an
// ended contract, ending a draft, reopening a terminated one) cannot happen anywhere.

import { CONTRACT_STATUS_VALUES, DEPOSIT_OUTCOME_VALUES, type ContractStatus, type DepositOutcome } from "@/lib/enums";

export type { ContractStatus, DepositOutcome };
export const CONTRACT_STATUSES = CONTRACT_STATUS_VALUES;
export const DEPOSIT_OUTCOMES = DEPOSIT_OUTCOME_VALUES;

/** What a user does to a contract, and the status it leads to. */
export type ContractAction = "activate" | "end" | "terminate";

const TRANSITIONS: Record<ContractStatus, Partial<Record<ContractAction, ContractStatus>>> = {
  draft: { activate: "active" },
  active: { end: "ended", terminate: "terminated" },
  ended: {},
  terminated: {},
};

export function isContractStatus(value: unknown): value is ContractStatus {
  return typeof value === "string" && (CONTRACT_STATUSES as readonly string[]).includes(value);
}

/** The status `action` leads to from `from`, or null when the move is not allowed. */
export function nextContractStatus(from: ContractStatus, action: ContractAction): ContractStatus | null {
  return TRANSITIONS[from][action] ?? null;
}

export function canTransitionContract(from: ContractStatus, to: ContractStatus): boolean {
  return Object.values(TRANSITIONS[from]).includes(to);
}

/** The actions the UI may offer for a contract in `status`. */
export function legalContractActions(status: ContractStatus): ContractAction[] {
  return Object.keys(TRANSITIONS[status]) as ContractAction[];
}

/** Only drafts can be edited freely or deleted; an active contract's terms are what invoices were billed on. */
export function isEditableContract(status: ContractStatus): boolean {
  return status === "draft";
}

/** A finished contract (ended or terminated): no more invoices, the unit is free. */
export function isClosedContract(status: ContractStatus): boolean {
  return status === "ended" || status === "terminated";
}

/**
 * The deposit amount given back for an outcome, or null when the amount does not fit it:
 * returned = all of it, withheld = none, partially_returned = strictly between (a deposit of 0
 * can only be "returned").
 */
export function depositReturned(outcome: DepositOutcome, deposit: number, partialAmount?: number | null): number | null {
  if (outcome === "returned") return deposit;
  if (outcome === "withheld") return deposit === 0 ? null : 0;
  if (partialAmount === undefined || partialAmount === null || !Number.isSafeInteger(partialAmount)) return null;
  return partialAmount > 0 && partialAmount < deposit ? partialAmount : null;
}
