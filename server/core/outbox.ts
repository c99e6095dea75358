import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import type { AppEventName } from "@/inngest/events";
import { uuidv7 } from "./uuidv7";

/**
 * Queues an event in the caller's transaction; the outbox relay publishes it after commit.
 * With a `dedupeKey` the event is written at most once, ever (a unique column): re-running a
 * job on the same day, or two concurrent runs, queue nothing new. Returns whether it was queued.
 */
export async function enqueueEvent(
  tx: DbTx,
  tenantId: string | null,
  name: AppEventName,
  payload: Prisma.InputJsonObject,
  dedupeKey?: string,
): Promise<boolean> {
  const data = { tenantId, name, payload: { ...payload, tenantId }, dedupeKey: dedupeKey ?? null };
  if (!dedupeKey) {
    await tx.outboxEvent.create({ data });
    return true;
  }
  const { count } = await tx.outboxEvent.createMany({ data: [data], skipDuplicates: true });
  return count === 1;
}

/** Queues several events (no dedupe key) in one INSERT, in the caller's transaction. */
export async function enqueueEvents(
  tx: DbTx,
  events: ReadonlyArray<{ tenantId: string | null; name: AppEventName; payload: Prisma.InputJsonObject }>,
): Promise<void> {
  if (events.length === 0) return;
  // the times from this clock, in UTC, as Prisma writes them (a column DEFAULT would use the session's zone)
  const at = new Date().toISOString();
  const rows = events.map((e) => ({
    id: uuidv7(),
    tenantId: e.tenantId,
    name: e.name,
    payload: { ...e.payload, tenantId: e.tenantId },
    availableAt: at,
    createdAt: at,
  }));
  // rows as JSON typed by the table's row type; status and attempts take their defaults
  await tx.$executeRaw`
    INSERT INTO "OutboxEvent" ("id", "tenantId", "name", "payload", "availableAt", "createdAt")
    SELECT "id", "tenantId", "name", "payload", "availableAt", "createdAt"
    FROM jsonb_populate_recordset(NULL::"OutboxEvent", ${JSON.stringify(rows)}::jsonb)`;
}
