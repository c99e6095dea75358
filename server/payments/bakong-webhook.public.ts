import "server-only";
import { z } from "zod";
import { bakongConfig } from "@/server/payments/bakong-config";
import { BAKONG_HEADERS, verifyBakongSignature } from "@/server/payments/bakong-signature";
import { confirmationFrom, settleKhqrPayment, type SettleResult } from "@/server/payments/settlement";
import { SYSTEM_META, systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { WebhookInbox, type WebhookResponse } from "../core/webhook-inbox.public";

// POST /api/webhooks/bakong, per docs/PAYMENTS.md and our callback contract:
// verify (HMAC over "timestamp.rawBody", 300 s window) → store in the inbox (provider +
// idempotency key unique) → process once, under the payment's row lock → answer fast.

export const PROVIDER = "bakong";
export const MAX_CALLBACK_BYTES = 64 * 1024;

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
      // kept for investigation (under a key of its own, never the eventId), never processed
      await this.inbox.keepRejected(headers, rawBody, verdict.reason, meta);
      return { status: 401, body: { error: "invalid signature" } };
    }
    let parsed: z.infer<typeof callbackSchema>;
    try {
      parsed = callbackSchema.parse(JSON.parse(rawBody));
    } catch {
      return { status: 400, body: { error: "invalid payload" } };
    }
    const key = parsed.eventId ?? parsed.transaction.hash;
    const event = await this.inbox.storeOnce(key, headers, rawBody);
    return this.process(event.id, meta);
  }

  /** Processes a stored event once; a repeat (or a replay of a processed event) changes nothing. */
  async process(eventId: string, meta: RequestMeta = SYSTEM_META): Promise<WebhookResponse> {
    return this.inbox.process(eventId, async (tx, event, now) => {
      const body = callbackSchema.parse(JSON.parse(event.rawBody));
      const payment = await tx.payment.findUnique({ where: { md5: body.md5.toLowerCase() }, select: { id: true, tenantId: true } });
      if (!payment) {
        await this.inbox.finish(tx, event.id, "ignored", "unknown md5", null, now);
        return { status: 200, body: { ok: true, ignored: true } };
      }
      const result: SettleResult = await settleKhqrPayment(tx, payment.id, confirmationFrom(body.transaction), {
        now,
        meta,
        source: "callback",
      });
      await tx.webhookEvent.update({ where: { id: event.id }, data: { tenantId: payment.tenantId, paymentId: payment.id } });
      if (result.outcome === "mismatch") {
        await this.inbox.finish(tx, event.id, "needs_review", result.reasons.join("; "), payment.tenantId, now);
        return { status: 200, body: { ok: true, review: true } };
      }
      if (result.outcome === "not_payable") {
        await this.inbox.finish(tx, event.id, "needs_review", `payment is ${result.status}`, payment.tenantId, now);
        return { status: 200, body: { ok: true, review: true } };
      }
      await this.inbox.finish(tx, event.id, "processed", null, payment.tenantId, now);
      return { status: 200, body: { ok: true, outcome: result.outcome } };
    });
  }

  /** Admin "replay": runs processing again; idempotent because settlement is. */
  async replay(eventId: string, admin: { userId: string; email: string }, meta: RequestMeta): Promise<WebhookResponse> {
    return this.inbox.replay(eventId, admin, meta, (id) => this.process(id, meta));
  }
}
