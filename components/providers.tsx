"use client";
import type { ReactNode } from "react";
import { I18nProvider } from "@/lib/i18n/client";
import { TRPCReactProvider } from "@/lib/trpc/client";
import type { Locale, Messages } from "@/lib/i18n/config";

export function Providers({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  return (
    <I18nProvider locale={locale} messages={messages}>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </I18nProvider>
  );
}
