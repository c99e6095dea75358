// The rent invoice state machine (lib/rentals/invoice-state.ts): legal moves, the status a payment
// leads to, how a payment splits between the invoice and credit, and when void is allowed.
import { describe, expect, it } from "vitest";
import {
  RENT_INVOICE_STATUSES,
  allocatePayment,
  canTransitionRentInvoice,
  canVoidRentInvoice,
  isOpenRentInvoice,
  isPastDue,
  legalRentInvoiceTargets,
  statusAfterPayment,
} from "@/lib/rentals/invoice-state";

describe("rent invoice transitions", () => {
  it("allows exactly the documented moves", () => {
    const legal = Object.fromEntries(RENT_INVOICE_STATUSES.map((s) => [s, [...legalRentInvoiceTargets(s)].sort()]));
    expect(legal).toEqual({
      draft: ["issued", "void"],
      issued: ["overdue", "paid", "partially_paid", "void"],
      partially_paid: ["overdue", "paid", "void"],
      overdue: ["paid", "void"],
      paid: [],
      void: [],
    });
    expect(canTransitionRentInvoice("paid", "void")).toBe(false);
    expect(canTransitionRentInvoice("void", "issued")).toBe(false);
    expect(canTransitionRentInvoice("overdue", "issued")).toBe(false);
  });

  it("open statuses are the ones that still expect money", () => {
    expect(RENT_INVOICE_STATUSES.filter(isOpenRentInvoice)).toEqual(["issued", "partially_paid", "overdue"]);
  });
});

describe("statusAfterPayment", () => {
  it("issued: partial → partially_paid, covered → paid, nothing → unchanged", () => {
    expect(statusAfterPayment({ status: "issued", total: 10_000, amountPaid: 4_000 })).toBe("partially_paid");
    expect(statusAfterPayment({ status: "issued", total: 10_000, amountPaid: 10_000 })).toBe("paid");
    expect(statusAfterPayment({ status: "issued", total: 10_000, amountPaid: 0 })).toBe("issued");
    expect(statusAfterPayment({ status: "partially_paid", total: 10_000, amountPaid: 10_000 })).toBe("paid");
  });

  it("an overdue invoice stays overdue until it is settled", () => {
    expect(statusAfterPayment({ status: "overdue", total: 10_000, amountPaid: 9_999 })).toBe("overdue");
    expect(statusAfterPayment({ status: "overdue", total: 10_000, amountPaid: 10_000 })).toBe("paid");
  });

  it("never leaves a final state (or draft)", () => {
    expect(statusAfterPayment({ status: "void", total: 10_000, amountPaid: 10_000 })).toBe("void");
    expect(statusAfterPayment({ status: "paid", total: 10_000, amountPaid: 10_000 })).toBe("paid");
    expect(statusAfterPayment({ status: "draft", total: 10_000, amountPaid: 10_000 })).toBe("draft");
  });

  it("a zero invoice covered by credit is paid", () => {
    expect(statusAfterPayment({ status: "issued", total: 0, amountPaid: 0 })).toBe("paid");
  });
});

describe("allocatePayment", () => {
  it("takes up to what is still owed and keeps the rest as credit", () => {
    expect(allocatePayment({ total: 10_000, amountPaid: 4_000 }, 5_000)).toEqual({ applied: 5_000, credit: 0 });
    expect(allocatePayment({ total: 10_000, amountPaid: 4_000 }, 8_000)).toEqual({ applied: 6_000, credit: 2_000 });
    expect(allocatePayment({ total: 10_000, amountPaid: 10_000 }, 500)).toEqual({ applied: 0, credit: 500 });
  });

  it("refuses amounts that are not positive integers (minor units)", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => allocatePayment({ total: 1, amountPaid: 0 }, bad)).toThrow();
  });
});

describe("void and past due", () => {
  it("void only while nothing was received", () => {
    expect(canVoidRentInvoice({ status: "issued", amountPaid: 0 })).toBe(true);
    expect(canVoidRentInvoice({ status: "overdue", amountPaid: 0 })).toBe(true);
    expect(canVoidRentInvoice({ status: "partially_paid", amountPaid: 100 })).toBe(false);
    expect(canVoidRentInvoice({ status: "paid", amountPaid: 0 })).toBe(false);
  });

  it("past due compares calendar days", () => {
    expect(isPastDue({ status: "issued", dueDate: "2026-11-20" }, "2026-11-21")).toBe(true);
    expect(isPastDue({ status: "issued", dueDate: "2026-11-21" }, "2026-11-21")).toBe(false);
    expect(isPastDue({ status: "paid", dueDate: "2026-11-01" }, "2026-11-21")).toBe(false);
  });
});
