import "server-only";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { getEnv } from "@/env";
import { bakongConfig } from "@/server/payments/bakong-config";
import { BAKONG_HEADERS, verifyBakongSignature } from "@/server/payments/bakong-signature";
import { confirmationFrom, settleKhqrPayment, type SettleResult } from "@/server/payments/settlement";
import { SYSTEM_META, systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { WebhookInbox, type HeaderReader, type WebhookResponse } from "../core/webhook-inbox.public";
import { isDatabaseOverload, OVERLOAD_RETRY_AFTER_SECONDS } from "@/server/core/overload";
import { CALLBACK_INTAKE_CONNECTIONS as INTAKE_CONNECTIONS } from "@/server/db/pool";

// POST /api/webhooks/bakong, per docs/PAYMENTS.md and our callback contract (docs/BAKONG.md §4):
// verify (HMAC over "timestamp.rawBody", 300 s window) → store in the inbox with ONE statement
// (provider + idempotency key unique; an unknown md5 is stored as ignored right there) → settle
// once, under the payment's row lock.
// - `accept` is the intake: signature, shape, that one statement. The production server
//   (server.mjs) answers callbacks with it alone and leaves the settlement to the callback worker
//   (bakong-callbacks.jobs.ts), which the intake wakes; a crash in between leaves the event
//   `received`, and the worker's sweep settles it later.
// - `receive` (the Next route handler: `next dev`, tests) also settles inline and answers the outcome.

export const PROVIDER = "bakong";
export const MAX_CALLBACK_BYTES = 64 * 1024;

const OVERLOADED: WebhookResponse = {
  status: 503,
  body: { error: "overloaded", retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS },
};

const transactionSchema = z.object({
  hash: z.string().min(8).max(128),
  fromAccountId: z.string().max(100).nullish(),
  toAccountId: z.string().max(100),
  currency: z.string().max(8),
  amount: z.number(),
  description: z.string().nullish(),
  createdDateMs: z.number().nullish(),
  acknowledgedDateMs: z.number().nullish(),
  externalRef: z.string().nullish(),
});

const callbackSchema = z.object({
  eventId: z.string().min(1).max(200).optional(),
  md5: z.string().regex(/^[0-9a-f]{32}$/i),
  transaction: transactionSchema,
});

const SAFE_HEADERS = ["content-type", "user-agent", BAKONG_HEADERS.timestamp, BAKONG_HEADERS.signature, "x-request-id", "x-forwarded-for"];

/** What the intake did with a delivery: answered it for good, or stored an event that still has to be settled. */
export type CallbackIntake =
  { kind: "done"; response: WebhookResponse } | { kind: "pending"; eventId: string; inserted: boolean; response: WebhookResponse };

// The intake's one statement: look the md5 up and insert the event, as `ignored` (processed on
// the spot: nothing to settle) when no payment has that md5, else `received` with its payment and
// tenant. ON CONFLICT: a repeat inserts nothing and the caller reads the stored row. (INSERT …
// SELECT with plain literals: the status column takes them whether it is an enum or text.)
const INTAKE_SQL = `
WITH p AS (SELECT "id", "tenantId" FROM "Payment" WHERE "md5" = $1 LIMIT 1),
unknown AS (
  INSERT INTO "WebhookEvent" ("id", "provider", "idempotencyKey", "headers", "rawBody", "signatureValid", "status", "attempts", "lastError", "processedAt")
  SELECT $2::uuid, $3, $4, $5::jsonb, $6, true, 'ignored', 1, 'unknown md5', $7::timestamp(3)
  WHERE NOT EXISTS (SELECT 1 FROM p)
  ON CONFLICT ("provider", "idempotencyKey") DO NOTHING
  RETURNING "id", "status"::text AS "status"),
known AS (
  INSERT INTO "WebhookEvent" ("id", "provider", "idempotencyKey", "headers", "rawBody", "signatureValid", "paymentId", "tenantId")
  SELECT $2::uuid, $3, $4, $5::jsonb, $6, true, p."id", p."tenantId" FROM p
  ON CONFLICT ("provider", "idempotencyKey") DO NOTHING
  RETURNING "id", "status"::text AS "status")
SELECT "id", "status" FROM unknown UNION ALL SELECT "id", "status" FROM known`;

// The same statement for several deliveries at once (group commit): while the intake's connections
// are busy, the deliveries that arrive wait together and go in one statement, one round trip and one
// commit, instead of queueing one by one for a connection. Each row as INTAKE_SQL writes it; the
// RETURNING rows say, by idempotency key, which were stored (one delivery per key in a batch).
const INTAKE_BATCH_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::jsonb[], $5::text[], $6::timestamp(3)[])
           WITH ORDINALITY AS i("md5", "id", "key", "headers", "rawBody", "at", "n")),
p AS (
  SELECT i."n", pay."id", pay."tenantId"
    FROM input i CROSS JOIN LATERAL (SELECT "id", "tenantId" FROM "Payment" WHERE "md5" = i."md5" LIMIT 1) pay),
stored AS (
  INSERT INTO "WebhookEvent" ("id", "provider", "idempotencyKey", "headers", "rawBody", "signatureValid", "status", "attempts", "lastError", "processedAt", "paymentId", "tenantId")
  SELECT i."id", $7, i."key", i."headers", i."rawBody", true,
         CASE WHEN p."n" IS NULL THEN 'ignored' ELSE 'received' END,
         CASE WHEN p."n" IS NULL THEN 1 ELSE 0 END,
         CASE WHEN p."n" IS NULL THEN 'unknown md5' END,
         CASE WHEN p."n" IS NULL THEN i."at" END,
         p."id", p."tenantId"
    FROM input i LEFT JOIN p ON p."n" = i."n"
   ORDER BY i."n"
  ON CONFLICT ("provider", "idempotencyKey") DO NOTHING
  RETURNING "id", "idempotencyKey", "status"::text AS "status")
SELECT "id", "idempotencyKey" AS "key", "status" FROM stored`;

const STORED_SQL = `SELECT "id", "status"::text AS "status" FROM "WebhookEvent" WHERE "provider" = $1 AND "idempotencyKey" = $2`;

/** At most this many intakes wait for a database connection at once; more answer 503 (a flood, not Bakong). */
export const MAX_PENDING_INTAKES = 256;
let pendingIntakes = 0;

/** Intakes of this process waiting for or running their statement now (the callback worker gives way to them). */
export function intakesInFlight(): number {
  return pendingIntakes;
}

// The intake's own small pool, every session in platform mode (the inbox and the md5 lookup span
// tenants, like platformDb): one statement per callback needs no transaction around it. Only this
// module uses it.
const globalForIntake = globalThis as unknown as { phteahBakongIntakePool?: pg.Pool };
function intakePool(): pg.Pool {
  if (!globalForIntake.phteahBakongIntakePool) {
    const env = getEnv();
    const pool = new pg.Pool({
      connectionString: env.DATABASE_URL,
      max: INTAKE_CONNECTIONS,
      connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      options: "-c app.platform=on",
    });
    pool.on("error", () => undefined); // an idle connection dropped by the server: the next query reconnects
    globalForIntake.phteahBakongIntakePool = pool;
  }
  return globalForIntake.phteahBakongIntakePool;
}

/** One delivery's row for the intake statement. */
interface IntakeRow {
  md5: string;
  id: string;
  key: string;
  headers: string;
  rawBody: string;
  at: Date;
}

type Stored = { id: string; status: string } | undefined;

interface Waiting {
  row: IntakeRow;
  /** set after a batch it was in failed: it goes in a statement of its own */
  alone?: boolean;
  resolve: (stored: Stored) => void;
  reject: (error: unknown) => void;
}

/** Deliveries in one statement at most (a few hundred KB of bodies). */
export const MAX_INTAKE_BATCH = 64;

/**
 * Stores deliveries with as few statements as the intake pool allows: the deliveries read in one
 * turn of the event loop go together when a connection is free, and those arriving while every
 * connection is busy go together in the next statement (group commit). Resolves each delivery with
 * its stored row, or undefined when its key was already stored (a repeat).
 */
class IntakeBatcher {
  private readonly queue: Waiting[] = [];
  private running = 0;

  constructor(private readonly connections: number) {}

  private scheduled = false;

  store(row: IntakeRow): Promise<Stored> {
    return new Promise<Stored>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      // the deliveries read in the same turn of the event loop go together (after its I/O phase)
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.connections && this.queue.length > 0) {
      // one delivery per idempotency key in a statement: a repeat waits for the next one, which finds the key stored
      const batch: Waiting[] = this.queue[0]!.alone ? this.queue.splice(0, 1) : [];
      const keys = new Set<string>();
      for (let i = 0; batch.length === 0 || (!batch[0]!.alone && i < this.queue.length && batch.length < MAX_INTAKE_BATCH);) {
        const w = this.queue[i]!;
        if (w.alone || keys.has(w.row.key)) {
          i++;
          continue;
        }
        keys.add(w.row.key);
        batch.push(w);
        this.queue.splice(i, 1);
      }
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      if (batch.length === 1) {
        const { row } = batch[0]!;
        const { rows } = await intakePool().query<{ id: string; status: string }>(INTAKE_SQL, [
          row.md5,
          row.id,
          PROVIDER,
          row.key,
          row.headers,
          row.rawBody,
          row.at,
        ]);
        batch[0]!.resolve(rows[0]);
        return;
      }
      const { rows } = await intakePool().query<{ id: string; key: string; status: string }>(INTAKE_BATCH_SQL, [
        batch.map((w) => w.row.md5),
        batch.map((w) => w.row.id),
        batch.map((w) => w.row.key),
        batch.map((w) => w.row.headers),
        batch.map((w) => w.row.rawBody),
        batch.map((w) => w.row.at),
        PROVIDER,
      ]);
      const byKey = new Map(rows.map((r) => [r.key, { id: r.id, status: r.status }]));
      for (const w of batch) w.resolve(byKey.get(w.row.key));
    } catch (e) {
      if (batch.length === 1 || isDatabaseOverload(e)) {
        for (const w of batch) w.reject(e);
        return;
      }
      // one delivery the statement could not take must not fail the others: each on its own
      for (const w of batch.reverse()) this.queue.unshift({ ...w, alone: true });
    }
  }
}

const globalForBatcher = globalThis as unknown as { phteahBakongIntakeBatcher?: IntakeBatcher };
function intakeBatcher(): IntakeBatcher {
  globalForBatcher.phteahBakongIntakeBatcher ??= new IntakeBatcher(INTAKE_CONNECTIONS);
  return globalForBatcher.phteahBakongIntakeBatcher;
}

/** A time-ordered id like the schema's uuid(7) (the worker pages through pending events by id). */
function uuidv7(nowMs: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function keptHeaders(headers: HeaderReader): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SAFE_HEADERS) {
    const v = headers.get(name);
    if (v !== null) out[name] = v.slice(0, 500);
  }
  return out;
}

/** The answer to a delivery of an event already stored with this status. */
function storedAnswer(eventId: string, status: string): CallbackIntake {
  if (status === "processed" || status === "ignored" || status === "needs_review")
    return { kind: "done", response: { status: 200, body: { ok: true, duplicate: true, status } } };
  // received (another delivery or the worker is on it) or failed (to be retried)
  return {
    kind: "pending",
    eventId,
    inserted: false,
    response: { status: 200, body: { ok: true, duplicate: true, status: "processing" } },
  };
}

export class BakongWebhookService {
  private readonly inbox: WebhookInbox;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly secret: string = bakongConfig().callbackSecret,
  ) {
    this.inbox = new WebhookInbox({
      provider: PROVIDER,
      safeHeaders: SAFE_HEADERS,
      clock,
      // logs "bakong callback rejected" and "bakong callback processing failed"
      logName: "bakong callback",
    });
  }

  /** The route handler's path: the intake, then the settlement inline (its outcome is the answer). */
  async receive(rawBody: string, headers: Headers, meta: RequestMeta = SYSTEM_META): Promise<WebhookResponse> {
    const intake = await this.accept(rawBody, headers, meta);
    return intake.kind === "pending" ? this.process(intake.eventId, meta) : intake.response;
  }

  /**
   * The intake: verifies, validates and stores the delivery with one statement, settles nothing.
   * An unknown md5 or a repeat of a finished event is answered for good; otherwise the event is
   * left for `process` (inline, or the callback worker). `meta` (who sent it) is only read for a
   * rejected delivery: a function is called then, so the accepted ones do not build it.
   */
  async accept(rawBody: string, headers: HeaderReader, meta: RequestMeta | (() => RequestMeta) = SYSTEM_META): Promise<CallbackIntake> {
    if (rawBody.length > MAX_CALLBACK_BYTES) return { kind: "done", response: { status: 413, body: { error: "payload too large" } } };
    const verdict = verifyBakongSignature({
      secret: this.secret,
      rawBody,
      timestampHeader: headers.get(BAKONG_HEADERS.timestamp),
      signatureHeader: headers.get(BAKONG_HEADERS.signature),
      nowMs: this.clock().getTime(),
    });
    if (!verdict.ok) {
      // kept for investigation (under a key of its own, never the eventId), never processed
      await this.inbox.keepRejected(headers, rawBody, verdict.reason, typeof meta === "function" ? meta() : meta);
      return { kind: "done", response: { status: 401, body: { error: "invalid signature" } } };
    }
    let parsed: z.infer<typeof callbackSchema>;
    try {
      parsed = callbackSchema.parse(JSON.parse(rawBody));
    } catch {
      return { kind: "done", response: { status: 400, body: { error: "invalid payload" } } };
    }
    const key = parsed.eventId ?? parsed.transaction.hash;
    if (pendingIntakes >= MAX_PENDING_INTAKES) return { kind: "done", response: OVERLOADED };
    pendingIntakes++;
    try {
      const now = this.clock();
      const stored = await intakeBatcher().store({
        md5: parsed.md5.toLowerCase(),
        id: uuidv7(now.getTime()),
        key,
        headers: JSON.stringify(keptHeaders(headers)),
        rawBody,
        at: now,
      });
      if (stored?.status === "ignored") return { kind: "done", response: { status: 200, body: { ok: true, ignored: true } } };
      if (stored)
        return { kind: "pending", eventId: stored.id, inserted: true, response: { status: 200, body: { ok: true, received: true } } };
      // a repeat delivery: the stored event says what to answer
      const { rows: found } = await intakePool().query<{ id: string; status: string }>(STORED_SQL, [PROVIDER, key]);
      if (!found[0]) throw new Error("bakong callback: the inbox row of a conflicting insert is gone");
      return storedAnswer(found[0].id, found[0].status);
    } catch (e) {
      if (isDatabaseOverload(e)) return { kind: "done", response: OVERLOADED };
      throw e;
    } finally {
      pendingIntakes--;
    }
  }

  /** Processes a stored event once; a repeat (or a replay of a processed event) changes nothing. */
  async process(eventId: string, meta: RequestMeta = SYSTEM_META): Promise<WebhookResponse> {
    return this.inbox.process(eventId, async (tx, event, now) => {
      const body = callbackSchema.parse(JSON.parse(event.rawBody));
      // the intake stored the payment it found by md5 (an event stored before that, or replayed, looks it up)
      const payment =
        event.paymentId && event.tenantId
          ? { id: event.paymentId, tenantId: event.tenantId }
          : await tx.payment.findUnique({ where: { md5: body.md5.toLowerCase() }, select: { id: true, tenantId: true } });
      if (!payment) {
        await this.inbox.finish(tx, event.id, "ignored", "unknown md5", null, now);
        return { status: 200, body: { ok: true, ignored: true } };
      }
      const result: SettleResult = await settleKhqrPayment(tx, payment.id, confirmationFrom(body.transaction), {
        now,
        meta,
        source: "callback",
      });
      const link = { tenantId: payment.tenantId, paymentId: payment.id };
      if (result.outcome === "mismatch") {
        await this.inbox.finish(tx, event.id, "needs_review", result.reasons.join("; "), link, now);
        return { status: 200, body: { ok: true, review: true } };
      }
      if (result.outcome === "not_payable") {
        await this.inbox.finish(tx, event.id, "needs_review", `payment is ${result.status}`, link, now);
        return { status: 200, body: { ok: true, review: true } };
      }
      await this.inbox.finish(tx, event.id, "processed", null, link, now);
      return { status: 200, body: { ok: true, outcome: result.outcome } };
    });
  }

  /** Admin "replay": runs processing again; idempotent because settlement is. */
  async replay(eventId: string, admin: { userId: string; email: string }, meta: RequestMeta): Promise<WebhookResponse> {
    return this.inbox.replay(eventId, admin, meta, (id) => this.process(id, meta));
  }
}
