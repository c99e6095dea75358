// The part of Sentry's SDK the browser uses, as one lazily loaded chunk (lib/observability/sentry-browser.ts
// imports this file dynamically). Named re-exports so the bundler keeps only these: a dynamic import
// of "@sentry/nextjs" itself keeps the whole SDK (replay, feedback, profiling: 440 KB).
export { init, captureException, captureRouterTransitionStart } from "@sentry/nextjs";
export { sentryOptions } from "./sentry";
