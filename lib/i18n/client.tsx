"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { NextIntlClientProvider, useLocale, useMessages, useTranslations } from "next-intl";
import { DEFAULT_TIME_ZONE, withParams, type Locale, type Messages, type Translator } from "./config";
import { intlErrorHandling } from "./intl-errors";
import { createFormat, DEFAULT_DIGITS, withDigits, type Digits } from "./format";

const DigitsContext = createContext<Digits>(DEFAULT_DIGITS);

/**
 * next-intl for client components, with the active locale's messages only (the layouts of every
 * page but the workspace home pass them in: server/core/app-providers.tsx). The error handling is set here because functions cannot cross from the
 * server layout to the browser.
 */
export function I18nProvider({
  locale,
  messages,
  digits = DEFAULT_DIGITS,
  children,
}: {
  locale: Locale;
  messages: Messages;
  /** the reader's digits (Latin unless they chose Khmer ones; see lib/i18n/format.ts) */
  digits?: Digits;
  children: ReactNode;
}) {
  const handling = useMemo(() => intlErrorHandling(messages), [messages]);
  return (
    <NextIntlClientProvider locale={locale} messages={messages} timeZone={DEFAULT_TIME_ZONE} {...handling}>
      <DigitsContext.Provider value={digits}>{children}</DigitsContext.Provider>
    </NextIntlClientProvider>
  );
}

/**
 * `{ locale, digits, fmt, t, formatDate, formatDateTime }` for client components, over next-intl's
 * useTranslations. `fmt` is lib/i18n/format.ts's formatter (dates, months, numbers, money) in the
 * reader's language and digits; `t` prints the reader's digits too (params given as text as is).
 */
export function useI18n() {
  const locale = useLocale();
  const messages = useMessages();
  const translate = useTranslations();
  const digits = useContext(DigitsContext);
  return useMemo(() => {
    const fmt = createFormat(locale, digits);
    const t = withParams(messages, (key, params) => translate(key as Parameters<typeof translate>[0], params)) as Translator;
    return {
      locale,
      digits,
      fmt,
      t: withDigits(t, digits),
      /** dates in the user's locale, Phnom Penh time unless told otherwise */
      formatDate: (d: Date | string, timeZone = DEFAULT_TIME_ZONE) => fmt.date(d, timeZone),
      /** date and time, Phnom Penh unless told otherwise */
      formatDateTime: (d: Date | string, timeZone = DEFAULT_TIME_ZONE) => fmt.dateTime(d, timeZone),
    };
  }, [locale, digits, messages, translate]);
}
