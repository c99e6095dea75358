import * as Sentry from "@sentry/nextjs";
import { sentryOptions } from "./lib/observability/sentry";

// The DSN: the build's NEXT_PUBLIC_SENTRY_DSN, else the one the server put in the page (root
// layout, from SENTRY_DSN at run time). Events then travel through the same-origin tunnel
// /api/monitoring, so the content security policy needs no Sentry host. Scrubbed before they
// leave (beforeSend, beforeBreadcrumb).
const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") || undefined;
const builtDsn = process.env.NEXT_PUBLIC_SENTRY_DSN || undefined;
const dsn = builtDsn ?? meta("sentry-dsn");

Sentry.init({
  ...sentryOptions(dsn, process.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT || meta("sentry-environment")),
  ...(dsn && !builtDsn ? { tunnel: "/api/monitoring" } : {}),
});

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
