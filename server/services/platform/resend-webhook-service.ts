import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getEnv } from "@/env";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import type { MessageStatus, OutboundMessage, Prisma, WebhookEvent } from "@/server/db/generated/client";
import { signatureHeaders, verifyResendSignature } from "@/server/mail/resend-signature";
import { suppress } from "@/server/services/notifications/suppression";
import { logger } from "@/server/observability/logger";
import { SYSTEM_META, systemClock, type Clock, type RequestMeta } from "@/server/services/request-meta";
import { AuditLogger } from "@/server/services/audit-logger";

// POST /api/webhooks/resend: Resend's delivery events for the mail we sent.
// verify (Svix / Standard Webhooks signature over the raw body, ±5 min) → store in the webhook
// inbox (provider "resend" + svix-id unique) → process once, under the event's row lock and the
// message's → answer fast. Bounces and complaints put the address on the tenant's suppression
// list, which the sender respects.

export const PROVIDER = "resend";
export const MAX_WEBHOOK_BYTES = 256 * 1024;
const REJECTED_KEPT_PER_HOUR = 200;

const eventSchema = z.object({
  type: z.string().min(1).max(100),
  created_at: z.string().max(100).optional(),
  data: z.object({
    email_id: z.string().max(200).optional(),
    bounce: z.object({ message: z.string().max(2000).optional(), type: z.string().optional(), subType: z.string().optional() }).optional(),
  }),
});
type ResendEvent = z.infer<typeof eventSchema>;

export type WebhookResponse = { status: number; body: Record<string, unknown> };

const SAFE_HEADERS = [
  "content-type",
  "user-agent",
  "svix-id",
  "svix-timestamp",
  "svix-signature",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "x-request-id",
  "x-forwarded-for",
];

function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SAFE_HEADERS) {
    const v = headers.get(name);
    if (v !== null) out[name] = v.slice(0, 500);
  }
  return out;
}

/** What one event does to its message. */
type Outcome = { kind: "updated"; status: MessageStatus; suppressed: boolean } | { kind: "recorded" } | { kind: "ignored"; reason: string };

export class ResendWebhookService {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly secret: string = getEnv().RESEND_WEBHOOK_SECRET ?? "",
  ) {}

  async receive(rawBody: string, headers: Headers, meta: RequestMeta = SYSTEM_META): Promise<WebhookResponse> {
    if (Buffer.byteLength(rawBody, "utf8") > MAX_WEBHOOK_BYTES) return { status: 413, body: { error: "payload too large" } };
    const h = signatureHeaders(headers);
    const verdict = verifyResendSignature({
      secret: this.secret,
      rawBody,
      id: h.id,
      timestamp: h.timestamp,
      signature: h.signature,
      nowMs: this.clock().getTime(),
    });
    if (!verdict.ok) {
      // kept for investigation under a key of its own (never the svix-id, so a forger cannot
      // claim an id before the real delivery), never processed, at most 200 an hour
      logger.warn({ reason: verdict.reason, requestId: meta.requestId }, "resend webhook rejected");
      await platformDb.run(async (tx) => {
        const since = new Date(this.clock().getTime() - 3600_000);
        const recent = await tx.webhookEvent.count({ where: { provider: PROVIDER, signatureValid: false, receivedAt: { gt: since } } });
        if (recent >= REJECTED_KEPT_PER_HOUR) return;
        await tx.webhookEvent.create({
          data: {
            provider: PROVIDER,
            idempotencyKey: `rejected:${randomUUID()}`,
            headers: keptHeaders(headers),
            rawBody: rawBody.slice(0, MAX_WEBHOOK_BYTES),
            signatureValid: false,
            status: "ignored",
            lastError: `signature rejected: ${verdict.reason}`,
            processedAt: this.clock(),
          },
        });
      });
      return { status: 401, body: { error: "invalid signature" } };
    }
    try {
      eventSchema.parse(JSON.parse(rawBody));
    } catch {
      return { status: 400, body: { error: "invalid payload" } };
    }
    const event = await this.store(verdict.id, headers, rawBody);
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
        // another delivery of this event is being processed right now: answer at once rather
        // than hold a pooled connection behind its lock
        const locked = await tx.$queryRaw<
          Array<{ id: string }>
        >`SELECT "id" FROM "WebhookEvent" WHERE "id" = ${eventId}::uuid FOR UPDATE SKIP LOCKED`;
        if (locked.length === 0) return { status: 200, body: { ok: true, duplicate: true, status: "processing" } };
        const event = await tx.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
        if (event.status === "processed" || event.status === "ignored" || event.status === "needs_review") {
          return { status: 200, body: { ok: true, duplicate: true, status: event.status } };
        }
        await tx.webhookEvent.update({ where: { id: event.id }, data: { attempts: { increment: 1 } } });
        const body = eventSchema.parse(JSON.parse(event.rawBody));
        const emailId = body.data.email_id;
        const message = emailId ? await lockedMessage(tx, emailId) : null;
        if (!message) {
          await finish(tx, event.id, "ignored", emailId ? "unknown email id" : "no email id", null, now);
          return { status: 200, body: { ok: true, ignored: true } };
        }
        const outcome = await apply(tx, message, body, now, meta);
        if (outcome.kind === "ignored") {
          await finish(tx, event.id, "ignored", outcome.reason, message.tenantId, now);
          return { status: 200, body: { ok: true, ignored: true } };
        }
        await finish(tx, event.id, "processed", null, message.tenantId, now);
        return {
          status: 200,
          body:
            outcome.kind === "updated"
              ? { ok: true, status: outcome.status, suppressed: outcome.suppressed }
              : { ok: true, recorded: true },
        };
      });
    } catch (e) {
      logger.error({ err: e, eventId }, "resend webhook processing failed");
      await platformDb.run((tx) =>
        tx.webhookEvent.updateMany({
          where: { id: eventId, status: { in: ["received", "failed"] } },
          data: { status: "failed", lastError: e instanceof Error ? e.message.slice(0, 1000) : "error" },
        }),
      );
      // 500: Resend retries; the stored event can also be replayed from the admin inbox
      return { status: 500, body: { error: "processing failed" } };
    }
  }

  /** Admin "replay": runs processing again; a processed event stays processed. */
  async replay(eventId: string, admin: { userId: string; email: string }, meta: RequestMeta): Promise<WebhookResponse> {
    const exists = await platformDb.run((tx) =>
      tx.webhookEvent.findUnique({ where: { id: eventId }, select: { id: true, provider: true, tenantId: true } }),
    );
    if (!exists || exists.provider !== PROVIDER) return { status: 404, body: { error: "not found" } };
    await platformDb.run((tx) =>
      tx.webhookEvent.updateMany({
        where: { id: eventId, status: { in: ["needs_review", "failed", "received"] } },
        data: { status: "received" },
      }),
    );
    const result = await this.process(eventId, meta);
    const after = await platformDb.run((tx) => tx.webhookEvent.findUnique({ where: { id: eventId }, select: { tenantId: true } }));
    await platformDb.run((tx) =>
      new AuditLogger(meta).log(tx, after?.tenantId ?? exists.tenantId, {
        action: "admin.webhook.replayed",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "webhook_event",
        targetId: eventId,
        metadata: { provider: PROVIDER, result: JSON.parse(JSON.stringify(result.body)) as Prisma.InputJsonObject },
      }),
    );
    return result;
  }
}

/** The message Resend knows as `emailId`, locked until the transaction ends (events of one message apply one at a time). */
async function lockedMessage(tx: DbTx, providerId: string): Promise<OutboundMessage | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "OutboundMessage" WHERE "providerId" = ${providerId} FOR UPDATE`;
  const id = rows[0]?.id;
  return id ? tx.outboundMessage.findUnique({ where: { id } }) : null;
}

/** Statuses a later delivery report may replace; a bounce or complaint is never undone by "delivered". */
const DELIVERABLE: readonly MessageStatus[] = ["queued", "sending", "sent"];

async function apply(tx: DbTx, m: OutboundMessage, event: ResendEvent, now: Date, meta: RequestMeta): Promise<Outcome> {
  switch (event.type) {
    case "email.sent":
    case "email.delivery_delayed":
      return { kind: "recorded" };
    case "email.delivered": {
      const status = DELIVERABLE.includes(m.status) ? "delivered" : m.status;
      await tx.outboundMessage.update({ where: { id: m.id }, data: { status, deliveredAt: m.deliveredAt ?? now } });
      return { kind: "updated", status, suppressed: false };
    }
    case "email.bounced": {
      const detail = [event.data.bounce?.type, event.data.bounce?.subType, event.data.bounce?.message].filter(Boolean).join(": ");
      // a complaint outranks a bounce; everything else becomes bounced
      const status = m.status === "complained" ? m.status : "bounced";
      await tx.outboundMessage.update({
        where: { id: m.id },
        data: { status, bouncedAt: m.bouncedAt ?? now, lastError: `bounced${detail ? `: ${detail}` : ""}`.slice(0, 1000) },
      });
      return { kind: "updated", status, suppressed: await suppressFor(tx, m, "bounced", meta) };
    }
    case "email.complained": {
      await tx.outboundMessage.update({ where: { id: m.id }, data: { status: "complained", complainedAt: m.complainedAt ?? now } });
      return { kind: "updated", status: "complained", suppressed: await suppressFor(tx, m, "complained", meta) };
    }
    default:
      return { kind: "ignored", reason: `event type ${event.type} not handled` };
  }
}

/** Puts the message's address on its tenant's list (audited when it was not there yet). */
async function suppressFor(tx: DbTx, m: OutboundMessage, reason: "bounced" | "complained", meta: RequestMeta): Promise<boolean> {
  const { row, created } = await suppress(tx, { tenantId: m.tenantId, channel: m.channel, address: m.to, reason, messageId: m.id });
  if (created) {
    await new AuditLogger(meta).log(tx, m.tenantId, {
      action: "suppression.added",
      targetType: "suppressed_address",
      targetId: row.id,
      metadata: { after: { address: row.address, channel: row.channel, reason, messageId: m.id } },
    });
  }
  return true;
}

async function finish(
  tx: DbTx,
  eventId: string,
  status: "processed" | "ignored",
  error: string | null,
  tenantId: string | null,
  now: Date,
) {
  await tx.webhookEvent.update({
    where: { id: eventId },
    data: { status, lastError: error, processedAt: now, ...(tenantId ? { tenantId } : {}) },
  });
}
