import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { SuppressedAddress } from "@/server/db/generated/client";
import type { MessageChannel } from "@/lib/enums";

// The per-tenant suppression list: addresses a tenant does not send to, because they bounced,
// complained, or were added by hand. Works inside either a tenant-scoped or a platform
// transaction (the tenant id is always passed explicitly). Addresses are compared lower-cased
// and trimmed, so "Ana@Example.com " and "ana@example.com" are the same address.

export type SuppressionReason = "bounced" | "complained" | "manual";

export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

export async function isSuppressed(tx: DbTx, tenantId: string, channel: MessageChannel, address: string): Promise<boolean> {
  const found = await tx.suppressedAddress.findFirst({
    where: { tenantId, channel, address: normalizeAddress(address) },
    select: { id: true },
  });
  return found !== null;
}

/**
 * Puts an address on the list. Idempotent: an address already there keeps its first row (and
 * reason); the answer says whether a row was created.
 */
export async function suppress(
  tx: DbTx,
  entry: {
    tenantId: string;
    channel: MessageChannel;
    address: string;
    reason: SuppressionReason;
    messageId?: string | null;
    createdById?: string | null;
  },
): Promise<{ row: SuppressedAddress; created: boolean }> {
  const address = normalizeAddress(entry.address);
  const { count } = await tx.suppressedAddress.createMany({
    data: [
      {
        tenantId: entry.tenantId,
        channel: entry.channel,
        address,
        reason: entry.reason,
        messageId: entry.messageId ?? null,
        createdById: entry.createdById ?? null,
      },
    ],
    skipDuplicates: true,
  });
  const row = await tx.suppressedAddress.findFirstOrThrow({ where: { tenantId: entry.tenantId, channel: entry.channel, address } });
  return { row, created: count === 1 };
}

/** Takes an address off the list; returns the removed row, or null when there was none. */
export async function lift(tx: DbTx, tenantId: string, id: string): Promise<SuppressedAddress | null> {
  const row = await tx.suppressedAddress.findFirst({ where: { tenantId, id } });
  if (!row) return null;
  await tx.suppressedAddress.deleteMany({ where: { tenantId, id } });
  return row;
}
