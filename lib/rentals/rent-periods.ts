// Rules of the overdue job that are not calendar arithmetic (that is lib/dates.ts): the label of
// a reminder offset and the late fee of an overdue invoice.

/** A reminder offset as it appears in dedupe keys and the UI: -3 → "D-3", 1 → "D+1". */
export function offsetLabel(n: number): string {
  return n < 0 ? `D${n}` : `D+${n}`;
}

/** Late fee of an overdue invoice: a fixed amount, or basis points of its total (rounded half up). */
export function lateFeeAmount(rule: { type: "none" | "fixed" | "percent"; value: number }, invoiceTotal: number): number {
  if (rule.type === "fixed") return Math.max(0, rule.value);
  if (rule.type === "percent") return Math.max(0, Math.round((invoiceTotal * rule.value) / 10_000));
  return 0;
}
