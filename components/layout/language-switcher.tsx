"use client";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { useI18n } from "@/lib/i18n/client";
import { LanguageSelect } from "./language-select";

/** The language select, translated in the browser (pages whose header is a client component). */
export function LanguageSwitcher() {
  const { t, locale } = useI18n();
  return (
    <LanguageSelect
      locale={locale as Locale}
      label={t("app.language")}
      options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
    />
  );
}
