"use client";
import { useMemo } from "react";
import { useI18n } from "@/lib/i18n/client";

/** Date and time in the user's language and the given time zone (the workspace's, or the console's). */
export function useLogFormat(timeZone: string) {
  const { locale } = useI18n();
  return useMemo(() => {
    const tag = locale === "km" ? "km-KH" : "en-GB";
    const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone });
    const number = new Intl.NumberFormat(locale === "km" ? "km-KH" : "en-US");
    return {
      dateTime: (d: Date | string) => dateTime.format(new Date(d)),
      number: (n: number) => number.format(n),
    };
  }, [locale, timeZone]);
}
