import type { ReactNode } from "react";
import "notyf/notyf.min.css";
import "../globals.css";
import { Providers } from "@/components/providers";
import { I18nProvider } from "@/lib/i18n/client";
import { cookies } from "next/headers";
import { clientMessagesFor } from "@/lib/i18n";
import { DEFAULT_DIGITS, DIGITS_COOKIE, isDigits } from "@/lib/i18n/format";
import { getLocale, getScope } from "@/server/core/page-context";
import { StagingBanner } from "@/components/layout/staging-banner";
import { getEnv } from "@/env";
import { RootDocument, rootMetadata, rootViewport } from "../root-document";

export const metadata = rootMetadata;
export const viewport = rootViewport;

/** The root layout of every page (the renter pay page is a route handler: app/(pay)/t/[tenant]/pay/[token]/route.ts). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  // on a workspace's host, the namespaces of its shell and home; every other page of it adds the
  // rest with its layout (server/core/rest-of-messages.tsx; lib/i18n/catalogs.ts)
  const shell = (await getScope())?.kind === "tenant";
  // the reader's digits (Latin unless they chose Khmer ones on the account page), set on the server so SSR and the browser agree
  const digitsCookie = (await cookies()).get(DIGITS_COOKIE)?.value;
  const digits = isDigits(digitsCookie) ? digitsCookie : DEFAULT_DIGITS;
  const page = (
    <>
      {getEnv().APP_ENV === "staging" && <StagingBanner />}
      {children}
    </>
  );
  return (
    <RootDocument locale={locale}>
      {shell ? (
        // no tRPC client or react-query here on a workspace's host: the home does not use them, and the
        // browser runs a client module only when a page renders it (issue 17, fast on phones); every
        // other page of the host gets their provider from the layer that adds the rest of the messages
        // (server/core/rest-of-messages.tsx), the closed workspace's notice from its own (../t/[tenant]/layout.tsx)
        <I18nProvider locale={locale} digits={digits} messages={clientMessagesFor(locale, "shell")}>
          {page}
        </I18nProvider>
      ) : (
        <Providers locale={locale} digits={digits} messages={clientMessagesFor(locale, null)}>
          {page}
        </Providers>
      )}
    </RootDocument>
  );
}
