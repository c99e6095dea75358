"use client";
import { useMemo } from "react";
import { useI18n } from "@/lib/i18n/client";
import { ADMIN_BILLING_TIMEZONE } from "@/lib/schemas/billing";

/** Formatters in the user's language and the console's time zone. */
export function useBillingFormat() {
  const { fmt } = useI18n();
  return useMemo(
    () => ({
      money: (amount: number, currency: string) => fmt.money(amount, currency),
      date: (d: Date | string) => fmt.date(d, ADMIN_BILLING_TIMEZONE),
      dateTime: (d: Date | string) => fmt.dateTime(d, ADMIN_BILLING_TIMEZONE),
    }),
    [fmt],
  );
}
