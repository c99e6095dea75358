// The browser's Sentry SDK, loaded after the page is interactive (issue 17, fast on phones): it is
// about a third of the JavaScript a page used to run before its first input. instrumentation-client.ts
// keeps a tiny listener for errors and unhandled rejections from the first script on, asks for the
// SDK when the browser is idle after load (or at once on the first error), and hands the SDK what it
// caught meanwhile; error boundaries report through captureBrowserError. Without a DSN nothing loads.
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
