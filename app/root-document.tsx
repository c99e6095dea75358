import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { khmer } from "./fonts";
import { getEnv } from "@/env";
import { browserSentryDsn } from "@/server/core/observability/sentry-tunnel";

// The document of app/(app)/layout.tsx (every page, with the app's client providers) and
// app/global-not-found.tsx. The renter pay page is no React page: its route handler writes the same
// document's head itself (server/pay-page/document.ts; issues 13 and 17).

export const rootMetadata: Metadata = {
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

export const rootViewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0f766e" };

export function RootDocument({ locale, children }: { locale: string; children: ReactNode }) {
  const env = getEnv();
  // the browser's Sentry DSN is read at run time (instrumentation-client.ts): one build serves
  // production and staging; events go through the same-origin tunnel /api/monitoring
  const sentryDsn = browserSentryDsn(env);
  return (
    <html lang={locale} className={khmer.variable}>
      {sentryDsn && (
        <head>
          <meta name="sentry-dsn" content={sentryDsn} />
          {env.SENTRY_ENVIRONMENT && <meta name="sentry-environment" content={env.SENTRY_ENVIRONMENT} />}
        </head>
      )}
      <body className="font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
