// Billing periods: calendar months in UTC clamped to the month's end, yearly periods, and the
// prorated price of an upgrade (rounded up to the unit, never negative).
import { describe, expect, it } from "vitest";
import { addDays, addMonths } from "@/lib/dates";
import { nextPeriodEnd, periodEnd, proratedAmount, REMINDER_OFFSETS_DAYS, RENEWAL_LEAD_DAYS } from "@/server/subscriptions/periods";

const utc = (s: string) => new Date(`${s}Z`);
const iso = (d: Date) => d.toISOString();

describe("addMonths", () => {
  it("adds calendar months and keeps the time of day", () => {
    expect(iso(addMonths(utc("2026-03-15T08:30:00.000"), 1))).toBe("2026-04-15T08:30:00.000Z");
    expect(iso(addMonths(utc("2026-11-21T23:59:59.999"), 2))).toBe("2027-01-21T23:59:59.999Z");
    expect(iso(addMonths(utc("2026-05-10T00:00:00.000"), 0))).toBe("2026-05-10T00:00:00.000Z");
  });

  it("clamps 31 January to the last day of February (28 in a common year, 29 in a leap year)", () => {
    expect(iso(addMonths(utc("2026-01-31T10:00:00.000"), 1))).toBe("2026-02-28T10:00:00.000Z");
    expect(iso(addMonths(utc("2028-01-31T10:00:00.000"), 1))).toBe("2028-02-29T10:00:00.000Z");
    expect(iso(addMonths(utc("2026-01-29T00:00:00.000"), 1))).toBe("2026-02-28T00:00:00.000Z");
    expect(iso(addMonths(utc("2028-01-30T00:00:00.000"), 1))).toBe("2028-02-29T00:00:00.000Z");
  });

  it("clamps 31st to 30-day months and never spills into the next month", () => {
    expect(iso(addMonths(utc("2026-03-31T00:00:00.000"), 1))).toBe("2026-04-30T00:00:00.000Z");
    expect(iso(addMonths(utc("2026-08-31T00:00:00.000"), 1))).toBe("2026-09-30T00:00:00.000Z");
    expect(iso(addMonths(utc("2026-10-31T00:00:00.000"), 1))).toBe("2026-11-30T00:00:00.000Z");
    for (let m = 0; m < 12; m++) {
      const start = new Date(Date.UTC(2026, m, 31, 12));
      // Date.UTC rolls 31 Apr to 1 May etc.; whatever the start, one month later is exactly one month number on
      const end = addMonths(start, 1);
      expect((end.getUTCMonth() - start.getUTCMonth() + 12) % 12, iso(start)).toBe(1);
    }
  });

  it("crosses year ends and goes backwards", () => {
    expect(iso(addMonths(utc("2026-12-31T00:00:00.000"), 1))).toBe("2027-01-31T00:00:00.000Z");
    expect(iso(addMonths(utc("2026-12-31T00:00:00.000"), 2))).toBe("2027-02-28T00:00:00.000Z");
    expect(iso(addMonths(utc("2026-03-31T00:00:00.000"), -1))).toBe("2026-02-28T00:00:00.000Z");
    expect(iso(addMonths(utc("2026-01-15T00:00:00.000"), -1))).toBe("2025-12-15T00:00:00.000Z");
  });

  it("does not change its argument", () => {
    const start = utc("2026-01-31T00:00:00.000");
    addMonths(start, 1);
    expect(iso(start)).toBe("2026-01-31T00:00:00.000Z");
  });
});

describe("periodEnd", () => {
  it("is one calendar month for monthly, twelve for yearly", () => {
    expect(iso(periodEnd(utc("2026-01-31T09:00:00.000"), "month"))).toBe("2026-02-28T09:00:00.000Z");
    expect(iso(periodEnd(utc("2026-06-15T09:00:00.000"), "year"))).toBe("2027-06-15T09:00:00.000Z");
    // 29 Feb of a leap year + 1 year = 28 Feb
    expect(iso(periodEnd(utc("2028-02-29T00:00:00.000"), "year"))).toBe("2029-02-28T00:00:00.000Z");
  });
});

describe("addDays", () => {
  it("adds whole days of 24 h", () => {
    expect(iso(addDays(utc("2026-02-27T12:00:00.000"), 2))).toBe("2026-03-01T12:00:00.000Z");
    expect(iso(addDays(utc("2026-02-27T12:00:00.000"), -7))).toBe("2026-02-20T12:00:00.000Z");
  });
});

describe("proratedAmount", () => {
  const start = utc("2026-04-01T00:00:00.000");
  const end = utc("2026-05-01T00:00:00.000"); // 30 days

  it("charges the price difference for the remaining share of the period", () => {
    // half the period left: (4900 − 1900) / 2
    expect(proratedAmount(1900, 4900, start, end, utc("2026-04-16T00:00:00.000"))).toBe(1500);
    // the whole period left
    expect(proratedAmount(1900, 4900, start, end, start)).toBe(3000);
    // 10 of 30 days left: 3000 / 3
    expect(proratedAmount(1900, 4900, start, end, utc("2026-04-21T00:00:00.000"))).toBe(1000);
  });

  it("rounds up to the whole minor unit", () => {
    // 29 of 30 days left: 3000 × 29/30 = 2900 exactly; 1 ms later it is just under → still 2900 (ceil)
    expect(proratedAmount(1900, 4900, start, end, utc("2026-04-02T00:00:00.000"))).toBe(2900);
    expect(proratedAmount(1900, 4900, start, end, utc("2026-04-02T00:00:00.001"))).toBe(2900);
    // 1 riel × a third of the period = 0.33… → 1
    expect(proratedAmount(0, 1, start, end, utc("2026-04-21T00:00:00.000"))).toBe(1);
    // 100 × 1/3 = 33.33… → 34
    expect(proratedAmount(0, 100, start, end, utc("2026-04-21T00:00:00.000"))).toBe(34);
    // 7 days left of 30 on 200000 − 78000 riel: 122000 × 7/30 = 28466.66… → 28467
    expect(proratedAmount(78000, 200000, start, end, utc("2026-04-24T00:00:00.000"))).toBe(28467);
  });

  it("is never negative and zero for a cheaper or equal plan", () => {
    expect(proratedAmount(4900, 1900, start, end, utc("2026-04-10T00:00:00.000"))).toBe(0);
    expect(proratedAmount(1900, 1900, start, end, utc("2026-04-10T00:00:00.000"))).toBe(0);
  });

  it("is zero once the period is over and the full difference before it starts", () => {
    expect(proratedAmount(1900, 4900, start, end, end)).toBe(0);
    expect(proratedAmount(1900, 4900, start, end, utc("2026-06-01T00:00:00.000"))).toBe(0);
    expect(proratedAmount(1900, 4900, start, end, utc("2026-03-01T00:00:00.000"))).toBe(3000);
  });

  it("is zero for an empty or inverted period", () => {
    expect(proratedAmount(1900, 4900, start, start, start)).toBe(0);
    expect(proratedAmount(1900, 4900, end, start, start)).toBe(0);
  });

  it("never exceeds the difference and grows as the remaining time grows", () => {
    let previous = Infinity;
    for (let day = 0; day <= 30; day++) {
      const amount = proratedAmount(1900, 4900, start, end, addDays(start, day));
      expect(amount).toBeGreaterThanOrEqual(0);
      expect(amount).toBeLessThanOrEqual(3000);
      expect(Number.isInteger(amount)).toBe(true);
      expect(amount).toBeLessThanOrEqual(previous);
      previous = amount;
    }
  });
});

describe("schedule constants", () => {
  it("issues renewals 7 days ahead and reminds 3 days before, 1 and 3 days after the due date", () => {
    expect(RENEWAL_LEAD_DAYS).toBe(7);
    expect([...REMINDER_OFFSETS_DAYS]).toEqual([-3, 1, 3]);
  });
});

describe("nextPeriodEnd", () => {
  const next = (start: string, end: string, interval: "month" | "year" = "month", nextInterval = interval) =>
    iso(nextPeriodEnd({ start: utc(start), end: utc(end), interval }, nextInterval));

  it("keeps a 31st's anchor through short months instead of drifting to the 28th/29th", () => {
    expect(next("2024-01-31T03:00:00.000", "2024-02-29T03:00:00.000")).toBe("2024-03-31T03:00:00.000Z");
    expect(next("2027-01-31T03:00:00.000", "2027-02-28T03:00:00.000")).toBe("2027-03-31T03:00:00.000Z");
    expect(next("2027-03-31T03:00:00.000", "2027-04-30T03:00:00.000")).toBe("2027-05-31T03:00:00.000Z");
    // the period after a clamped one: its end carries the anchor
    expect(next("2027-02-28T03:00:00.000", "2027-03-31T03:00:00.000")).toBe("2027-04-30T03:00:00.000Z");
    expect(next("2027-01-30T00:00:00.000", "2027-02-28T00:00:00.000")).toBe("2027-03-30T00:00:00.000Z");
    expect(next("2026-11-15T08:00:00.000", "2026-12-15T08:00:00.000")).toBe("2027-01-15T08:00:00.000Z");
  });

  it("anchors a period that is not a whole month (a trial) on its end", () => {
    expect(next("2027-01-20T03:00:00.000", "2027-02-03T03:00:00.000")).toBe("2027-03-03T03:00:00.000Z");
    expect(next("2027-01-17T03:00:00.000", "2027-01-31T03:00:00.000")).toBe("2027-02-28T03:00:00.000Z");
  });

  it("years: 29 Feb comes back in a leap year; a year's 31 Jan anchor carries into a monthly period", () => {
    expect(next("2027-02-28T00:00:00.000", "2028-02-29T00:00:00.000", "year")).toBe("2029-02-28T00:00:00.000Z");
    expect(next("2028-02-29T00:00:00.000", "2029-02-28T00:00:00.000", "year")).toBe("2030-02-28T00:00:00.000Z");
    expect(next("2027-01-31T00:00:00.000", "2028-01-31T00:00:00.000", "year", "month")).toBe("2028-02-29T00:00:00.000Z");
  });
});
