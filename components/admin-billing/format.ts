"use client";
import { useMemo } from "react";
import { useI18n } from "@/lib/i18n/client";
import { ADMIN_BILLING_TIMEZONE } from "@/lib/schemas/billing";
import { formatMoney } from "@/lib/money";

/** Formatters in the user's language and the console's time zone. */
export function useBillingFormat() {
  const { locale, formatDate } = useI18n();
  return useMemo(() => {
    const tag = locale === "km" ? "km-KH" : "en-GB";
    const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: ADMIN_BILLING_TIMEZONE });
    return {
      money: (amount: number, currency: string) => formatMoney(amount, currency, locale),
      date: (d: Date | string) => formatDate(d, ADMIN_BILLING_TIMEZONE),
      dateTime: (d: Date | string) => dateTime.format(new Date(d)),
    };
  }, [locale, formatDate]);
}
