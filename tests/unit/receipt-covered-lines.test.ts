// What a payment paid for (server/receipts/covered-lines.ts) and the payment-instruction fields'
// validation (lib/schemas/payment-instructions.ts).
import { describe, expect, it } from "vitest";
import { coveredLines } from "@/server/receipts/covered-lines";
import { updatePaymentInstructionsSchema } from "@/lib/schemas/payment-instructions";

const lines = [
  { description: "Rent", amount: 25_000 },
  { description: "Electricity", amount: 3_000 },
  { description: "Water", amount: 500 },
];
const total = 28_500;
const covered = (applied: number, balanceAfter: number, ls = lines, tot = total) =>
  coveredLines(ls, { total: tot }, { applied, balanceAfter }).map((c) => [c.line.description, c.covered, c.partial]);

describe("coveredLines", () => {
  it("fills the lines in order: a first part payment covers part of the rent", () => {
    expect(covered(8_000, 20_500)).toEqual([["Rent", 8_000, true]]);
  });
  it("the next payment covers the rest of the rent and the next lines, whole or in part", () => {
    expect(covered(18_000, 2_500)).toEqual([
      ["Rent", 17_000, true],
      ["Electricity", 1_000, true],
    ]);
    expect(covered(2_500, 0)).toEqual([
      ["Electricity", 2_000, true],
      ["Water", 500, false],
    ]);
  });
  it("one payment of everything covers every line whole", () => {
    expect(covered(28_500, 0)).toEqual([
      ["Rent", 25_000, false],
      ["Electricity", 3_000, false],
      ["Water", 500, false],
    ]);
  });
  it("credit applied at issue counts as paid before the first payment", () => {
    // 5,000 of credit on the invoice: amountPaid starts at 5,000, the payment of 20,000 leaves 3,500
    expect(covered(20_000, 3_500)).toEqual([["Rent", 20_000, true]]);
  });
  it("a negative line (a discount) is taken off first", () => {
    const withDiscount = [...lines, { description: "Discount", amount: -1_000 }];
    expect(covered(27_500, 0, withDiscount, 27_500)).toEqual([
      ["Rent", 24_000, true],
      ["Electricity", 3_000, false],
      ["Water", 500, false],
    ]);
  });
  it("a payment the invoice took nothing of (all credit) covers no line", () => {
    expect(covered(0, 0)).toEqual([]);
  });
});

describe("updatePaymentInstructionsSchema", () => {
  const ok = (v: Record<string, string | null>) =>
    updatePaymentInstructionsSchema.safeParse({ bankName: "", accountName: "", accountNumber: "", phone: "", ...v });
  it("empty fields are stored as null, spaces are tidied", () => {
    expect(ok({ bankName: "  ABA   Bank " }).data).toEqual({ bankName: "ABA Bank", accountName: null, accountNumber: null, phone: null });
    expect(ok({ accountName: null }).success).toBe(true);
  });
  it("an account number is digits with spaces or dashes between them", () => {
    expect(ok({ accountNumber: "000 123-456" }).success).toBe(true);
    expect(ok({ accountNumber: "12ab" }).error?.issues[0]?.message).toBe("settings.payInstructions.errors.accountNumber");
    expect(ok({ accountNumber: "-123" }).success).toBe(false);
  });
  it("a phone has 6 to 15 digits, optionally after +", () => {
    expect(ok({ phone: "+855 12 345 678" }).success).toBe(true);
    expect(ok({ phone: "012-345-678" }).success).toBe(true);
    expect(ok({ phone: "12345" }).error?.issues[0]?.message).toBe("settings.payInstructions.errors.phone");
    expect(ok({ phone: "1".repeat(16) }).success).toBe(false);
  });
  it("refuses control characters and overlong text", () => {
    expect(ok({ bankName: "ABA\nBank" }).error?.issues[0]?.message).toBe("settings.payInstructions.errors.invalid");
    expect(ok({ accountName: "x".repeat(81) }).error?.issues[0]?.message).toBe("settings.payInstructions.errors.tooLong");
  });
});
