// /admin/jobs shows each job's schedule in words on the console's clock, not as cron text (issue 17).
import { describe, expect, it } from "vitest";
import { createTranslator } from "@/lib/i18n";
import { scheduleInWords } from "@/lib/schedule-words";
import { JOBS } from "@/server/ops/jobs.admin";

const en = createTranslator("en");
const km = createTranslator("km");
const PP = "Asia/Phnom_Penh";

describe("job schedules in words", () => {
  it("says every minute, every N minutes, hourly and daily (UTC cron, Phnom Penh clock)", () => {
    expect(scheduleInWords(en, "* * * * *", PP, "en")).toBe("Every minute");
    expect(scheduleInWords(en, "*/5 * * * *", PP, "en")).toBe("Every 5 minutes");
    expect(scheduleInWords(en, "5 * * * *", PP, "en")).toBe("Every hour, at 05 minutes past");
    expect(scheduleInWords(en, "30 20 * * *", PP, "en")).toBe("Every day at 03:30 (Phnom Penh time)");
    expect(scheduleInWords(en, "0 0 * * *", PP, "en")).toBe("Every day at 07:00 (Phnom Penh time)");
    expect(scheduleInWords(km, "0 0 * * *", PP, "km")).toBe("រៀងរាល់ថ្ងៃ នៅម៉ោង 07:00 (ម៉ោងភ្នំពេញ)");
    expect(scheduleInWords(en, "0 0 1 * *", PP, "en")).toBe("On a custom schedule");
  });

  it("has words for every job's schedule", () => {
    for (const { schedule: cron } of Object.values(JOBS))
      expect(scheduleInWords(en, cron, PP, "en"), cron).not.toBe("On a custom schedule");
  });
});
