import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import type { WebhookEvent } from "@/server/db/generated/client";
import { bakongConfig } from "@/server/billing/config";
import { BAKONG_HEADERS, verifyBakongSignature } from "@/server/payments/bakong-signature";
import { confirmationFrom, settleKhqrPayment, type SettleResult } from "@/server/services/billing/settlement";
import { logger } from "@/server/observability/logger";
import { SYSTEM_META, systemClock, type Clock, type RequestMeta } from "@/server/services/request-meta";
import { AuditLogger } from "@/server/services/audit-logger";

// POST /api/webhooks/bakong, per docs/PAYMENTS.md and our callback contract:
// verify (HMAC over "timestamp.rawBody", 300 s window) → store in the inbox (provider +
// idempotency key unique) → process once, under the payment's row lock → answer fast.

export const PROVIDER = "bakong";
export const MAX_CALLBACK_BYTES = 64 * 1024;
const REJECTED_KEPT_PER_HOUR = 200;

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

export type WebhookResponse = { status: number; body: Record<string, unknown> };

const SAFE_HEADERS = ["content-type", "user-agent", BAKONG_HEADERS.timestamp, BAKONG_HEADERS.signature, "x-request-id", "x-forwarded-for"];

function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SAFE_HEADERS) {
    const v = headers.get(name);
    if (v !== null) out[name] = v.slice(0, 500);
  }
  return out;
}

export class BakongWebhookService {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly secret: string = bakongConfig().callbackSecret,
  ) {}

  async receive(rawBody: string, headers: Headers, meta: RequestMeta = SYSTEM_META): Promise<WebhookResponse> {
    if (rawBody.length > MAX_CALLBACK_BYTES) return { status: 413, body: { error: "payload too large" } };
    const verdict = verifyBakongSignature({
      secret: this.secret,
      rawBody,
      timestampHeader: headers.get(BAKONG_HEADERS.timestamp),
      signatureHeader: headers.get(BAKONG_HEADERS.signature),
      nowMs: this.clock().getTime(),
    });
    if (!verdict.ok) {
      // kept in the inbox for investigation under a key of its own — never under the event's key,
      // so a forger cannot claim an eventId before the real delivery — and never processed
      logger.warn({ reason: verdict.reason, requestId: meta.requestId }, "bakong callback rejected");
      // at most REJECTED_KEPT_PER_HOUR of them, so a flood of garbage cannot fill the table
      await platformDb.run(async (tx) => {
        const since = new Date(this.clock().getTime() - 3600_000);
        const recent = await tx.webhookEvent.count({ where: { provider: PROVIDER, signatureValid: false, receivedAt: { gt: since } } });
        if (recent >= REJECTED_KEPT_PER_HOUR) return;
        await tx.webhookEvent.create({
          data: {
            provider: PROVIDER,
            idempotencyKey: `rejected:${randomUUID()}`,
            headers: keptHeaders(headers),
            rawBody,
            signatureValid: false,
            status: "ignored",
            lastError: `signature rejected: ${verdict.reason}`,
            processedAt: this.clock(),
          },
        });
      });
      return { status: 401, body: { error: "invalid signature" } };
    }
    let parsed: z.infer<typeof callbackSchema>;
    try {
      parsed = callbackSchema.parse(JSON.parse(rawBody));
    } catch {
      return { status: 400, body: { error: "invalid payload" } };
    }
    const key = parsed.eventId ?? parsed.transaction.hash;
    const event = await this.store(key, headers, rawBody);
    return this.process(event.id, meta);
  }

  private async store(key: string, headers: Headers, rawBody: string): Promise<WebhookEvent> {
    return platformDb.run(async (tx) => {
      await tx.webhookEvent.createMany({
        data: [{ provider: PROVIDER, idempotencyKey: key, headers: keptHeaders(headers), rawBody, signatureValid: true }],
        skipDuplicates: true,
      });
      return tx.webhookEvent.findUniqueOrThrow({ where: { provider_idempotencyKey: { provider: PROVIDER, idempotencyKey: key } } });
    });
  }

  /** Processes a stored event once; a repeat (or a replay of a processed event) changes nothing. */
  async process(eventId: string, meta: RequestMeta = SYSTEM_META): Promise<WebhookResponse> {
    const now = this.clock();
    try {
      return await platformDb.run(async (tx) => {
        // another delivery of this event is being processed right now: answer at once instead of
        // queueing behind its lock while holding a pooled connection (a burst of duplicates would
        // starve the pool); if that processing fails, its own delivery gets the 500 and is retried
        const locked = await tx.$queryRaw<
          Array<{ id: string }>
        >`SELECT "id" FROM "WebhookEvent" WHERE "id" = ${eventId}::uuid FOR UPDATE SKIP LOCKED`;
        if (locked.length === 0) return { status: 200, body: { ok: true, duplicate: true, status: "processing" } };
        const event = await tx.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
        // a repeat of a settled, ignored or flagged event answers 200 and changes nothing; only an
        // admin replay re-opens a flagged one
        if (event.status === "processed" || event.status === "ignored" || event.status === "needs_review") {
          return { status: 200, body: { ok: true, duplicate: true, status: event.status } };
        }
        await tx.webhookEvent.update({ where: { id: event.id }, data: { attempts: { increment: 1 } } });
        const body = callbackSchema.parse(JSON.parse(event.rawBody));
        const payment = await tx.payment.findUnique({ where: { md5: body.md5.toLowerCase() }, select: { id: true, tenantId: true } });
        if (!payment) {
          await finish(tx, event, "ignored", "unknown md5", null, now);
          return { status: 200, body: { ok: true, ignored: true } };
        }
        const result: SettleResult = await settleKhqrPayment(tx, payment.id, confirmationFrom(body.transaction), {
          now,
          meta,
          source: "callback",
        });
        await tx.webhookEvent.update({ where: { id: event.id }, data: { tenantId: payment.tenantId, paymentId: payment.id } });
        if (result.outcome === "mismatch") {
          await finish(tx, event, "needs_review", result.reasons.join("; "), payment.tenantId, now);
          return { status: 200, body: { ok: true, review: true } };
        }
        if (result.outcome === "not_payable") {
          await finish(tx, event, "needs_review", `payment is ${result.status}`, payment.tenantId, now);
          return { status: 200, body: { ok: true, review: true } };
        }
        await finish(tx, event, "processed", null, payment.tenantId, now);
        return { status: 200, body: { ok: true, outcome: result.outcome } };
      });
    } catch (e) {
      logger.error({ err: e, eventId }, "bakong callback processing failed");
      // (never over an outcome another delivery of the same event already recorded)
      await platformDb.run((tx) =>
        tx.webhookEvent.updateMany({
          where: { id: eventId, status: { in: ["received", "failed"] } },
          data: { status: "failed", lastError: e instanceof Error ? e.message.slice(0, 1000) : "error" },
        }),
      );
      // 500: the relay retries; the stored event can also be replayed from the admin inbox
      return { status: 500, body: { error: "processing failed" } };
    }
  }

  /** Admin "replay": runs processing again; idempotent because settlement is. */
  async replay(eventId: string, admin: { userId: string; email: string }, meta: RequestMeta): Promise<WebhookResponse> {
    const exists = await platformDb.run((tx) =>
      tx.webhookEvent.findUnique({ where: { id: eventId }, select: { id: true, provider: true, tenantId: true } }),
    );
    if (!exists || exists.provider !== PROVIDER) return { status: 404, body: { error: "not found" } };
    // a reviewed or failed event is re-opened; a processed one stays processed (the answer says duplicate)
    await platformDb.run((tx) =>
      tx.webhookEvent.updateMany({
        where: { id: eventId, status: { in: ["needs_review", "failed", "received"] } },
        data: { status: "received" },
      }),
    );
    const result = await this.process(eventId, meta);
    await platformDb.run((tx) =>
      new AuditLogger(meta).log(tx, exists.tenantId, {
        action: "admin.webhook.replayed",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "webhook_event",
        targetId: eventId,
        metadata: { result: JSON.parse(JSON.stringify(result.body)) },
      }),
    );
    return result;
  }
}

async function finish(
  tx: DbTx,
  event: WebhookEvent,
  status: "processed" | "ignored" | "needs_review",
  error: string | null,
  tenantId: string | null,
  now: Date,
) {
  await tx.webhookEvent.update({
    where: { id: event.id },
    data: { status, lastError: error, processedAt: now, ...(tenantId ? { tenantId } : {}) },
  });
}
