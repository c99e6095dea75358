// Issue 17, fast on phones: the browser's Sentry SDK is not in any page's first JavaScript. It loads
// when the browser is idle after load, or at once on the first error; what was thrown before it
// started is reported by it (lib/observability/sentry-browser.ts bufferUntilSentry).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bufferUntilSentry, IDLE_AFTER_LOAD_MS, sentryLoadPlan } from "@/lib/observability/sentry-browser";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

/** the browser's first scripts and the client error boundaries every page carries */
const EAGER = ["instrumentation-client.ts", "lib/observability/sentry-browser.ts", "app/(app)/error.tsx", "app/global-error.tsx"];

const errorEvent = (error: unknown) => Object.assign(new Event("error"), { error, message: String(error) });
const rejection = (reason: unknown) => Object.assign(new Event("unhandledrejection"), { reason });
const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const target = new EventTarget();
  const captured: unknown[] = [];
  const loads: { resolve: (sdk: { captureException(e: unknown): void } | null) => void }[] = [];
  let scheduled: (() => void) | undefined;
  bufferUntilSentry({
    target,
    load: () => new Promise((resolve) => loads.push({ resolve })),
    schedule: (start) => {
      scheduled = start;
    },
  });
  const sdk = { captureException: (e: unknown) => void captured.push(e) };
  return { target, captured, loads, sdk, idle: () => scheduled?.() };
}

describe("the browser's Sentry SDK off the first load", () => {
  it("is imported by no eager browser file (only by a dynamic import)", () => {
    for (const file of EAGER) {
      const text = read(file);
      expect(text, file).not.toMatch(/^import\s+(?!type\s)[^;]*from\s+"@sentry\/nextjs";/m);
      expect(text, file).not.toMatch(/^import\s+[^;]*from\s+"@\/lib\/observability\/sentry";/m);
    }
    expect(read("lib/observability/sentry-browser.ts")).toContain('import("./sentry-browser-sdk")');
    // named re-exports only: a dynamic import of the package itself keeps the whole SDK (440 KB)
    expect(read("lib/observability/sentry-browser-sdk.ts")).toMatch(/^export \{ [\w, ]+ \} from "@sentry\/nextjs";$/m);
  });

  it("loads when the browser is idle, not before", async () => {
    const { loads, idle } = setup();
    await tick();
    expect(loads).toHaveLength(0);
    idle();
    expect(loads).toHaveLength(1);
  });

  it("loads at once on the first error and reports what was thrown before it started, in order, once", async () => {
    const { target, captured, loads, sdk, idle } = setup();
    const first = new Error("thrown right after load");
    target.dispatchEvent(errorEvent(first));
    target.dispatchEvent(rejection("a rejected promise"));
    expect(loads).toHaveLength(1); // one load for both
    idle(); // the idle start while loading asks for nothing more
    expect(loads).toHaveLength(1);
    loads[0]!.resolve(sdk);
    await tick();
    expect(captured).toEqual([first, "a rejected promise"]);
    // the SDK's own handlers take over: the buffer no longer listens
    target.dispatchEvent(errorEvent(new Error("later")));
    await tick();
    expect(captured).toHaveLength(2);
    expect(loads).toHaveLength(1);
  });

  it("on the renter pay page waits for the first error; every other page loads it when idle", () => {
    const token = "e2e-payco-khqr".padEnd(43, "0");
    expect(sentryLoadPlan(`/pay/${token}`)).toBe("first-error");
    expect(sentryLoadPlan(`/t/payco/pay/${token}`)).toBe("first-error");
    for (const other of ["/", "/login", "/invoices", "/payments/pay", "/renter", "/t/payco/invoices", "/pay", "/pay/"])
      expect(sentryLoadPlan(other), other).toBe("idle");
    // every other page: idle, and not before IDLE_AFTER_LOAD_MS after load (the phone's first seconds)
    expect(IDLE_AFTER_LOAD_MS).toBeGreaterThanOrEqual(3000);
    expect(read("instrumentation-client.ts")).toMatch(/setTimeout\(\(\) => \{[^}]*requestIdleCallback\(start[^]*\}, IDLE_AFTER_LOAD_MS\)/);
    // the browser's entry asks before scheduling the idle start
    expect(read("instrumentation-client.ts")).toMatch(/sentryLoadPlan\(location\.pathname\) === "first-error"\) return;/);
  });

  it("keeps the errors when the chunk failed to load, and the next error asks again", async () => {
    const { target, captured, loads, sdk } = setup();
    target.dispatchEvent(errorEvent(new Error("one")));
    loads[0]!.resolve(null);
    await tick();
    expect(captured).toEqual([]);
    target.dispatchEvent(errorEvent(new Error("two")));
    expect(loads).toHaveLength(2);
    loads[1]!.resolve(sdk);
    await tick();
    expect((captured as Error[]).map((e) => e.message)).toEqual(["one", "two"]);
  });
});
