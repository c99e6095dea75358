// The browser's Sentry SDK, loaded after the page is interactive (issue 17, fast on phones): it is
// about a third of the JavaScript a page used to run before its first input. instrumentation-client.ts
// keeps a tiny listener for errors and unhandled rejections from the first script on, asks for the
// SDK when the browser is idle after load (or at once on the first error; on the renter pay page only
// then: sentryLoadPlan), and hands the SDK what it caught meanwhile; error boundaries report through
// captureBrowserError. Without a DSN nothing loads.
//
// The DSN: the build's NEXT_PUBLIC_SENTRY_DSN, else the one the server put in the page (root
// document, from SENTRY_DSN at run time). Events then travel through the same-origin tunnel
// /api/monitoring, so the content security policy needs no Sentry host. Scrubbed before they leave
// (beforeSend, beforeBreadcrumb in ./sentry).

type SentrySdk = Omit<typeof import("./sentry-browser-sdk"), "sentryOptions">;

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") || undefined;

/** The browser's DSN and whether it came from the page (then events go through the tunnel). */
export function browserDsn(): { dsn: string; fromPage: boolean } | null {
  if (typeof document === "undefined") return null;
  const built = process.env.NEXT_PUBLIC_SENTRY_DSN || undefined;
  const dsn = built ?? meta("sentry-dsn");
  return dsn ? { dsn, fromPage: !built } : null;
}

let sdk: Promise<SentrySdk | null> | undefined;
let ready: SentrySdk | null = null;

/** The initialised SDK (loaded once; null without a DSN). A chunk that failed to load is asked for again next time. */
export function loadBrowserSentry(): Promise<SentrySdk | null> {
  sdk ??= (async () => {
    const found = browserDsn();
    if (!found) return null;
    const { sentryOptions, ...Sentry } = await import("./sentry-browser-sdk");
    Sentry.init({
      ...sentryOptions(found.dsn, process.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT || meta("sentry-environment")),
      ...(found.fromPage ? { tunnel: "/api/monitoring" } : {}),
    });
    ready = Sentry;
    return Sentry;
  })().catch(() => {
    sdk = undefined;
    return null;
  });
  return sdk;
}

/** The SDK when it has already loaded and started, else null (starts nothing). */
export function browserSentryIfLoaded(): SentrySdk | null {
  return ready;
}

/** Reports an error caught by an error boundary (loads the SDK when it is not there yet). */
export function captureBrowserError(error: unknown): void {
  void loadBrowserSentry().then((Sentry) => Sentry?.captureException(error));
}

/**
 * When a page asks for the SDK: "idle" (after load, when the browser is idle; breadcrumbs and
 * sessions from then on) or "first-error" (only when an error comes; nothing before it).
 *
 * The renter pay page (`/pay/<token>`, one invoice and a QR on a renter's phone) loads it only on
 * the first error: the idle load still ran inside the phone's first seconds (0.2–0.4 s of scripting
 * under Lighthouse's 4× CPU slowdown, 55 KB gzipped over slow 4G), while an error-free visit there
 * has nothing to report, and the breadcrumbs an error on it loses are the few of one page. Errors on
 * it are still caught from the first script on, kept, and sent once the SDK has started
 * (`e2e/sentry.spec.ts`). Every other page loads it when idle. Issue 17; docs/OPERATIONS.md.
 */
export function sentryLoadPlan(pathname: string): "idle" | "first-error" {
  return /^\/(?:t\/[^/]+\/)?pay\/[^/]+/.test(pathname) ? "first-error" : "idle";
}

/**
 * Every other page asks for the SDK this long after `load`, then when the browser is idle: its start
 * (0.3–0.6 s of scripting under mobile Lighthouse's 4× CPU slowdown) then falls after a phone's first
 * seconds on the page instead of inside them. Errors before it are kept and sent, as above.
 */
export const IDLE_AFTER_LOAD_MS = 5000;

/** What bufferUntilSentry needs of the SDK. */
interface Capturer {
  captureException(error: unknown): unknown;
}

/**
 * Keeps every error and unhandled rejection `target` (the window) reports until the SDK is there,
 * then hands them to it and stops listening (the SDK's own handlers take over). The SDK is asked
 * for by `schedule` (idle after load) or at once by the first error; a load that failed is asked
 * for again by the next error.
 */
export function bufferUntilSentry({
  target,
  load,
  schedule,
}: {
  target: Pick<EventTarget, "addEventListener" | "removeEventListener">;
  load: () => Promise<Capturer | null>;
  schedule: (start: () => void) => void;
}): void {
  const caught: unknown[] = [];
  let starting = false;
  let done = false;
  const start = async () => {
    if (starting || done) return;
    starting = true;
    const Sentry = await load().catch(() => null);
    starting = false;
    if (!Sentry) return;
    done = true;
    target.removeEventListener("error", onError);
    target.removeEventListener("unhandledrejection", onRejection);
    for (const error of caught.splice(0)) Sentry.captureException(error);
  };
  const onError = (e: Event) => {
    const event = e as ErrorEvent;
    caught.push(event.error ?? event.message);
    void start();
  };
  const onRejection = (e: Event) => {
    caught.push((e as PromiseRejectionEvent).reason);
    void start();
  };
  target.addEventListener("error", onError);
  target.addEventListener("unhandledrejection", onRejection);
  schedule(() => void start());
}
