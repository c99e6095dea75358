"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { translate, type Locale, type MessageKey, type Messages, type TranslateParams } from "./index";

const I18nContext = createContext<{ locale: Locale; messages: Messages } | null>(null);

export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const value = useMemo(() => ({ locale, messages }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  const { locale, messages } = ctx;
  return useMemo(
    () => ({
      locale,
      t: (key: MessageKey, params?: TranslateParams) => translate(messages, key, params),
      /** dates in the user's locale, Phnom Penh time unless told otherwise */
      formatDate: (d: Date | string, timeZone = "Asia/Phnom_Penh") =>
        new Intl.DateTimeFormat(locale === "km" ? "km-KH" : "en-GB", { dateStyle: "medium", timeZone }).format(new Date(d)),
    }),
    [locale, messages],
  );
}
