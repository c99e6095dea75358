import "server-only";
import { z } from "zod";
import { getEnv } from "@/env";
import type { DbTx } from "@/server/db/tenant-db";
import type { OutboundMessage } from "@/server/db/generated/client";
import { type MessageStatus, asEnumValue, MESSAGE_CHANNEL_VALUES, MESSAGE_STATUS_VALUES } from "@/lib/enums";
import { signatureHeaders, verifyResendSignature } from "@/server/notifications/resend-signature";
import { suppress } from "@/server/notifications/suppression";
import { SYSTEM_META, systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { AuditLogger } from "@/server/audit/audit-logger";
import { WebhookInbox, type WebhookResponse } from "../core/webhook-inbox.public";

// POST /api/webhooks/resend: Resend's delivery events for the mail we sent.
// verify (Svix / Standard Webhooks signature over the raw body, ±5 min) → store in the webhook
// inbox (provider "resend" + svix-id unique) → process once, under the event's row lock and the
// message's → answer fast. Bounces and complaints put the address on the tenant's suppression
// list, which the sender respects.

export const PROVIDER = "resend";
export const MAX_WEBHOOK_BYTES = 256 * 1024;

const eventSchema = z.object({
  type: z.string().min(1).max(100),
  created_at: z.string().max(100).optional(),
  data: z.object({
    email_id: z.string().max(200).optional(),
    bounce: z.object({ message: z.string().max(2000).optional(), type: z.string().optional(), subType: z.string().optional() }).optional(),
  }),
});
type ResendEvent = z.infer<typeof eventSchema>;

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

/** What one event does to its message. */
type Outcome = { kind: "updated"; status: MessageStatus; suppressed: boolean } | { kind: "recorded" } | { kind: "ignored"; reason: string };

export class ResendWebhookService {
  private readonly inbox: WebhookInbox;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly secret: string = getEnv().RESEND_WEBHOOK_SECRET ?? "",
  ) {
    this.inbox = new WebhookInbox({
      provider: PROVIDER,
      safeHeaders: SAFE_HEADERS,
      clock,
      // logs "resend webhook rejected" and "resend webhook processing failed"
      logName: "resend webhook",
    });
  }

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
      await this.inbox.keepRejected(headers, rawBody.slice(0, MAX_WEBHOOK_BYTES), verdict.reason, meta);
      return { status: 401, body: { error: "invalid signature" } };
    }
    try {
      eventSchema.parse(JSON.parse(rawBody));
    } catch {
      return { status: 400, body: { error: "invalid payload" } };
    }
    const event = await this.inbox.storeOnce(verdict.id, headers, rawBody);
    return this.process(event.id, meta);
  }

  /** Processes a stored event once; a repeat (or a replay of a processed event) changes nothing. */
  async process(eventId: string, meta: RequestMeta = SYSTEM_META): Promise<WebhookResponse> {
    return this.inbox.process(eventId, async (tx, event, now) => {
      const body = eventSchema.parse(JSON.parse(event.rawBody));
      const emailId = body.data.email_id;
      const message = emailId ? await lockedMessage(tx, emailId) : null;
      if (!message) {
        await this.inbox.finish(tx, event.id, "ignored", emailId ? "unknown email id" : "no email id", null, now);
        return { status: 200, body: { ok: true, ignored: true } };
      }
      const outcome = await apply(tx, message, body, now, meta);
      if (outcome.kind === "ignored") {
        await this.inbox.finish(tx, event.id, "ignored", outcome.reason, message.tenantId, now);
        return { status: 200, body: { ok: true, ignored: true } };
      }
      await this.inbox.finish(tx, event.id, "processed", null, message.tenantId, now);
      return {
        status: 200,
        body:
          outcome.kind === "updated" ? { ok: true, status: outcome.status, suppressed: outcome.suppressed } : { ok: true, recorded: true },
      };
    });
  }

  /** Admin "replay": runs processing again; a processed event stays processed. */
  async replay(eventId: string, admin: { userId: string; email: string }, meta: RequestMeta): Promise<WebhookResponse> {
    return this.inbox.replay(eventId, admin, meta, (id) => this.process(id, meta));
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
      const current = asEnumValue(MESSAGE_STATUS_VALUES, m.status);
      const status = DELIVERABLE.includes(current) ? "delivered" : current;
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
  const { row, created } = await suppress(tx, {
    tenantId: m.tenantId,
    channel: asEnumValue(MESSAGE_CHANNEL_VALUES, m.channel),
    address: m.to,
    reason,
    messageId: m.id,
  });
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
