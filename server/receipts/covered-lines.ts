// What a payment paid for: the invoice's lines it covered, in the invoice's order. Pure (unit
// tested in tests/unit/receipt-covered-lines.test.ts).
//
// Money fills an invoice's lines in their order: first what the invoice never asks for (any
// negative line, e.g. a discount), then what was paid (credit applied when it was issued, then
// each payment in turn). A payment that took `applied` and left `balanceAfter` open covers the
// slice of the lines between "paid before it" and "paid after it"; a line it covered only in part
// says so.

export interface CoveredLine<L> {
  line: L;
  /** minor units of this line this payment covered */
  covered: number;
  /** true when this payment paid only part of the line */
  partial: boolean;
}

export function coveredLines<L extends { amount: number }>(
  lines: readonly L[],
  invoice: { total: number },
  payment: { applied: number; balanceAfter: number },
): CoveredLine<L>[] {
  if (payment.applied <= 0) return [];
  const negatives = lines.reduce((sum, l) => sum + (l.amount < 0 ? -l.amount : 0), 0);
  // paid after this payment = total − balanceAfter (credit included); before it = that − applied
  const paidAfter = invoice.total - payment.balanceAfter;
  const lo = negatives + paidAfter - payment.applied;
  const hi = negatives + paidAfter;
  const out: CoveredLine<L>[] = [];
  let start = 0;
  for (const line of lines) {
    if (line.amount <= 0) continue;
    const end = start + line.amount;
    const covered = Math.min(end, hi) - Math.max(start, lo);
    if (covered > 0) out.push({ line, covered, partial: covered < line.amount });
    start = end;
  }
  return out;
}
