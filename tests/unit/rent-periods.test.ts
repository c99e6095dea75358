// Calendar helpers of the invoice run and the overdue job, and the invoice list's URL filters.
import { describe, expect, it } from "vitest";
import { addDaysToDay, dayIn, daysBetween, instantInZone, nextPeriodStart, periodBounds, periodOfDay, previousPeriod } from "@/lib/dates";
import { lateFeeAmount, offsetLabel } from "@/lib/rentals/rent-periods";
import { invoiceFiltersFromSearchParams } from "@/lib/schemas/rent-invoices";

describe("rent periods", () => {
  it("takes the day in the tenant's timezone, not the server's", () => {
    // 31 Mar 18:30 UTC is already 1 Apr in Phnom Penh (UTC+7)
    const at = new Date("2026-03-31T18:30:00Z");
    expect(dayIn(at, "Asia/Phnom_Penh")).toBe("2026-04-01");
    expect(dayIn(at, "UTC")).toBe("2026-03-31");
    expect(periodOfDay(dayIn(at, "Asia/Phnom_Penh"))).toBe("2026-04");
  });

  it("moves across months and years", () => {
    expect(previousPeriod("2026-01")).toBe("2025-12");
    expect(previousPeriod("2026-03")).toBe("2026-02");
    expect(addDaysToDay("2026-02-26", 5)).toBe("2026-03-03");
    expect(addDaysToDay("2026-01-02", -3)).toBe("2025-12-30");
    expect(daysBetween("2026-03-06", "2026-03-13")).toBe(7);
    expect(daysBetween("2026-03-06", "2026-03-03")).toBe(-3);
    expect(periodBounds("2028-02")).toEqual({ first: "2028-02-01", last: "2028-02-29" });
  });

  it("labels reminder offsets and computes late fees in whole minor units", () => {
    expect([-3, 0, 1, 7].map(offsetLabel)).toEqual(["D-3", "D+0", "D+1", "D+7"]);
    expect(lateFeeAmount({ type: "none", value: 500 }, 10_000)).toBe(0);
    expect(lateFeeAmount({ type: "fixed", value: 700 }, 10_000)).toBe(700);
    expect(lateFeeAmount({ type: "percent", value: 500 }, 20_000)).toBe(1_000); // 5 %
    expect(lateFeeAmount({ type: "percent", value: 250 }, 19_999)).toBe(500); // 499.975 → 500
    expect(lateFeeAmount({ type: "percent", value: 1_000 }, 805_000)).toBe(80_500); // riel
  });
});

describe("invoice list filters from the URL", () => {
  it("keeps known values and drops the rest", () => {
    expect(
      invoiceFiltersFromSearchParams(
        new URLSearchParams("status=overdue&propertyId=0193f3a2-7c1e-7a8b-9c0d-1e2f3a4b5c6d&period=2026-04&currency=usd"),
      ),
    ).toEqual({ status: "overdue", propertyId: "0193f3a2-7c1e-7a8b-9c0d-1e2f3a4b5c6d", period: "2026-04", currency: "USD" });
    expect(invoiceFiltersFromSearchParams({ status: "late", propertyId: "1", period: "2026-4", currency: "EUR" })).toEqual({});
    expect(invoiceFiltersFromSearchParams({ status: ["paid", "void"] })).toEqual({ status: "paid" });
  });
});

describe("instantInZone and nextPeriodStart", () => {
  it("finds the instant a zone's clocks show an hour of a day, across daylight-saving changes", () => {
    expect(instantInZone("2026-04-01", 0, "Asia/Phnom_Penh")).toEqual(new Date("2026-03-31T17:00:00Z"));
    expect(instantInZone("2026-04-01", 12, "Asia/Phnom_Penh")).toEqual(new Date("2026-04-01T05:00:00Z"));
    expect(instantInZone("2026-07-01", 0, "UTC")).toEqual(new Date("2026-07-01T00:00:00Z"));
    // New York: 8 March 2026 starts summer time at 02:00, 1 November 2026 ends it
    expect(instantInZone("2026-03-08", 0, "America/New_York")).toEqual(new Date("2026-03-08T05:00:00Z"));
    expect(instantInZone("2026-03-08", 12, "America/New_York")).toEqual(new Date("2026-03-08T16:00:00Z"));
    expect(instantInZone("2026-11-01", 0, "America/New_York")).toEqual(new Date("2026-11-01T04:00:00Z"));
    expect(instantInZone("2026-11-01", 12, "America/New_York")).toEqual(new Date("2026-11-01T17:00:00Z"));
  });

  it("gives the first day of the next period, across a year end", () => {
    expect(nextPeriodStart("2026-11")).toBe("2026-12-01");
    expect(nextPeriodStart("2026-12")).toBe("2027-01-01");
    expect(nextPeriodStart("2027-01")).toBe("2027-02-01");
  });
});
