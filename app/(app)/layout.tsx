import type { ReactNode } from "react";
import "notyf/notyf.min.css";
import "../globals.css";
import { getLocale, getT } from "@/server/core/page-context";
import { ErrorWordsProvider } from "@/components/layout/error-words";
import { StagingBannerStatic } from "@/components/layout/staging-banner-static";
import { getEnv } from "@/env";
import { RootDocument, rootMetadata, rootViewport } from "../root-document";

export const metadata = rootMetadata;
export const viewport = rootViewport;

/** The root layout of every page (the renter pay page is a route handler: app/(pay)/t/[tenant]/pay/[token]/route.ts). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getT();
  return (
    <RootDocument locale={locale}>
      {/* No client providers here: every page but the workspace home gets the translator and the
          tRPC client from its own layout (server/core/app-providers.tsx); the home translates on the
          server and its JavaScript carries neither (a segment's client modules are downloaded with
          every page under it: issue 17, fast on phones). The error boundaries' words come from here. */}
      <ErrorWordsProvider
        words={{
          title: t("errors.errorTitle"),
          body: t("errors.errorBody"),
          reference: t("errors.reference", { ref: "{ref}" }),
          tryAgain: t("errors.tryAgain"),
        }}
      >
        {getEnv().APP_ENV === "staging" && <StagingBannerStatic text={t("app.stagingBanner")} />}
        {children}
      </ErrorWordsProvider>
    </RootDocument>
  );
}
