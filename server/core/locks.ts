import "server-only";
import type { DbTx } from "@/server/db/tenant-db";

const LOCKABLE = ["Payment", "Plan", "Subscription", "SubscriptionInvoice", "WebhookEvent", "Contract", "RentInvoice"] as const;
export type LockableTable = (typeof LOCKABLE)[number];

/**
 * Locks one row until the caller's transaction ends (SELECT … FOR UPDATE): concurrent writers of
 * the same payment, invoice or subscription queue here and then see each other's result.
 * The table name comes from the fixed list above, never from input.
 */
export async function lockRow(tx: DbTx, table: LockableTable, id: string): Promise<void> {
  if (!LOCKABLE.includes(table)) throw new Error(`not a lockable table: ${table}`);
  await tx.$queryRawUnsafe(`SELECT 1 FROM "${table}" WHERE "id" = $1::uuid FOR UPDATE`, id);
}
