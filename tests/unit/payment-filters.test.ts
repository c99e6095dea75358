// The /payments filters read from the URL (dashboard links land there) and the list's input schema.
import { describe, expect, it } from "vitest";
import { listRentPaymentsSchema, paymentFiltersFromSearchParams } from "@/lib/schemas/rent-payments";

describe("payment list filters from the URL", () => {
  it("keeps known values and drops the rest", () => {
    expect(
      paymentFiltersFromSearchParams(
        new URLSearchParams(
          "status=refunded&method=khqr&currency=khr&propertyId=0193f3a2-7c1e-7a8b-9c0d-1e2f3a4b5c6d&period=2026-04&from=2026-04-01&to=2026-04-30",
        ),
      ),
    ).toEqual({
      status: "refunded",
      method: "khqr",
      currency: "KHR",
      propertyId: "0193f3a2-7c1e-7a8b-9c0d-1e2f3a4b5c6d",
      period: "2026-04",
      from: "2026-04-01",
      to: "2026-04-30",
    });
    expect(
      paymentFiltersFromSearchParams({
        status: "void",
        method: "cheque",
        currency: "EUR",
        propertyId: "1",
        period: "2026-13",
        from: "2026-02-30",
        to: "yesterday",
      }),
    ).toEqual({});
    expect(paymentFiltersFromSearchParams({ method: ["cash", "khqr"] })).toEqual({ method: "cash" });
  });

  it("lists paid payments, newest first, by default", () => {
    expect(listRentPaymentsSchema.parse({})).toMatchObject({ status: "paid", sort: { id: "paidAt", desc: true }, limit: 25 });
    expect(listRentPaymentsSchema.safeParse({ sort: { id: "reference", desc: true } }).success).toBe(false);
    expect(listRentPaymentsSchema.safeParse({ from: "2026-02-29" }).success).toBe(false);
    expect(listRentPaymentsSchema.safeParse({ from: "2028-02-29" }).success).toBe(true);
  });
});
