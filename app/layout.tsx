import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "notyf/notyf.min.css";
import "./globals.css";
import { inter, khmer } from "./fonts";
import { Providers } from "@/components/providers";
import { cookies, headers } from "next/headers";
import { clientMessagesFor, isPageMessageScope } from "@/lib/i18n";
import { MESSAGE_SCOPE_HEADER } from "@/lib/i18n/config";
import { DEFAULT_DIGITS, DIGITS_COOKIE, isDigits } from "@/lib/i18n/format";
import { getLocale, getT } from "@/server/core/page-context";
import { StagingBanner } from "@/components/layout/staging-banner";
import { StagingBannerStatic } from "@/components/layout/staging-banner-static";
import { getEnv } from "@/env";
import { browserSentryDsn } from "@/server/core/observability/sentry-tunnel";

export const metadata: Metadata = {
  title: { default: "Phteah", template: "%s · Phteah" },
  description: "Rental management for Cambodia",
  // public/ (scripts/icons.ts); the manifest link comes from app/manifest.ts
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icons/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0f766e" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const env = getEnv();
  // the pay page's browser code needs a few namespaces, not the whole catalog (proxy.ts marks it)
  const scope = (await headers()).get(MESSAGE_SCOPE_HEADER);
  // the browser's Sentry DSN is read at run time (instrumentation-client.ts): one build serves
  // production and staging; events go through the same-origin tunnel /api/monitoring
  const sentryDsn = browserSentryDsn(env);
  // the reader's digits (Latin unless they chose Khmer ones on the account page), set on the server so SSR and the browser agree
  const digitsCookie = (await cookies()).get(DIGITS_COOKIE)?.value;
  const digits = isDigits(digitsCookie) ? digitsCookie : DEFAULT_DIGITS;
  return (
    <html lang={locale} className={`${inter.variable} ${khmer.variable}`}>
      {sentryDsn && (
        <head>
          <meta name="sentry-dsn" content={sentryDsn} />
          {env.SENTRY_ENVIRONMENT && <meta name="sentry-environment" content={env.SENTRY_ENVIRONMENT} />}
        </head>
      )}
      <body className="font-sans text-slate-900 antialiased">
        {scope !== "pay" ? (
          <Providers locale={locale} digits={digits} messages={clientMessagesFor(locale, isPageMessageScope(scope) ? scope : null)}>
            {env.APP_ENV === "staging" && <StagingBanner />}
            {children}
          </Providers>
        ) : (
          // the renter pay page mounts none of the app's client providers (tRPC, react-query,
          // next-intl): its layout brings the few strings its island uses (issue 17, fast on phones)
          <>
            {env.APP_ENV === "staging" && <StagingBannerStatic text={(await getT())("app.stagingBanner")} />}
            {children}
          </>
        )}
      </body>
    </html>
  );
}
