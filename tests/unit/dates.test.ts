// lib/dates.ts: days and months in a workspace's time zone, and calendar arithmetic on them.
// Every instant is written out: nothing here depends on today's date or the machine's zone.
import { describe, expect, it } from "vitest";
import {
  PERIOD_PATTERN,
  addDays,
  addDaysToDay,
  addMonths,
  dateToDay,
  dayIn,
  dayToDate,
  daysBetween,
  instantInZone,
  lastPeriods,
  monthBounds,
  monthIn,
  nextPeriodStart,
  noonIn,
  periodBounds,
  periodOfDay,
  previousPeriod,
  shiftPeriod,
  startOfDayIn,
  todayIn,
  yearIn,
} from "@/lib/dates";

const PP = "Asia/Phnom_Penh";
const at = (iso: string) => new Date(iso);

describe("a day in Phnom Penh (UTC+7) around midnight", () => {
  it("reads 23:30 local time as that day and 00:30 as the next", () => {
    // 23:30 on 31 Mar in Phnom Penh = 16:30 UTC; 00:30 on 1 Apr = 17:30 UTC
    expect(dayIn(at("2026-03-31T16:30:00Z"), PP)).toBe("2026-03-31");
    expect(dayIn(at("2026-03-31T17:30:00Z"), PP)).toBe("2026-04-01");
    // the exact boundary belongs to the new day
    expect(dayIn(at("2026-03-31T16:59:59.999Z"), PP)).toBe("2026-03-31");
    expect(dayIn(at("2026-03-31T17:00:00Z"), PP)).toBe("2026-04-01");
    // the same instants in UTC are still 31 March
    expect(dayIn(at("2026-03-31T17:30:00Z"), "UTC")).toBe("2026-03-31");
  });

  it("reads the month and the year in the zone (00:30 on New Year's Day is already the new year)", () => {
    expect(monthIn(at("2026-12-31T16:30:00Z"), PP)).toBe("2026-12");
    expect(monthIn(at("2026-12-31T17:30:00Z"), PP)).toBe("2027-01");
    expect(yearIn(at("2026-12-31T16:30:00Z"), PP)).toBe(2026);
    expect(yearIn(at("2026-12-31T17:30:00Z"), PP)).toBe(2027);
    expect(yearIn(at("2026-12-31T17:30:00Z"), "UTC")).toBe(2026);
  });

  it("todayIn is dayIn of the given clock", () => {
    expect(todayIn(PP, at("2027-12-31T17:30:00Z"))).toBe("2028-01-01");
    expect(todayIn("UTC", at("2027-12-31T17:30:00Z"))).toBe("2027-12-31");
  });

  it("finds where a day starts, its noon and its month's bounds", () => {
    expect(startOfDayIn("2026-04-01", PP)).toEqual(at("2026-03-31T17:00:00Z"));
    expect(noonIn("2026-04-01", PP)).toEqual(at("2026-04-01T05:00:00Z"));
    expect(instantInZone("2026-04-01", 23, PP)).toEqual(at("2026-04-01T16:00:00Z"));
    expect(monthBounds(at("2026-03-31T17:30:00Z"), PP)).toEqual({ start: at("2026-03-31T17:00:00Z"), end: at("2026-04-30T17:00:00Z") });
    expect(monthBounds(at("2026-12-31T16:59:59Z"), PP)).toEqual({ start: at("2026-11-30T17:00:00Z"), end: at("2026-12-31T17:00:00Z") });
  });
});

describe("a daylight-saving zone (sanity: the product's zones need not be fixed-offset)", () => {
  const NY = "America/New_York";

  it("reads days across the spring and autumn changes", () => {
    // 8 Mar 2026 02:00 EST → 03:00 EDT; 1 Nov 2026 02:00 EDT → 01:00 EST
    expect(dayIn(at("2026-03-08T04:59:00Z"), NY)).toBe("2026-03-07");
    expect(dayIn(at("2026-03-08T05:00:00Z"), NY)).toBe("2026-03-08");
    expect(dayIn(at("2026-11-02T04:59:00Z"), NY)).toBe("2026-11-01");
    expect(dayIn(at("2026-11-02T05:00:00Z"), NY)).toBe("2026-11-02");
  });

  it("puts midnight and noon on the right side of each change", () => {
    expect(startOfDayIn("2026-03-08", NY)).toEqual(at("2026-03-08T05:00:00Z"));
    expect(noonIn("2026-03-08", NY)).toEqual(at("2026-03-08T16:00:00Z"));
    expect(startOfDayIn("2026-03-09", NY)).toEqual(at("2026-03-09T04:00:00Z"));
    expect(startOfDayIn("2026-11-01", NY)).toEqual(at("2026-11-01T04:00:00Z"));
    expect(noonIn("2026-11-01", NY)).toEqual(at("2026-11-01T17:00:00Z"));
    expect(monthBounds(at("2026-03-15T12:00:00Z"), NY)).toEqual({ start: at("2026-03-01T05:00:00Z"), end: at("2026-04-01T04:00:00Z") });
  });

  it("maps a midnight that the clocks skip to the first instant of the day", () => {
    // Santiago: 6 Sep 2026 00:00 (UTC-4) jumps to 01:00 (UTC-3); the day starts at 04:00 UTC
    const start = startOfDayIn("2026-09-06", "America/Santiago");
    expect(start).toEqual(at("2026-09-06T04:00:00Z"));
    expect(dayIn(start, "America/Santiago")).toBe("2026-09-06");
    expect(dayIn(new Date(start.getTime() - 1), "America/Santiago")).toBe("2026-09-05");
  });
});

describe("calendar days", () => {
  it("converts between a day and its DATE value (midnight UTC)", () => {
    expect(dayToDate("2026-04-01")).toEqual(at("2026-04-01T00:00:00Z"));
    expect(dateToDay(at("2026-04-01T00:00:00Z"))).toBe("2026-04-01");
    expect(dateToDay(dayToDate("2028-02-29"))).toBe("2028-02-29");
  });

  it("adds days across month ends, leap days and year ends", () => {
    expect(addDaysToDay("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDaysToDay("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDaysToDay("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDaysToDay("2028-02-29", 1)).toBe("2028-03-01");
    expect(addDaysToDay("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDaysToDay("2027-01-01", -1)).toBe("2026-12-31");
    expect(addDaysToDay("2026-03-31", 0)).toBe("2026-03-31");
    expect(daysBetween("2028-02-01", "2028-03-01")).toBe(29);
    expect(daysBetween("2026-02-01", "2026-03-01")).toBe(28);
    expect(daysBetween("2026-12-31", "2026-01-01")).toBe(-364);
  });

  it("gives each month's last day, including leap and century years", () => {
    expect(periodBounds("2026-01")).toEqual({ first: "2026-01-01", last: "2026-01-31" });
    expect(periodBounds("2026-02")).toEqual({ first: "2026-02-01", last: "2026-02-28" });
    expect(periodBounds("2028-02")).toEqual({ first: "2028-02-01", last: "2028-02-29" });
    expect(periodBounds("2100-02").last).toBe("2100-02-28");
    expect(periodBounds("2000-02").last).toBe("2000-02-29");
    expect(periodBounds("2026-04").last).toBe("2026-04-30");
    expect(periodBounds("2026-12").last).toBe("2026-12-31");
  });
});

describe("periods (YYYY-MM)", () => {
  it("moves by months across year ends", () => {
    expect(shiftPeriod("2026-01", -1)).toBe("2025-12");
    expect(shiftPeriod("2026-11", 3)).toBe("2027-02");
    expect(shiftPeriod("2026-05", -17)).toBe("2024-12");
    expect(previousPeriod("2026-01")).toBe("2025-12");
    expect(nextPeriodStart("2026-12")).toBe("2027-01-01");
    expect(periodOfDay("2026-12-31")).toBe("2026-12");
  });

  it("lists the last n periods, oldest first", () => {
    expect(lastPeriods("2026-02", 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(lastPeriods("2026-02", 1)).toEqual(["2026-02"]);
  });

  it("accepts only real months in the period pattern", () => {
    expect(["2026-01", "2026-12"].every((p) => PERIOD_PATTERN.test(p))).toBe(true);
    expect(["2026-00", "2026-13", "2026-1", "26-01", "2026-01-01"].some((p) => PERIOD_PATTERN.test(p))).toBe(false);
  });
});

describe("calendar months of instants (subscription periods, UTC)", () => {
  const utc = (s: string) => at(`${s}Z`);

  it("clamps the 31st to the month's end, leap day included", () => {
    expect(addMonths(utc("2026-01-31T10:00:00"), 1)).toEqual(utc("2026-02-28T10:00:00"));
    expect(addMonths(utc("2028-01-31T10:00:00"), 1)).toEqual(utc("2028-02-29T10:00:00"));
    expect(addMonths(utc("2026-03-31T00:00:00"), 1)).toEqual(utc("2026-04-30T00:00:00"));
    expect(addMonths(utc("2026-12-31T23:59:59"), 2)).toEqual(utc("2027-02-28T23:59:59"));
    expect(addMonths(utc("2028-02-29T08:00:00"), 12)).toEqual(utc("2029-02-28T08:00:00"));
    expect(addMonths(utc("2026-05-15T08:00:00"), -5)).toEqual(utc("2025-12-15T08:00:00"));
  });

  it("keeps a 31st anchor after a clamped month", () => {
    // 31 Jan → 29 Feb (clamped) → with the anchor 31: 31 Mar, then 30 Apr, then 31 May
    const feb = addMonths(utc("2028-01-31T00:00:00"), 1);
    expect(feb).toEqual(utc("2028-02-29T00:00:00"));
    const mar = addMonths(feb, 1, 31);
    expect(mar).toEqual(utc("2028-03-31T00:00:00"));
    const apr = addMonths(mar, 1, 31);
    expect(apr).toEqual(utc("2028-04-30T00:00:00"));
    expect(addMonths(apr, 1, 31)).toEqual(utc("2028-05-31T00:00:00"));
    // without the anchor the clamped day would stick
    expect(addMonths(feb, 1)).toEqual(utc("2028-03-29T00:00:00"));
  });

  it("adds whole days", () => {
    expect(addDays(utc("2026-02-27T12:00:00"), 2)).toEqual(utc("2026-03-01T12:00:00"));
    expect(addDays(utc("2026-03-01T12:00:00"), -1)).toEqual(utc("2026-02-28T12:00:00"));
  });
});
