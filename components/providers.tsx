"use client";
import type { ReactNode } from "react";
import { I18nProvider } from "@/lib/i18n/client";
import { TRPCReactProvider } from "@/lib/trpc/client";
import type { Locale, Messages } from "@/lib/i18n/config";
import type { Digits } from "@/lib/i18n/format";

export function Providers({
  locale,
  messages,
  digits,
  children,
}: {
  locale: Locale;
  messages: Messages;
  digits?: Digits;
  children: ReactNode;
}) {
  return (
    <I18nProvider locale={locale} messages={messages} digits={digits}>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </I18nProvider>
  );
}
