import type { ReactNode } from "react";
import { messagesFor } from "@/lib/i18n";
import { I18nProvider } from "@/lib/i18n/client";
import { TRPCReactProvider } from "@/lib/trpc/client";
import { getLocale } from "@/server/core/page-context";
import { readerDigits } from "@/server/core/reader-i18n";

/**
 * The client providers of every page but the workspace home: the translator with the reader's
 * catalog and digits (set on the server, so SSR and the browser agree), and the tRPC client with
 * react-query. The layout of the apex's pages, the console's, and each section of a workspace's host
 * but its home. No layout above the home renders or imports them: a segment's client modules are
 * downloaded with every page under it, and the home translates on the server (issue 17, fast on
 * phones; tests/unit/home-islands.test.ts, tests/unit/page-message-scopes.test.ts).
 */
export default async function AppProviders({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const digits = await readerDigits();
  return (
    <I18nProvider locale={locale} digits={digits} messages={messagesFor(locale)}>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </I18nProvider>
  );
}
