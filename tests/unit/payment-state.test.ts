// The payment and subscription state machines (lib/billing/payment-state.ts): every legal move is
// allowed for exactly its actors, every other (from, to, actor) triple is refused.
import { describe, expect, it } from "vitest";
import {
  canTransitionPayment,
  canTransitionSubscription,
  isReadOnlyStatus,
  legalPaymentTargets,
  PAYMENT_STATUSES,
  SUBSCRIPTION_STATUSES,
  type PaymentStatusName,
  type PaymentTransitionActor,
  type SubscriptionStatusName,
} from "@/lib/billing/payment-state";

const ACTORS: PaymentTransitionActor[] = ["bakong", "admin", "system"];

/** The documented machine (docs/PAYMENTS.md), written out independently of the implementation. */
const LEGAL: Array<[PaymentStatusName, PaymentStatusName, PaymentTransitionActor]> = [
  ["pending", "paid", "bakong"],
  ["pending", "paid", "admin"],
  ["pending", "failed", "bakong"],
  ["pending", "failed", "system"],
  ["pending", "expired", "system"],
  // a transfer Bakong confirms after the QR expired: the money moved
  ["expired", "paid", "bakong"],
  ["paid", "refunded", "admin"],
];

const key = (from: string, to: string, actor: string) => `${from}→${to} by ${actor}`;

describe("canTransitionPayment", () => {
  it("allows every legal transition for its actor", () => {
    for (const [from, to, actor] of LEGAL) expect(canTransitionPayment(from, to, actor), key(from, to, actor)).toBe(true);
  });

  it("refuses every other (from, to, actor) triple, including staying put", () => {
    const legal = new Set(LEGAL.map(([f, t, a]) => key(f, t, a)));
    let refused = 0;
    for (const from of PAYMENT_STATUSES)
      for (const to of PAYMENT_STATUSES)
        for (const actor of ACTORS) {
          if (legal.has(key(from, to, actor))) continue;
          expect(canTransitionPayment(from, to, actor), key(from, to, actor)).toBe(false);
          refused += 1;
        }
    expect(refused).toBe(5 * 5 * 3 - LEGAL.length);
  });

  it("keeps the important refusals explicit", () => {
    // the system cannot mark money as received; nobody un-pays, revives a failed attempt or
    // refunds without an admin; bakong cannot expire; an expired QR is never re-opened
    expect(canTransitionPayment("pending", "paid", "system")).toBe(false);
    expect(canTransitionPayment("paid", "pending", "admin")).toBe(false);
    expect(canTransitionPayment("paid", "expired", "system")).toBe(false);
    expect(canTransitionPayment("failed", "paid", "bakong")).toBe(false);
    expect(canTransitionPayment("paid", "refunded", "bakong")).toBe(false);
    expect(canTransitionPayment("paid", "refunded", "system")).toBe(false);
    expect(canTransitionPayment("pending", "expired", "bakong")).toBe(false);
    expect(canTransitionPayment("expired", "pending", "system")).toBe(false);
    expect(canTransitionPayment("expired", "paid", "admin")).toBe(false);
    expect(canTransitionPayment("refunded", "paid", "admin")).toBe(false);
    expect(canTransitionPayment("pending", "refunded", "admin")).toBe(false);
  });

  it("has no way out of failed or refunded", () => {
    for (const to of PAYMENT_STATUSES)
      for (const actor of ACTORS) {
        expect(canTransitionPayment("failed", to, actor)).toBe(false);
        expect(canTransitionPayment("refunded", to, actor)).toBe(false);
      }
  });
});

describe("legalPaymentTargets", () => {
  it("lists the statuses reachable from each status by any actor", () => {
    const expected: Record<PaymentStatusName, PaymentStatusName[]> = {
      pending: ["paid", "failed", "expired"],
      expired: ["paid"],
      paid: ["refunded"],
      failed: [],
      refunded: [],
    };
    for (const from of PAYMENT_STATUSES) {
      expect(legalPaymentTargets(from).sort(), from).toEqual([...expected[from]].sort());
      // consistent with canTransitionPayment
      for (const to of PAYMENT_STATUSES) {
        const reachable = ACTORS.some((a) => canTransitionPayment(from, to, a));
        expect(legalPaymentTargets(from).includes(to), `${from}→${to}`).toBe(reachable);
      }
    }
  });
});

describe("canTransitionSubscription", () => {
  const LEGAL_SUB: Array<[SubscriptionStatusName, SubscriptionStatusName]> = [
    ["trialing", "active"],
    ["trialing", "past_due"],
    ["active", "past_due"],
    ["active", "active"], // a paid renewal extends an active subscription
    ["past_due", "active"],
    ["past_due", "suspended"],
    ["suspended", "active"],
    ["suspended", "canceled"],
    ["canceled", "active"],
  ];

  it("allows the lifecycle's moves and refuses every other pair", () => {
    const legal = new Set(LEGAL_SUB.map(([f, t]) => `${f}→${t}`));
    for (const from of SUBSCRIPTION_STATUSES)
      for (const to of SUBSCRIPTION_STATUSES) expect(canTransitionSubscription(from, to), `${from}→${to}`).toBe(legal.has(`${from}→${to}`));
  });

  it("never goes back to trialing and never skips the grace period", () => {
    for (const from of SUBSCRIPTION_STATUSES) expect(canTransitionSubscription(from, "trialing")).toBe(false);
    expect(canTransitionSubscription("active", "suspended")).toBe(false);
    expect(canTransitionSubscription("trialing", "suspended")).toBe(false);
    expect(canTransitionSubscription("past_due", "canceled")).toBe(false);
  });
});

describe("isReadOnlyStatus", () => {
  it("is true for suspended and canceled only", () => {
    expect(SUBSCRIPTION_STATUSES.filter(isReadOnlyStatus)).toEqual(["suspended", "canceled"]);
  });
});
