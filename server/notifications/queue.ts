import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import type { MessageChannel } from "@/lib/enums";
import { MESSAGE_CATALOG, type MessageKey } from "@/lib/notifications/catalog";
import { enqueueEvent } from "@/server/core/outbox";
import { logger } from "@/server/core/observability/logger";
import { normalizeAddress } from "./suppression";
import { MessageSender } from "./sender";

// The front door of the message pipeline. A service writes the message in the transaction of
// the change that causes it (so no message is lost and none leaves for a rolled-back change),
// and after commit asks for delivery with `deliverSoon`. The outbox event → the message-send
// Inngest function, and the message-retry cron, deliver whatever `deliverSoon` could not.

export interface QueueInput {
  tenantId: string;
  key: MessageKey;
  to: string;
  locale: string;
  variables: Record<string, string>;
  /** unique per tenant: the same key never queues (or sends) a second message */
  dedupeKey: string;
  channel?: MessageChannel;
}

// deliverSoon receives bare ids, after the transaction, from tenant code that cannot read across
// tenants: queueMessage/requeueMessage note each id's tenant here for it. Rolled-back ids are never
// asked for; the cap keeps their entries from piling up.
const tenantOf = new Map<string, string>();
const TENANT_OF_CAP = 10_000;

function remember(id: string, tenantId: string): void {
  tenantOf.set(id, tenantId);
  if (tenantOf.size > TENANT_OF_CAP) tenantOf.delete(tenantOf.keys().next().value!);
}

/**
 * Writes one message (status queued, due now) and its "notifications/message.queued" outbox
 * event, in the caller's transaction. A second call with the same `dedupeKey` (a retry, a replayed
 * event, a concurrent run) writes nothing and returns the first message's id with created: false.
 */
export async function queueMessage(tx: DbTx, m: QueueInput): Promise<{ id: string; created: boolean }> {
  const declared = MESSAGE_CATALOG[m.key].variables;
  const unknown = Object.keys(m.variables).filter((v) => !declared.includes(v));
  if (unknown.length > 0) throw new Error(`${m.key}: undeclared variables ${unknown.join(", ")}`);
  const [row] = await tx.outboundMessage.createManyAndReturn({
    data: [
      {
        tenantId: m.tenantId,
        key: m.key,
        channel: m.channel ?? "email",
        locale: m.locale,
        to: normalizeAddress(m.to),
        dedupeKey: m.dedupeKey,
        variables: m.variables as Prisma.InputJsonObject,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!row) {
    const existing = await tx.outboundMessage.findFirstOrThrow({
      where: { tenantId: m.tenantId, dedupeKey: m.dedupeKey },
      select: { id: true },
    });
    return { id: existing.id, created: false };
  }
  await enqueueEvent(tx, m.tenantId, "notifications/message.queued", { messageId: row.id });
  remember(row.id, m.tenantId);
  return { id: row.id, created: true };
}

/** Statuses a message can be sent again from, by hand. */
export const REQUEUEABLE = ["failed", "bounced", "complained", "suppressed"] as const;

/**
 * A retry by hand: a failed (bounced, complained, suppressed) message goes back to queued, due
 * now, with a fresh count of attempts. Call `deliverSoon([id])` after the transaction commits.
 * Works in the message's tenant transaction or a platform one; null when the message is not
 * there or not in a state to retry.
 */
export async function requeueMessage(tx: DbTx, messageId: string): Promise<{ id: string; tenantId: string } | null> {
  const [row] = await tx.outboundMessage.updateManyAndReturn({
    where: { id: messageId, status: { in: [...REQUEUEABLE] } },
    data: { status: "queued", nextAttemptAt: new Date(), attempts: 0, lastError: null },
    select: { id: true, tenantId: true },
  });
  if (!row) return null;
  await enqueueEvent(tx, row.tenantId, "notifications/message.queued", { messageId: row.id });
  remember(row.id, row.tenantId);
  return row;
}

const inFlight = new Set<Promise<unknown>>();

/**
 * Sends the messages now, in this process, without waiting (errors are logged; the message
 * keeps its state and back-off for the safety nets). Call it only after the transaction that
 * queued them has committed. e2e and laptops have no Inngest server: this is what delivers there.
 */
export function deliverSoon(ids: string[]): void {
  for (const id of ids) {
    const tenantId = tenantOf.get(id);
    tenantOf.delete(id);
    if (!tenantId) {
      logger.warn({ messageId: id }, "deliverSoon: message not queued by this process; the retry job will send it");
      continue;
    }
    const p: Promise<unknown> = new MessageSender()
      .send(id, tenantId)
      .catch((err: unknown) => logger.error({ err, messageId: id, tenantId }, "message delivery failed; the retry job will try again"))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
}

/** Waits for every delivery `deliverSoon` started (tests; a graceful shutdown). */
export async function flushDeliveries(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}
