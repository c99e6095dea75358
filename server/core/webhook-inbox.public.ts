import "server-only";
import { randomUUID } from "node:crypto";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma, WebhookEvent } from "@/server/db/generated/client";
import { logger } from "@/server/core/observability/logger";
import type { Clock, RequestMeta } from "@/server/core/request-meta";
import { AuditLogger } from "@/server/audit/audit-logger";

// The webhook inbox (table WebhookEvent), one instance per provider (Bakong callbacks, Resend
// events). The provider's service verifies the signature, parses the payload and applies it; the
// inbox guarantees, for every provider alike:
// - a delivery whose signature was rejected is kept for investigation (status "ignored",
//   signatureValid false) under a key of its own, never processed, at most
//   REJECTED_KEPT_PER_HOUR per provider an hour;
// - a verified delivery is stored once per (provider, idempotency key): a repeat finds that row;
// - an event is processed by one delivery at a time (row lock; a concurrent duplicate answers
//   200 "processing" at once) and once in total (a processed, ignored or flagged event answers
//   200 duplicate and changes nothing); each processing attempt counts in `attempts`;
// - a processing error rolls back everything the attempt wrote, marks the event failed (never
//   over an outcome another delivery recorded) and answers 500 so the sender retries;
// - an admin replay re-opens a flagged or failed event, processes it again and is audited.

export type WebhookResponse = { status: number; body: Record<string, unknown> };

/** What the inbox reads of a delivery's headers (a Fetch `Headers`, or server.mjs's plain view of Node's). */
export type HeaderReader = Pick<Headers, "get">;

/** How processing ended for an event; only an admin replay re-opens one. */
export type WebhookOutcome = "processed" | "ignored" | "needs_review";

export const REJECTED_KEPT_PER_HOUR = 200;

// When this process kept rejected deliveries in the last hour, per provider: once it alone has
// kept REJECTED_KEPT_PER_HOUR, the database would refuse more anyway, so a flood of forgeries
// costs no database work at all.
const keptRejectedAt = new Map<string, number[]>();

/** Processes one claimed event inside the inbox's transaction (which holds the event's row lock). */
export type WebhookHandler = (tx: DbTx, event: WebhookEvent, now: Date) => Promise<WebhookResponse>;

export interface WebhookInboxOptions {
  provider: string;
  /** The request headers stored with an event (values cut to 500 characters); nothing else is kept. */
  safeHeaders: readonly string[];
  clock: Clock;
  /** Names the log lines: "<logName> rejected", "<logName> processing failed". */
  logName: string;
}

export class WebhookInbox {
  readonly provider: string;

  constructor(private readonly options: WebhookInboxOptions) {
    this.provider = options.provider;
  }

  private keptHeaders(headers: HeaderReader): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of this.options.safeHeaders) {
      const v = headers.get(name);
      if (v !== null) out[name] = v.slice(0, 500);
    }
    return out;
  }

  /** Keeps a delivery whose signature was rejected (the caller answers 401). */
  async keepRejected(headers: HeaderReader, rawBody: string, reason: string, meta: RequestMeta): Promise<void> {
    const { provider, clock } = this.options;
    // kept in the inbox for investigation under a key of its own — never under the event's key,
    // so a forger cannot claim an event id before the real delivery — and never processed
    logger.warn({ reason, requestId: meta.requestId }, `${this.options.logName} rejected`);
    // at most REJECTED_KEPT_PER_HOUR of them, so a flood of garbage cannot fill the table
    const nowMs = clock().getTime();
    const kept = keptRejectedAt.get(provider) ?? [];
    keptRejectedAt.set(provider, kept);
    while (kept.length > 0 && kept[0]! <= nowMs - 3600_000) kept.shift();
    if (kept.length >= REJECTED_KEPT_PER_HOUR) return;
    await platformDb.run(async (tx) => {
      const since = new Date(nowMs - 3600_000);
      const recent = await tx.webhookEvent.count({ where: { provider, signatureValid: false, receivedAt: { gt: since } } });
      if (recent >= REJECTED_KEPT_PER_HOUR) return;
      await tx.webhookEvent.create({
        data: {
          provider,
          idempotencyKey: `rejected:${randomUUID()}`,
          headers: this.keptHeaders(headers),
          rawBody,
          signatureValid: false,
          status: "ignored",
          lastError: `signature rejected: ${reason}`,
          processedAt: clock(),
        },
      });
      kept.push(nowMs);
    });
  }

  /** Stores a verified delivery under its idempotency key, or finds the row an earlier delivery stored. */
  async storeOnce(key: string, headers: HeaderReader, rawBody: string): Promise<WebhookEvent> {
    const { provider } = this;
    return platformDb.run(async (tx) => {
      await tx.webhookEvent.createMany({
        data: [{ provider, idempotencyKey: key, headers: this.keptHeaders(headers), rawBody, signatureValid: true }],
        skipDuplicates: true,
      });
      return tx.webhookEvent.findUniqueOrThrow({ where: { provider_idempotencyKey: { provider, idempotencyKey: key } } });
    });
  }

  /**
   * Processes a stored event once: `handle` runs in one transaction with the event claimed, and
   * must end it with `finish`. A repeat (or a replay of a processed event) changes nothing.
   */
  async process(eventId: string, handle: WebhookHandler): Promise<WebhookResponse> {
    const now = this.options.clock();
    try {
      return await platformDb.run(async (tx) => {
        const claimed = await this.claim(tx, eventId);
        return "duplicate" in claimed ? claimed.duplicate : handle(tx, claimed.event, now);
      });
    } catch (e) {
      await this.recordFailure(eventId, e);
      // 500: the sender (Bakong's relay, Resend) retries; the stored event can also be replayed
      // from the admin inbox
      return { status: 500, body: { error: "processing failed" } };
    }
  }

  /** Locks the event for this transaction and counts the attempt, or says why it is not processed now. */
  private async claim(tx: DbTx, eventId: string): Promise<{ event: WebhookEvent } | { duplicate: WebhookResponse }> {
    // another delivery of this event is being processed right now: answer at once instead of
    // queueing behind its lock while holding a pooled connection (a burst of duplicates would
    // starve the pool); if that processing fails, its own delivery gets the 500 and is retried
    const locked = await tx.$queryRaw<
      Array<{ id: string; status: string }>
    >`SELECT "id", "status"::text AS "status" FROM "WebhookEvent" WHERE "id" = ${eventId}::uuid FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return { duplicate: { status: 200, body: { ok: true, duplicate: true, status: "processing" } } };
    const event = locked[0]!;
    // a repeat of a processed, ignored or flagged event answers 200 and changes nothing; only an
    // admin replay re-opens a flagged one
    if (event.status === "processed" || event.status === "ignored" || event.status === "needs_review") {
      return { duplicate: { status: 200, body: { ok: true, duplicate: true, status: event.status } } };
    }
    return { event: await tx.webhookEvent.update({ where: { id: event.id }, data: { attempts: { increment: 1 } } }) };
  }

  /**
   * Records how processing ended (and the tenant the event turned out to belong to, when known,
   * or the tenant and payment it was about).
   */
  async finish(
    tx: DbTx,
    eventId: string,
    status: WebhookOutcome,
    error: string | null,
    about: string | { tenantId: string; paymentId: string } | null,
    now: Date,
  ) {
    const link = typeof about === "string" ? { tenantId: about } : (about ?? {});
    await tx.webhookEvent.update({
      where: { id: eventId },
      data: { status, lastError: error, processedAt: now, ...link },
    });
  }

  private async recordFailure(eventId: string, e: unknown) {
    logger.error({ err: e, eventId }, `${this.options.logName} processing failed`);
    // (never over an outcome another delivery of the same event already recorded)
    await platformDb.run((tx) =>
      tx.webhookEvent.updateMany({
        where: { id: eventId, status: { in: ["received", "failed"] } },
        data: { status: "failed", lastError: e instanceof Error ? e.message.slice(0, 1000) : "error" },
      }),
    );
  }

  /**
   * Admin "replay": runs `processEvent` on the event again, audited as admin.webhook.replayed. 404 for
   * an unknown id or another provider's event.
   */
  async replay(
    eventId: string,
    admin: { userId: string; email: string },
    meta: RequestMeta,
    processEvent: (eventId: string) => Promise<WebhookResponse>,
  ): Promise<WebhookResponse> {
    const { provider } = this.options;
    const exists = await platformDb.run((tx) =>
      tx.webhookEvent.findUnique({ where: { id: eventId }, select: { id: true, provider: true, tenantId: true } }),
    );
    if (!exists || exists.provider !== provider) return { status: 404, body: { error: "not found" } };
    // a reviewed or failed event is re-opened; a processed one stays processed (the answer says duplicate)
    await platformDb.run((tx) =>
      tx.webhookEvent.updateMany({
        where: { id: eventId, status: { in: ["needs_review", "failed", "received"] } },
        data: { status: "received" },
      }),
    );
    const result = await processEvent(eventId);
    // filed under the event's tenant as it is after the replay: a replay may be what links the
    // event to its tenant (a callback that failed before its payment was found)
    const after = await platformDb.run((tx) => tx.webhookEvent.findUnique({ where: { id: eventId }, select: { tenantId: true } }));
    const tenantId = after?.tenantId ?? exists.tenantId;
    const resultJson = JSON.parse(JSON.stringify(result.body)) as Prisma.InputJsonObject;
    await platformDb.run((tx) =>
      new AuditLogger(meta).log(tx, tenantId, {
        action: "admin.webhook.replayed",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "webhook_event",
        targetId: eventId,
        metadata: { provider, result: resultJson },
      }),
    );
    return result;
  }
}
