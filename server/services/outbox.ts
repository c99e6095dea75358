import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import type { AppEventName } from "@/inngest/events";

/** Queues an event in the caller's transaction; the outbox relay publishes it after commit. */
export async function enqueueEvent(tx: DbTx, tenantId: string | null, name: AppEventName, payload: Prisma.InputJsonObject): Promise<void> {
  await tx.outboxEvent.create({ data: { tenantId, name, payload: { ...payload, tenantId } } });
}
