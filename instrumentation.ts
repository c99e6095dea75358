import * as Sentry from "@sentry/nextjs";

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // refuse to start on bad configuration, with the list of problems
    const { validateEnv } = await import("./env");
    const env = validateEnv();
    const { sentryOptions } = await import("./lib/observability/sentry");
    Sentry.init(sentryOptions(env.SENTRY_DSN, env.SENTRY_ENVIRONMENT));
  }
}

export const onRequestError = Sentry.captureRequestError;
