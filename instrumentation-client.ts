import {
  browserDsn,
  browserSentryIfLoaded,
  bufferUntilSentry,
  IDLE_AFTER_LOAD_MS,
  loadBrowserSentry,
  sentryLoadPlan,
} from "./lib/observability/sentry-browser";

// Sentry in the browser, off the page's first load (issue 17, fast on phones): the SDK is its own
// chunk (lib/observability/sentry-browser.ts), asked for when the browser is idle a few seconds after
// the page has loaded (IDLE_AFTER_LOAD_MS), or at once when an error comes first. Until it is there, a tiny listener keeps every
// error and unhandled rejection, and the SDK reports them as soon as it has started (then its own
// handlers take over). The renter pay page asks for it only on the first error (sentryLoadPlan says
// why). Without a DSN nothing is listened to or loaded.
if (browserDsn()) {
  bufferUntilSentry({
    target: window,
    load: loadBrowserSentry,
    schedule: (start) => {
      if (sentryLoadPlan(location.pathname) === "first-error") return;
      // the first seconds after load belong to the reader (a phone is still hydrating and answering
      // the first taps): the SDK's start waits IDLE_AFTER_LOAD_MS, then for an idle moment
      const whenIdle = () =>
        setTimeout(() => {
          if (typeof requestIdleCallback === "function") requestIdleCallback(start, { timeout: 5000 });
          else start();
        }, IDLE_AFTER_LOAD_MS);
      if (document.readyState === "complete") whenIdle();
      else addEventListener("load", whenIdle, { once: true });
    },
  });
}

/** Next's client navigations, for Sentry's navigation spans once the SDK is there (tracing is off today). */
export function onRouterTransitionStart(...args: Parameters<typeof import("@sentry/nextjs").captureRouterTransitionStart>) {
  browserSentryIfLoaded()?.captureRouterTransitionStart(...args);
}
