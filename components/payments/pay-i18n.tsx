"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createFormat, DEFAULT_DIGITS, withDigits, type Digits } from "@/lib/i18n/format";

/**
 * The renter pay page's own few strings, without next-intl or the app's providers (issue 17: the
 * pay page ships no more JavaScript than it needs). The pay page's layout passes the messages its
 * browser code uses (app/(pay)/t/[tenant]/pay/[token]/layout.tsx); every message there is plain `{param}`
 * interpolation (lib/i18n/messages/areas/pay-page.ts), so no ICU formatter is needed.
 */
type PayMessages = Record<string, unknown>;
type Params = Record<string, string | number>;
export type PayTranslator = (key: string, params?: Params) => string;

const PayI18nContext = createContext<{ locale: string; digits: Digits; messages: PayMessages }>({
  locale: "km",
  digits: DEFAULT_DIGITS,
  messages: {},
});

export function PayI18nProvider({
  locale,
  digits = DEFAULT_DIGITS,
  messages,
  children,
}: {
  locale: string;
  digits?: Digits;
  messages: PayMessages;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ locale, digits, messages }), [locale, digits, messages]);
  return <PayI18nContext.Provider value={value}>{children}</PayI18nContext.Provider>;
}

function lookup(messages: PayMessages, key: string): string | undefined {
  let at: unknown = messages;
  for (const part of key.split(".")) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === "string" ? at : undefined;
}

/** `{ t, fmt, formatDate }` like lib/i18n/client.tsx's useI18n, for the pay page's island only. */
export function usePayI18n() {
  const { locale, digits, messages } = useContext(PayI18nContext);
  return useMemo(() => {
    const fmt = createFormat(locale, digits);
    const plain: PayTranslator = (key, params) => {
      const message = lookup(messages, key) ?? key;
      if (!params) return message;
      return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        return value === undefined ? whole : typeof value === "number" ? fmt.number(value) : value;
      });
    };
    return {
      fmt,
      t: withDigits(plain as (key: never, params?: Params) => string, digits) as PayTranslator,
      formatDate: (d: Date | string, timeZone?: string) => fmt.date(d, timeZone),
    };
  }, [locale, digits, messages]);
}
