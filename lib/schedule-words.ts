// A job's cron schedule in words ("Every day at 07:00 (Phnom Penh time)") for /admin/jobs, instead
// of the cron text. Schedules are UTC (as Inngest reads them, server/ops/job-runs.jobs.ts); the
// words give the time on the reader's clock. Isomorphic.
import type { Locale, Translator } from "@/lib/i18n";
import { timeZoneLabel } from "@/lib/time-zone-label";

const NUMBER = /^\d+$/;

function clock(hourUtc: number, minute: number, timeZone: string): string {
  // any day without a clock change: Cambodia has none; elsewhere the words are for orientation
  const at = new Date(Date.UTC(2026, 0, 15, hourUtc, minute));
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}

/** The words for the schedules the jobs use: every minute, every N minutes, hourly at :MM, daily at HH:MM. */
export function scheduleInWords(t: Translator, cron: string, timeZone: string, locale: Locale | string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return t("schedule.custom");
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  if (day !== "*" || month !== "*" || weekday !== "*") return t("schedule.custom");
  if (minute === "*" && hour === "*") return t("schedule.everyMinute");
  const every = /^\*\/(\d+)$/.exec(minute);
  if (every && hour === "*") return t("schedule.everyMinutes", { count: Number(every[1]) });
  if (NUMBER.test(minute) && hour === "*") return t("schedule.hourly", { minute: minute.padStart(2, "0") });
  if (NUMBER.test(minute) && NUMBER.test(hour)) {
    return t("schedule.daily", { time: clock(Number(hour), Number(minute), timeZone), zone: timeZoneLabel(timeZone, locale) });
  }
  return t("schedule.custom");
}
