"use client";
import { useMemo } from "react";
import { useI18n } from "@/lib/i18n/client";

/** Date and time in the user's language and the given time zone (the workspace's, or the console's). */
export function useLogFormat(timeZone: string) {
  const { fmt } = useI18n();
  return useMemo(
    () => ({
      dateTime: (d: Date | string) => fmt.dateTime(d, timeZone),
      number: (n: number) => fmt.number(n),
    }),
    [fmt, timeZone],
  );
}
