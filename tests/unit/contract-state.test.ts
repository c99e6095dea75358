// The contract state machine (one table) and the contract/readings helpers shared by forms and procedures.
import { describe, expect, it } from "vitest";
import {
  CONTRACT_STATUSES,
  canTransitionContract,
  depositReturned,
  isEditableContract,
  legalContractActions,
  nextContractStatus,
} from "@/lib/rentals/contract-state";
import { contractFiltersFromSearchParams, contractFiltersToSearchParams, createContractSchema } from "@/lib/schemas/contracts";
import { parseReadingInput } from "@/lib/schemas/readings";
import { shiftPeriod } from "@/lib/dates";

describe("contract transitions", () => {
  it("allows exactly draft → active → ended | terminated", () => {
    const legal = CONTRACT_STATUSES.flatMap((from) =>
      CONTRACT_STATUSES.filter((to) => canTransitionContract(from, to)).map((to) => `${from}→${to}`),
    );
    expect(legal.sort()).toEqual(["active→ended", "active→terminated", "draft→active"]);
  });

  it("maps actions to statuses and refuses the rest", () => {
    expect(nextContractStatus("draft", "activate")).toBe("active");
    expect(nextContractStatus("active", "end")).toBe("ended");
    expect(nextContractStatus("active", "terminate")).toBe("terminated");
    expect(nextContractStatus("draft", "end")).toBeNull();
    expect(nextContractStatus("active", "activate")).toBeNull();
    expect(nextContractStatus("ended", "activate")).toBeNull();
    expect(nextContractStatus("terminated", "end")).toBeNull();
    expect(legalContractActions("draft")).toEqual(["activate"]);
    expect(legalContractActions("ended")).toEqual([]);
    expect(isEditableContract("draft")).toBe(true);
    expect(isEditableContract("active")).toBe(false);
  });

  it("computes the deposit given back per outcome", () => {
    expect(depositReturned("returned", 500)).toBe(500);
    expect(depositReturned("withheld", 500)).toBe(0);
    expect(depositReturned("withheld", 0)).toBeNull();
    expect(depositReturned("partially_returned", 500, 200)).toBe(200);
    expect(depositReturned("partially_returned", 500, 0)).toBeNull();
    expect(depositReturned("partially_returned", 500, 500)).toBeNull();
    expect(depositReturned("partially_returned", 500, null)).toBeNull();
    expect(depositReturned("partially_returned", 500, 1.5)).toBeNull();
  });
});

describe("contract schema and URL filters", () => {
  const base = {
    unitId: crypto.randomUUID(),
    renterId: crypto.randomUUID(),
    startDate: "2026-01-01",
    rentAmount: 100,
    currency: "USD",
    billingDay: 1,
  };
  it("checks dates, billing day and late fee", () => {
    expect(createContractSchema.safeParse(base).success).toBe(true);
    expect(createContractSchema.safeParse({ ...base, endDate: "2025-12-31" }).success).toBe(false);
    expect(createContractSchema.safeParse({ ...base, startDate: "2026-02-30" }).success).toBe(false);
    expect(createContractSchema.safeParse({ ...base, billingDay: 0 }).success).toBe(false);
    expect(createContractSchema.safeParse({ ...base, lateFeeType: "fixed", lateFeeValue: 0 }).success).toBe(false);
    expect(createContractSchema.safeParse({ ...base, rentAmount: 1.5 }).success).toBe(false);
  });

  it("reads the list filters from the URL, ignoring junk, and writes them back", () => {
    const id = crypto.randomUUID();
    const f = contractFiltersFromSearchParams(new URLSearchParams(`status=active&endingWithinDays=60&propertyId=${id}&renterId=nope&x=1`));
    expect(f).toEqual({ status: "active", endingWithinDays: 60, propertyId: id });
    expect(contractFiltersFromSearchParams({ status: "bogus", endingWithinDays: "-3" })).toEqual({});
    expect(contractFiltersFromSearchParams(new URLSearchParams(contractFiltersToSearchParams(f).slice(1)))).toEqual(f);
    expect(contractFiltersToSearchParams({})).toBe("");
  });
});

describe("readings helpers", () => {
  it("parses grid cells and shifts months", () => {
    expect(parseReadingInput("")).toBeNull();
    expect(parseReadingInput(" 1,234 ")).toBe(1234);
    expect(parseReadingInput("-5")).toBeNaN();
    expect(parseReadingInput("1.5")).toBeNaN();
    expect(shiftPeriod("2026-01", -1)).toBe("2025-12");
    expect(shiftPeriod("2026-12", 1)).toBe("2027-01");
  });
});
