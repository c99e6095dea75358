"use client";
import { useMemo, type ReactNode } from "react";
import { NextIntlClientProvider, useLocale, useMessages, useTranslations } from "next-intl";
import { DEFAULT_TIME_ZONE, intlErrorHandling, withParams, type Locale, type Messages, type Translator } from "./config";

/**
 * next-intl for client components, with the active locale's messages only (the root layout
 * passes them in). The error handling is set here because functions cannot cross from the
 * server layout to the browser.
 */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const handling = useMemo(() => intlErrorHandling(messages), [messages]);
  return (
    <NextIntlClientProvider locale={locale} messages={messages} timeZone={DEFAULT_TIME_ZONE} {...handling}>
      {children}
    </NextIntlClientProvider>
  );
}

/** `{ locale, t, formatDate, formatDateTime }` for client components, over next-intl's useTranslations. */
export function useI18n() {
  const locale = useLocale();
  const messages = useMessages();
  const translate = useTranslations();
  return useMemo(
    () => ({
      locale,
      t: withParams(messages, (key, params) => translate(key as Parameters<typeof translate>[0], params)) as Translator,
      /** dates in the user's locale, Phnom Penh time unless told otherwise */
      formatDate: (d: Date | string, timeZone = DEFAULT_TIME_ZONE) =>
        new Intl.DateTimeFormat(locale === "km" ? "km-KH" : "en-GB", { dateStyle: "medium", timeZone }).format(new Date(d)),
      /** date and time, Phnom Penh unless told otherwise */
      formatDateTime: (d: Date | string, timeZone = DEFAULT_TIME_ZONE) =>
        new Intl.DateTimeFormat(locale === "km" ? "km-KH" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(
          new Date(d),
        ),
    }),
    [locale, messages, translate],
  );
}
