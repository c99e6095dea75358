import "server-only";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import type { OutboundMessage, Prisma } from "@/server/db/generated/client";
import {
  type MessageStatus,
  asEnumValue,
  withEnums,
  MESSAGE_CHANNEL_VALUES,
  MESSAGE_STATUS_VALUES,
  type MessageChannel,
} from "@/lib/enums";
import { isMessageKey, MESSAGE_CATALOG } from "@/lib/notifications/catalog";
import { loadPlanInfo } from "@/server/subscriptions/plan-info";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { logger } from "@/server/core/observability/logger";
import { CHANNELS, PermanentSendError, RecipientGoneError, RetryLaterError, type ChannelAdapter } from "./channels/index";
import { isSuppressed, suppress } from "./suppression";
import { countMessagesThisMonth, countsTowardsQuota } from "./usage";
import { renderMessage } from "./template-render";
import { redactLogText, withoutSecrets } from "./redact";

export type MessageStatusName = MessageStatus;

export const MAX_ATTEMPTS = 5;
/** Wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final. */
export const BACKOFF_MS = [30_000, 2 * 60_000, 8 * 60_000, 32 * 60_000] as const;
/**
 * A claim is a lease: a sender that died mid-send (process killed) leaves the message `sending`;
 * after this long the retry job claims it again. The provider's idempotency key stops the
 * rare case where the first send did go out from becoming a second e-mail.
 */
export const SENDING_LEASE_MS = 10 * 60_000;
export const QUOTA_EXCEEDED = "quota exceeded";

/** The advisory lock that makes one quota decision at a time per tenant. */
export function quotaLockKey(tenantId: string): string {
  return `messages-quota:${tenantId}`;
}

export function backoffMs(attempts: number): number {
  return BACKOFF_MS[Math.min(Math.max(attempts, 1), BACKOFF_MS.length) - 1]!;
}

/** Resend tag values allow ASCII letters, digits, `_` and `-`. */
function tagValue(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, "_");
}

type Claim = { done: MessageStatusName | null } | { message: OutboundMessage };

/**
 * Delivers one message: claim (queued and due → sending, one more attempt, a conditional
 * update so two senders never both send), suppression list, monthly quota, render, channel, then
 * sent — or back to queued with back-off (30 s, 2 min, 8 min, 32 min), failed after 5 attempts.
 * Never throws for a delivery problem: the answer is the message's status afterwards (a message
 * that does not exist is NOT_FOUND).
 */
export class MessageSender {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly channels: { [C in MessageChannel]: ChannelAdapter<C> } = CHANNELS,
  ) {}

  async send(messageId: string, tenantId: string): Promise<MessageStatusName> {
    const db = new TenantDb(tenantId);
    const claim = await db.run((tx) => this.claim(tx, messageId, tenantId));
    if ("done" in claim) {
      if (!claim.done) throw new AppError("NOT_FOUND", "errors.notFound");
      return claim.done;
    }
    const m = withEnums(claim.message, { channel: MESSAGE_CHANNEL_VALUES });

    let rendered: Awaited<ReturnType<typeof renderMessage>> | undefined;
    try {
      if (m.attempts > MAX_ATTEMPTS) throw new PermanentSendError("the last attempt did not finish (sender stopped)");
      rendered = await db.run((tx) =>
        renderMessage(tx, {
          tenantId,
          key: m.key,
          channel: m.channel,
          locale: m.locale,
          variables: (m.variables ?? {}) as Record<string, unknown>,
        }),
      );
      const receipt = await this.channels[m.channel].send({
        tenantId,
        to: m.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        buttons: rendered.buttons,
        tags: { kind: tagValue(m.key), message_id: m.id },
        // the same for every attempt of this send; a message sent before (a bounce retried by hand) gets a new one
        idempotencyKey: m.providerId ? `${m.id}:after:${m.providerId}` : m.id,
      });
      const sensitive = isMessageKey(m.key) && MESSAGE_CATALOG[m.key].sensitive;
      const { count } = await db.run((tx) =>
        tx.outboundMessage.updateMany({
          where: { id: m.id, status: "sending", attempts: m.attempts },
          data: {
            status: "sent",
            provider: receipt.provider,
            providerId: receipt.providerId,
            sentAt: this.clock(),
            subject: rendered!.redactedSubject,
            bodyText: rendered!.redactedText,
            lastError: null,
            // the link with its token has gone out: it is not kept (the other variables are)
            ...(sensitive ? { variables: withoutSecrets(m.key, m.variables) as Prisma.InputJsonObject } : {}),
          },
        }),
      );
      if (count !== 1) logger.warn({ messageId: m.id, tenantId }, "message sent, but another sender had claimed it again meanwhile");
      logger.info({ messageId: m.id, tenantId, key: m.key, provider: receipt.provider, attempt: m.attempts }, "message sent");
      return "sent";
    } catch (error) {
      // a provider's error may quote the message back: no secret value (nor token) is stored or logged
      const raw = error instanceof Error ? error.message : String(error);
      const reason = redactLogText(m.key, raw, m.variables).slice(0, 500) || "send failed";
      const final = error instanceof PermanentSendError || m.attempts >= MAX_ATTEMPTS;
      // a recipient gone for good (Telegram: the renter blocked the bot) is a bounce: the address is suppressed
      const gone = error instanceof RecipientGoneError;
      const now = this.clock();
      // the provider said how long to wait (Telegram 429 retry_after): the next attempt honours it
      const wait = error instanceof RetryLaterError ? error.retryAfterMs : backoffMs(m.attempts);
      await db.run(async (tx) => {
        const { count } = await tx.outboundMessage.updateMany({
          where: { id: m.id, status: "sending", attempts: m.attempts },
          data: {
            status: gone ? "bounced" : final ? "failed" : "queued",
            nextAttemptAt: final ? now : new Date(now.getTime() + wait),
            lastError: reason,
            ...(gone ? { bouncedAt: now } : {}),
            ...(rendered ? { subject: rendered.redactedSubject, bodyText: rendered.redactedText } : {}),
          },
        });
        if (gone && count === 1) await suppress(tx, { tenantId, channel: m.channel, address: m.to, reason: "bounced", messageId: m.id });
      });
      logger.warn({ messageId: m.id, tenantId, attempt: m.attempts, final, err: reason }, "message not sent");
      return gone ? "bounced" : final ? "failed" : "queued";
    }
  }

  /** In one transaction: the conditional claim, then the checks that end a message without sending it. */
  private async claim(tx: DbTx, messageId: string, tenantId: string): Promise<Claim> {
    const now = this.clock();
    const [m] = await tx.outboundMessage.updateManyAndReturn({
      // queued and due, or a claim whose lease ran out
      where: { id: messageId, tenantId, status: { in: ["queued", "sending"] }, nextAttemptAt: { lte: now } },
      data: { status: "sending", attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + SENDING_LEASE_MS) },
    });
    if (!m) {
      const current = await tx.outboundMessage.findFirst({ where: { id: messageId, tenantId }, select: { status: true } });
      return { done: current && asEnumValue(MESSAGE_STATUS_VALUES, current.status) };
    }
    if (await isSuppressed(tx, tenantId, asEnumValue(MESSAGE_CHANNEL_VALUES, m.channel), m.to)) {
      await tx.outboundMessage.update({
        where: { id: m.id },
        data: { status: "suppressed", nextAttemptAt: now, lastError: "address on the suppression list" },
      });
      return { done: "suppressed" };
    }
    if (countsTowardsQuota(m.key)) {
      // one quota decision at a time per tenant, so two messages cannot both take the last one
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${quotaLockKey(tenantId)}))`;
      const max = (await loadPlanInfo(tx, tenantId)).limits.messagesPerMonth;
      if (max !== null) {
        const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, timezone: true } });
        const used = await countMessagesThisMonth(tx, tenant, now, { excludeId: m.id });
        if (used >= max) {
          await tx.outboundMessage.update({
            where: { id: m.id },
            data: { status: "failed", nextAttemptAt: now, lastError: QUOTA_EXCEEDED },
          });
          return { done: "failed" };
        }
      }
    }
    return { message: m };
  }
}
