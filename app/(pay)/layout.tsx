import type { ReactNode } from "react";
import "../globals.css";
import { getLocale, getT } from "@/server/core/page-context";
import { StagingBannerStatic } from "@/components/layout/staging-banner-static";
import { getEnv } from "@/env";
import { RootDocument, rootMetadata, rootViewport } from "../root-document";

export const metadata = rootMetadata;
export const viewport = rootViewport;

/**
 * The renter pay page's own root layout (issue 17, fast on phones): none of the app's client
 * providers (tRPC, react-query, next-intl, Notyf), so the browser downloads React, the page's island
 * and nothing else. Its island gets the few strings it uses from pay/[token]/layout.tsx.
 */
export default async function PayRootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <RootDocument locale={locale}>
      {getEnv().APP_ENV === "staging" && <StagingBannerStatic text={(await getT())("app.stagingBanner")} />}
      {children}
    </RootDocument>
  );
}
