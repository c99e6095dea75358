import type { ReactNode } from "react";
import "notyf/notyf.min.css";
import "../globals.css";
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
      {/* the translator for client components: on a workspace's host the shell's and home's messages
          (every other page of it adds the rest, with the tRPC client and react-query:
          server/core/rest-of-messages.tsx), elsewhere all of them (the apex's and the console's
          layouts add the tRPC client: (marketing)/layout.tsx, admin/layout.tsx). No layout above the
          workspace home imports tRPC's client or react-query: a segment's JavaScript is downloaded
          with it whether or not it renders (issue 17, fast on phones) */}
      <I18nProvider locale={locale} digits={digits} messages={clientMessagesFor(locale, shell ? "shell" : null)}>
        {page}
      </I18nProvider>
    </RootDocument>
  );
}
