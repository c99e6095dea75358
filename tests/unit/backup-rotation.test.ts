import { describe, expect, it } from "vitest";
import { archiveName, archivesToKeep } from "@/server/ops/backup/backup.jobs";

const daily = (day: string, encrypted = false) => archiveName(new Date(`${day}T20:30:00Z`), encrypted);

describe("backup rotation", () => {
  it("names archives by their instant, sortable, .enc when sealed", () => {
    expect(archiveName(new Date("2026-12-06T20:30:05.123Z"), false)).toBe("phteah-2026-12-06T20-30-05Z.tar.gz");
    expect(archiveName(new Date("2026-12-06T20:30:05Z"), true)).toBe("phteah-2026-12-06T20-30-05Z.tar.gz.enc");
  });

  it("keeps the newest N daily archives and the first archive of each of the last M months", () => {
    const names = [
      ...["2026-09-01", "2026-09-02", "2026-10-01", "2026-10-02", "2026-11-01", "2026-11-15"].map((d) => daily(d)),
      ...["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"].map((d) => daily(d)),
      "notes.txt",
      "phteah-latest.tar.gz",
    ];
    const keep = archivesToKeep(names, 3, 2);
    // newest 3: Dec 2, 3, 4; first of the last 2 months: Nov 1, Dec 1
    expect([...keep].sort()).toEqual(["2026-11-01", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"].map((d) => daily(d)));
    // names that are not ours are never candidates (so never removed)
    expect(keep.has("notes.txt")).toBe(false);
  });

  it("keeps only the daily ones with M = 0, and every archive when there are fewer than N", () => {
    const names = ["2026-12-01", "2026-12-02", "2026-12-03"].map((d) => daily(d, true));
    expect([...archivesToKeep(names, 2, 0)].sort()).toEqual([names[1], names[2]]);
    expect([...archivesToKeep(names, 7, 12)].sort()).toEqual(names);
  });
});
