import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { logger } from "@/server/core/observability/logger";
import { SYSTEM_META } from "@/server/core/request-meta";
import { fetchHeadersOf, metaFromHeaders } from "@/server/core/http";
import type { HeaderReader, WebhookResponse } from "@/server/core/webhook-inbox.public";
import { BakongWebhookService, intakesInFlight, PROVIDER } from "@/server/payments/bakong-webhook.public";

// The callback worker: settles the Bakong callbacks the intake stored (`received`), a few at a
// time, so the callback itself only verifies and inserts (docs/BAKONG.md §4). Exactly once comes
// from the inbox, not from the worker: each event is claimed under its row lock (SKIP LOCKED) and
// settled by the payment's one idempotent settlement step under the payment's row lock, and a
// processed event is never processed again; so any number of workers (server processes) and the
// route handler's inline processing can race safely.
// - woken by the intake after every stored event (server.mjs's fast path); while callbacks are
//   arriving it gives way to them (IntakeGate): one event at a time, and the intake gets SETTLE_SHARE
//   of the time back after each (a settlement is a transaction of a dozen statements, an answer one),
//   while every lane still settles at least one event per MAX_YIELD_MS;
// - swept every SWEEP_INTERVAL_MS and at start, for what a crash left behind (an event stored but
//   never settled) and for failed events, retried up to MAX_ATTEMPTS.

/** Events settled at once (each holds one pooled connection while it runs). */
export const WORKER_CONCURRENCY = 2;
/** A failed event is retried by the sweep until it has this many attempts; then it waits for an admin replay. */
export const MAX_ATTEMPTS = 5;
export const SWEEP_INTERVAL_MS = 30_000;
const FIRST_SWEEP_MS = 5_000;
/** A `received` event younger than this is left to the delivery that stored it (its inline processing). */
export const SWEEP_MIN_AGE_MS = 10_000;
const PAGE = 100;
/**
 * While callbacks are being answered, a lane waits before it settles its next event (the answers
 * first), but never longer than this per event, so settling goes on under a steady stream too.
 */
export const MAX_YIELD_MS = 1000;
/**
 * While callbacks are being answered, the worker settles one event at a time and then waits
 * (1 / SETTLE_SHARE − 1) times as long as that settlement took, so it takes about this share of
 * the process and the database from the intake; with no intake in flight it settles at full speed.
 */
export const SETTLE_SHARE = 0.1;
const YIELD_STEP_MS = 5;

/**
 * How the callback worker's lanes give way to the intake of this process. `enter` resolves when a
 * lane may settle its next event: at once when no intake is in flight; otherwise once no other
 * settlement runs and the intake has had its time back since the last one, or after `maxMs`.
 * The function it returns is called when that settlement ends.
 */
export class IntakeGate {
  private running = 0;
  private until = 0;

  constructor(
    private readonly inFlight: () => number = intakesInFlight,
    private readonly maxMs: number = MAX_YIELD_MS,
    private readonly share: number = SETTLE_SHARE,
  ) {}

  private busy(): boolean {
    return this.inFlight() > 0 && (this.running > 0 || Date.now() < this.until);
  }

  async enter(): Promise<() => void> {
    const start = Date.now();
    while (this.busy() && Date.now() - start < this.maxMs) await new Promise((r) => setTimeout(r, YIELD_STEP_MS));
    this.running++;
    const began = Date.now();
    return () => {
      this.running--;
      const end = Date.now();
      this.until = Math.max(this.until, end + Math.min(this.maxMs, ((end - began) * (1 - this.share)) / this.share));
    };
  }
}

export interface DrainResult {
  processed: number;
  /** events another worker or delivery was holding (left to it) */
  busy: number;
}

/**
 * Settles pending events once each, oldest first: `received` ones (only those stored at least
 * `minAgeMs` ago) and, when `retryFailed`, failed ones with attempts left. `eventIds` (Bakong event
 * ids, the inbox's idempotency keys) narrows the drain to those events only: tests, which share one
 * database with other test files, drain their own events and leave everyone else's alone.
 */
export async function drainBakongCallbacks(
  opts: {
    service?: BakongWebhookService;
    concurrency?: number;
    minAgeMs?: number;
    retryFailed?: boolean;
    eventIds?: readonly string[];
    /** the worker's: awaited before each event is settled, and told when it is done */
    gate?: IntakeGate;
  } = {},
): Promise<DrainResult> {
  const service = opts.service ?? new BakongWebhookService();
  const concurrency = opts.concurrency ?? WORKER_CONCURRENCY;
  const result: DrainResult = { processed: 0, busy: 0 };
  let after: string | null = null;
  for (;;) {
    const before = new Date(Date.now() - (opts.minAgeMs ?? 0));
    const cursor: string | null = after;
    const page: Array<{ id: string }> = await platformDb.run((tx) =>
      tx.webhookEvent.findMany({
        where: {
          provider: PROVIDER,
          receivedAt: { lte: before },
          ...(opts.eventIds ? { idempotencyKey: { in: [...opts.eventIds] } } : {}),
          ...(cursor ? { id: { gt: cursor } } : {}),
          OR: [{ status: "received" }, ...(opts.retryFailed ? [{ status: "failed" as const, attempts: { lt: MAX_ATTEMPTS } }] : [])],
        },
        orderBy: { id: "asc" },
        take: PAGE,
        select: { id: true },
      }),
    );
    if (page.length === 0) return result;
    after = page[page.length - 1]!.id;
    let next = 0;
    const lane = async () => {
      while (next < page.length) {
        const { id } = page[next++]!;
        const done = opts.gate ? await opts.gate.enter() : undefined;
        let answer;
        try {
          answer = await service.process(id, SYSTEM_META);
        } finally {
          done?.();
        }
        if (answer.body.duplicate === true && answer.body.status === "processing") result.busy++;
        else result.processed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, page.length) }, lane));
    if (page.length < PAGE) return result;
  }
}

/** One per process: `wake` after an intake, a periodic sweep for crash leftovers and retries. */
class CallbackWorker {
  private readonly gate = new IntakeGate();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  /** Settles what is pending now; a wake during a drain runs one more drain after it. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = null));
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await drainBakongCallbacks({ gate: this.gate });
      } catch (e) {
        // the sweep retries; the events are still stored
        logger.error({ err: e }, "bakong callback worker failed");
        return;
      }
    } while (this.again);
  }

  private async sweep(): Promise<void> {
    try {
      await drainBakongCallbacks({ minAgeMs: SWEEP_MIN_AGE_MS, retryFailed: true, gate: this.gate });
    } catch (e) {
      logger.error({ err: e }, "bakong callback sweep failed");
    }
  }

  start(): void {
    if (this.timer) return;
    // the first sweep (what a crash or restart left) once the server has started
    setTimeout(() => void this.sweep(), FIRST_SWEEP_MS).unref();
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Resolves once no drain is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

const globalForWorker = globalThis as unknown as { phteahBakongCallbackWorker?: CallbackWorker };
export function callbackWorker(): CallbackWorker {
  globalForWorker.phteahBakongCallbackWorker ??= new CallbackWorker();
  return globalForWorker.phteahBakongCallbackWorker;
}

/** The production server's hook (server.mjs): the intake for a raw callback, without Next around it. */
export type BakongCallbackHook = (rawBody: string, headers: Record<string, string | string[] | undefined>) => Promise<WebhookResponse>;

export const BAKONG_CALLBACK_HOOK = Symbol.for("phteah.bakongCallback");

/** A header of Node's request (names lower-case) as `Headers.get` answers: repeated values joined with ", ", null when absent. */
function nodeHeaderValue(nodeHeaders: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = nodeHeaders[name.toLowerCase()];
  if (typeof value === "string") return value;
  return Array.isArray(value) ? value.join(", ") : null;
}

/**
 * Called once at start (instrumentation.ts): starts this process's worker and gives server.mjs
 * the intake, so a callback is verified, stored with one statement and answered without going
 * through Next's request pipeline (proxy.ts, rendering, tracing); the worker settles it.
 */
export function installBakongCallbackHook(): void {
  const worker = callbackWorker();
  worker.start();
  const service = new BakongWebhookService();
  const hook: BakongCallbackHook = async (rawBody, nodeHeaders) => {
    // Node's header object already has lower-case names: read it as it is (a Fetch Headers copy of
    // every header, and the sender's meta, are only built for a rejected delivery, which keeps them)
    const headers: HeaderReader = { get: (name) => nodeHeaderValue(nodeHeaders, name) };
    const meta = () => metaFromHeaders(fetchHeadersOf(nodeHeaders));
    try {
      const intake = await service.accept(rawBody, headers, meta);
      if (intake.kind === "pending") worker.wake();
      return intake.response;
    } catch (e) {
      logger.error({ err: e }, "bakong callback intake failed");
      return { status: 500, body: { error: "processing failed" } };
    }
  };
  (globalThis as Record<symbol, unknown>)[BAKONG_CALLBACK_HOOK] = hook;
}
