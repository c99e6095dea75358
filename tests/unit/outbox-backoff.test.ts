// Retry schedule of the outbox relay.
import { describe, expect, it } from "vitest";
import { backoffMs } from "@/server/core/outbox-relay.jobs";

describe("backoffMs", () => {
  it("starts at 30 s and doubles per attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
  });

  it("is capped at one hour", () => {
    expect(backoffMs(8)).toBe(3_600_000);
    expect(backoffMs(10)).toBe(3_600_000);
    expect(backoffMs(1000)).toBe(3_600_000);
  });

  it("never goes below 30 s for zero or negative attempts", () => {
    expect(backoffMs(0)).toBe(30_000);
    expect(backoffMs(-3)).toBe(30_000);
  });

  it("is monotonic", () => {
    for (let n = 1; n < 20; n++) expect(backoffMs(n + 1)).toBeGreaterThanOrEqual(backoffMs(n));
  });
});
