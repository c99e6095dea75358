import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import type { AppEventName } from "@/inngest/events";

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
  await tx.outboxEvent.createMany({
    data: events.map((e) => ({ tenantId: e.tenantId, name: e.name, payload: { ...e.payload, tenantId: e.tenantId }, dedupeKey: null })),
  });
}
