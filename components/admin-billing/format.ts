"use client";
import { useMemo } from "react";
import { useI18n } from "@/lib/i18n/client";
import { ADMIN_BILLING_TIMEZONE } from "@/lib/schemas/billing";

/** Money from integer minor units: USD cents / 100 with 2 decimals, KHR whole riel. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const tag = locale === "km" ? "km-KH" : "en-US";
  const digits = currency === "KHR" ? 0 : 2;
  const major = currency === "KHR" ? amount : amount / 100;
  try {
    return new Intl.NumberFormat(tag, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
      major,
    );
  } catch {
    return `${major.toFixed(digits)} ${currency}`;
  }
}

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

/**
 * A price typed in major units (dollars with ≤ 2 decimals, whole riel) → minor units, or null
 * when it is not a valid amount.
 */
export function parseMajor(text: string, currency: "USD" | "KHR"): number | null {
  const value = text.trim().replace(/,/g, "");
  if (currency === "KHR") return /^\d{1,10}$/.test(value) ? Number(value) : null;
  const m = /^(\d{1,8})(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** Minor units → the text of a price input. */
export function majorText(amount: number, currency: "USD" | "KHR"): string {
  return currency === "KHR" ? String(amount) : (amount / 100).toFixed(2);
}
