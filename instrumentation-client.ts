import * as Sentry from "@sentry/nextjs";
import { sentryOptions } from "./lib/observability/sentry";

Sentry.init(sentryOptions(process.env.NEXT_PUBLIC_SENTRY_DSN, process.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT));

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
