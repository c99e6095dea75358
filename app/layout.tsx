import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "notyf/notyf.min.css";
import "./globals.css";
import { inter, khmer } from "./fonts";
import { Providers } from "@/components/providers";
import { messagesFor } from "@/lib/i18n";
import { getLocale } from "@/server/core/page-context";
import { StagingBanner } from "@/components/layout/staging-banner";
import { getEnv } from "@/env";

export const metadata: Metadata = {
  title: { default: "Phteah", template: "%s · Phteah" },
  description: "Rental management for Cambodia",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale} className={`${inter.variable} ${khmer.variable}`}>
      <body className="font-sans text-slate-900 antialiased">
        <Providers locale={locale} messages={messagesFor(locale)}>
          {getEnv().APP_ENV === "staging" && <StagingBanner />}
          {children}
        </Providers>
      </body>
    </html>
  );
}
