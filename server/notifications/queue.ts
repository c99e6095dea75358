import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import type { MessageChannel } from "@/lib/enums";
import { MESSAGE_CATALOG, type MessageKey } from "@/lib/notifications/catalog";
import { enqueueEvent, enqueueEvents } from "@/server/core/outbox";
import { logger } from "@/server/core/observability/logger";
import { uuidv7 } from "@/server/core/uuidv7";
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

/**
 * `queueMessage` for many messages in a few statements (the monthly run queues one per invoice):
 * one multi-row INSERT … ON CONFLICT DO NOTHING, one read of the duplicates' ids, one INSERT of
 * the created messages' outbox events. Same answer per input, in input order. The ids are not
 * noted for `deliverSoon`: pass the tenant with them (`deliverSoon(ids, tenantId)`), so thousands of
 * them never push other requests' ids out of the note.
 */
export async function queueMessages(tx: DbTx, inputs: readonly QueueInput[]): Promise<Array<{ id: string; created: boolean }>> {
  if (inputs.length === 0) return [];
  for (const m of inputs) {
    const declared = MESSAGE_CATALOG[m.key].variables;
    const unknown = Object.keys(m.variables).filter((v) => !declared.includes(v));
    if (unknown.length > 0) throw new Error(`${m.key}: undeclared variables ${unknown.join(", ")}`);
  }
  // one INSERT for all (rows as JSON, typed by the table's row type); ON CONFLICT: an existing dedupe key writes nothing
  const stamp = new Date().toISOString();
  const values = inputs.map((m) => ({
    id: uuidv7(),
    tenantId: m.tenantId,
    key: m.key,
    channel: m.channel ?? "email",
    locale: m.locale,
    to: normalizeAddress(m.to),
    dedupeKey: m.dedupeKey,
    variables: m.variables,
    status: "queued",
    attempts: 0,
    nextAttemptAt: stamp,
    createdAt: stamp,
    updatedAt: stamp,
  }));
  const rows = await tx.$queryRaw<Array<{ id: string; tenantId: string; dedupeKey: string }>>`
    INSERT INTO "OutboundMessage" ("id", "tenantId", "key", "channel", "locale", "to", "dedupeKey", "variables", "status", "attempts",
                                   "nextAttemptAt", "createdAt", "updatedAt")
    SELECT "id", "tenantId", "key", "channel", "locale", "to", "dedupeKey", "variables", "status", "attempts", "nextAttemptAt", "createdAt", "updatedAt"
    FROM jsonb_populate_recordset(NULL::"OutboundMessage", ${JSON.stringify(values)}::jsonb)
    ON CONFLICT ("tenantId", "dedupeKey") DO NOTHING
    RETURNING id::text, "tenantId"::text AS "tenantId", "dedupeKey"`;
  const key = (tenantId: string, dedupeKey: string) => `${tenantId}\u0000${dedupeKey}`;
  const created = new Map(rows.map((r) => [key(r.tenantId, r.dedupeKey), r.id]));
  const missing = inputs.filter((m) => !created.has(key(m.tenantId, m.dedupeKey)));
  const existing = new Map<string, string>();
  if (missing.length > 0) {
    const found = await tx.outboundMessage.findMany({
      where: { OR: missing.map((m) => ({ tenantId: m.tenantId, dedupeKey: m.dedupeKey })) },
      select: { id: true, tenantId: true, dedupeKey: true },
    });
    for (const f of found) existing.set(key(f.tenantId, f.dedupeKey), f.id);
  }
  if (rows.length > 0) {
    await enqueueEvents(
      tx,
      rows.map((r) => ({ tenantId: r.tenantId, name: "notifications/message.queued" as const, payload: { messageId: r.id } })),
    );
  }
  const used = new Set<string>();
  return inputs.map((m) => {
    const k = key(m.tenantId, m.dedupeKey);
    const id = created.get(k);
    if (id && !used.has(k)) {
      used.add(k); // the same key twice in one batch: the second is a duplicate
      return { id, created: true };
    }
    const other = id ?? existing.get(k);
    if (!other) throw new Error(`queueMessages: message ${m.dedupeKey} neither written nor found`);
    return { id: other, created: false };
  });
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

// In-process deliveries go through one queue per process with a bounded number of sends at a
// time (each send holds a pool connection for its claim and its result): a run that queues
// thousands of messages hands them all over at once and they leave DELIVERY_CONCURRENCY at a
// time, leaving the rest of the pool to requests. Past MAX_PENDING ids the rest is left to the
// safety nets (the outbox event → message-send, and the message-retry job).
const DELIVERY_CONCURRENCY = 4;
const MAX_PENDING = 50_000;

interface Delivery {
  id: string;
  tenantId: string;
}

const inFlight = new Set<Promise<unknown>>();
let pending: Delivery[] = [];
let head = 0;
const concurrency = DELIVERY_CONCURRENCY;
let paused = false;
let maxActive = 0;

function pendingCount(): number {
  return pending.length - head;
}

function pump(): void {
  while (!paused && inFlight.size < concurrency && head < pending.length) {
    const { id, tenantId } = pending[head]!;
    pending[head++] = undefined as unknown as Delivery;
    if (head > 1024 && head * 2 > pending.length) {
      pending = pending.slice(head);
      head = 0;
    }
    const p: Promise<unknown> = new MessageSender()
      .send(id, tenantId)
      .catch((err: unknown) => logger.error({ err, messageId: id, tenantId }, "message delivery failed; the retry job will try again"))
      .finally(() => {
        inFlight.delete(p);
        pump();
      });
    inFlight.add(p);
    maxActive = Math.max(maxActive, inFlight.size);
  }
}

/**
 * Hands the messages to this process's delivery queue, without waiting: they are sent
 * DELIVERY_CONCURRENCY at a time (errors are logged; the message keeps its state and back-off for
 * the safety nets). Call it only after the transaction that queued them has committed. e2e and
 * laptops have no Inngest server: this is what delivers there. `tenant`: the messages' tenant when
 * the caller knows it (ids from `queueMessages`); a wrong one only finds no message.
 */
export function deliverSoon(ids: string[], tenant?: string): void {
  let dropped = 0;
  for (const id of ids) {
    const tenantId = tenant ?? tenantOf.get(id);
    tenantOf.delete(id);
    if (!tenantId) {
      logger.warn({ messageId: id }, "deliverSoon: message not queued by this process; the retry job will send it");
      continue;
    }
    if (pendingCount() >= MAX_PENDING) {
      dropped += 1;
      continue;
    }
    pending.push({ id, tenantId });
  }
  if (dropped > 0) logger.warn({ dropped }, "deliverSoon: delivery queue full; the retry job will send the rest");
  pump();
}

/** Waits for every delivery handed to `deliverSoon` (tests; a graceful shutdown). While paused, only for those already started. */
export async function flushDeliveries(): Promise<void> {
  while (inFlight.size > 0 || (!paused && pendingCount() > 0)) {
    if (inFlight.size === 0) pump();
    await Promise.allSettled([...inFlight]);
  }
}

/** The delivery queue's state: sends under way, ids waiting, the most sends at once so far. */
export function deliveryQueueState(): { active: number; pending: number; maxActive: number; concurrency: number } {
  return { active: inFlight.size, pending: pendingCount(), maxActive, concurrency };
}

/** Tests: hold the queue (ids handed over wait), let it go again, reset the high-water mark. */
export function pauseDeliveries(): void {
  paused = true;
}

export function resumeDeliveries(): void {
  paused = false;
  pump();
}

export function resetDeliveryStats(): void {
  maxActive = inFlight.size;
}
