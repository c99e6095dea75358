// USD ↔ KHR arithmetic (server/rates/conversion.ts, docs/CURRENCY.md): quotes round up (riel to
// 100, dollars to the cent), paying the quote credits exactly what was open, anything beyond is
// converted down, and a payment never invents a unit of the invoice's currency.
import { describe, expect, it } from "vitest";
import { convertDown, credited, equivalent, quote, otherCurrency } from "@/server/rates/conversion";

describe("quote: what to ask in the other currency", () => {
  it("a USD amount whose riel value is an exact multiple of 100 is asked as is", () => {
    expect(quote(10_000, "USD", 4100)).toBe(410_000); // $100.00
    expect(quote(2_500, "USD", 4000)).toBe(100_000);
  });
  it("1 riel over a multiple of 100 rounds up to the next 100", () => {
    // $0.01 at 4,100 = 41 riel → 100; $100.01 = 410,041 → 410,100
    expect(quote(1, "USD", 4100)).toBe(100);
    expect(quote(10_001, "USD", 4100)).toBe(410_100);
    // 4,001 riel per dollar: $1.00 = 4,001 riel exactly (1 riel over 4,000) → 4,100
    expect(quote(100, "USD", 4001)).toBe(4100);
  });
  it("a sub-riel value rounds up too (cents × rate not divisible by 100)", () => {
    // $0.03 at 4,033 = 120.99 riel → 200
    expect(quote(3, "USD", 4033)).toBe(200);
  });
  it("a KHR amount is asked in dollars rounded up to the cent", () => {
    expect(quote(410_000, "KHR", 4100)).toBe(10_000);
    expect(quote(410_001, "KHR", 4100)).toBe(10_001); // 100.000243… → $100.01
    expect(quote(41, "KHR", 4100)).toBe(1);
  });
  it("large amounts stay exact (no float rounding)", () => {
    // $9,999,999.99 at 4,123
    expect(quote(999_999_999, "USD", 4123)).toBe(41_230_000_000);
    expect(quote(2_000_000_000, "USD", 99_999)).toBe(1_999_980_000_000);
    expect(quote(2_000_000_000, "KHR", 4100)).toBe(48_780_488); // 48,780,487.8… cents → up
  });
  it("refuses a rate out of range or a fractional amount", () => {
    expect(() => quote(100, "USD", 999)).toThrow(RangeError);
    expect(() => quote(100, "USD", 4100.5)).toThrow(RangeError);
    expect(() => quote(1.5, "USD", 4100)).toThrow(RangeError);
    expect(() => quote(-1, "USD", 4100)).toThrow(RangeError);
  });
});

describe("credited: what a payment in the other currency is worth on the invoice", () => {
  it("paying the quote credits exactly the open amount: the rounding to 100 riel is absorbed", () => {
    expect(credited(410_100, "USD", 10_001, 4100)).toBe(10_001); // not 10,002 (410,100 riel = $100.0243)
    expect(credited(410_000, "USD", 10_000, 4100)).toBe(10_000);
    expect(credited(10_001, "KHR", 410_001, 4100)).toBe(410_001); // $100.01 = 410,041 riel: 40 absorbed
  });
  it("more than the quote: the excess is converted down and is the overpayment", () => {
    // 420,000 riel for $100.01 open: 9,900 riel beyond the quote = 241.46 cents → 241
    expect(credited(420_000, "USD", 10_001, 4100)).toBe(10_001 + 241);
  });
  it("less than the quote: converted down, never more than the open amount", () => {
    expect(credited(200_000, "USD", 10_001, 4100)).toBe(4878); // 4,878.04 cents
    // inside the rounding band (≥ the exact value, < the quote): the open amount, not more
    expect(credited(410_050, "USD", 10_001, 4100)).toBe(10_001);
  });
  it("nothing open (invoice already paid): the whole payment converted down", () => {
    expect(credited(410_100, "USD", 0, 4100)).toBe(10_002);
  });
  it("a rate change between issue and payment: the payment day's rate decides what is asked and credited", () => {
    const open = 10_000; // $100.00 issued at 4,100
    const asked = quote(open, "USD", 4050); // paid on a day at 4,050
    expect(asked).toBe(405_000);
    expect(credited(asked, "USD", open, 4050)).toBe(open);
    // the old quote paid at the new rate is an overpayment in riel, converted down
    expect(credited(410_000, "USD", open, 4050)).toBe(open + convertDown(5_000, "USD", 4050));
    expect(convertDown(5_000, "USD", 4050)).toBe(123); // 123.45 cents → 123
  });
  it("USD → KHR → applied USD never loses or invents a cent (every open amount, several rates)", () => {
    for (const rate of [1000, 3999, 4000, 4001, 4033, 4100, 4123, 99_999]) {
      for (let open = 0; open <= 3_000; open += 7) {
        const riel = quote(open, "USD", rate);
        expect(riel % 100).toBe(0);
        expect(riel * 100).toBeGreaterThanOrEqual(open * rate); // never less than the open amount is worth
        expect(riel * 100 - open * rate).toBeLessThan(100 * 100 + 100); // at most the rounding band over
        expect(credited(riel, "USD", open, rate)).toBe(open); // exactly the open amount
        // any received amount: the credit is never worth more than the money received
        for (const got of [riel - 100, riel + 1, riel + 99, riel + 12_345]) {
          if (got < 0) continue;
          const c = credited(got, "USD", open, rate);
          expect(c * rate).toBeLessThanOrEqual(got * 100);
        }
      }
    }
  });
  it("KHR → USD → applied KHR never loses or invents a riel", () => {
    for (const rate of [1000, 4001, 4100, 4123]) {
      for (let open = 0; open <= 50_000; open += 97) {
        const cents = quote(open, "KHR", rate);
        expect(cents * rate).toBeGreaterThanOrEqual(open * 100);
        expect(credited(cents, "KHR", open, rate)).toBe(open);
        const c = credited(cents + 3, "KHR", open, rate);
        expect(c * 100).toBeLessThanOrEqual((cents + 3) * rate);
      }
    }
  });
});

describe("equivalent: display only", () => {
  it("rounds half up, both ways, and keeps a sign", () => {
    expect(equivalent(10_001, "USD", 4100)).toEqual({ amount: 410_041, currency: "KHR" });
    expect(equivalent(410_041, "KHR", 4100)).toEqual({ amount: 10_001, currency: "USD" });
    expect(equivalent(205, "KHR", 4100)).toEqual({ amount: 5, currency: "USD" }); // 5.0 cents
    expect(equivalent(-100, "USD", 4100)).toEqual({ amount: -4100, currency: "KHR" });
  });
  it("only USD and KHR have another currency", () => {
    expect(otherCurrency("USD")).toBe("KHR");
    expect(otherCurrency("KHR")).toBe("USD");
    expect(otherCurrency("EUR")).toBeNull();
  });
});
