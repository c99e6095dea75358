import "server-only";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_META, systemClock, type Clock } from "@/server/core/request-meta";
import { deleteStoredPrefix } from "@/server/files/storage";
import { logger } from "@/server/core/observability/logger";

/**
 * The tables holding a tenant's rows, read from the schema itself (every base table of the app's
 * schema with a "tenantId" column), children before the tables they reference: deleting in this
 * order never trips a foreign key. A table added later is covered without a change here.
 */
export async function tenantTablesInDeleteOrder(tx: DbTx): Promise<string[]> {
  const tables = (
    await tx.$queryRaw<{ table: string }[]>`
      SELECT c.table_name AS "table"
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'tenantId' AND t.table_type = 'BASE TABLE'
      ORDER BY 1`
  ).map((r) => r.table);
  const edges = await tx.$queryRaw<{ child: string; parent: string }[]>`
    SELECT ch.relname AS child, pa.relname AS parent
    FROM pg_constraint k
    JOIN pg_class ch ON ch.oid = k.conrelid
    JOIN pg_class pa ON pa.oid = k.confrelid
    WHERE k.contype = 'f' AND k.conrelid <> k.confrelid AND ch.relnamespace = current_schema()::regnamespace`;
  const inSet = new Set(tables);
  // parent -> its children still to delete
  const children = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) if (inSet.has(e.child) && inSet.has(e.parent)) children.get(e.parent)!.add(e.child);
  const order: string[] = [];
  const left = new Set(tables);
  while (left.size > 0) {
    const ready = [...left].filter((t) => [...children.get(t)!].every((c) => !left.has(c)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle between tenant tables: ${[...left].join(", ")}`);
    for (const t of ready) {
      order.push(t);
      left.delete(t);
    }
  }
  return order;
}

export interface WorkspacePurgeResult {
  workspaces: number;
  rows: number;
  files: number;
}

/**
 * Workspace deletion, step two (step one: deletion.admin.ts). Every workspace closed by its owner
 * whose grace period is over loses every row of every table with its tenantId, then the Tenant
 * row, in one transaction, then all its stored files. What remains is one platform audit row
 * (a tombstone: workspace id and address, the dates, the id of the user who asked; no personal
 * data). Idempotent: a workspace that is gone is not found again.
 */
export class WorkspacePurgeService {
  constructor(private readonly clock: Clock = systemClock) {}

  /** `only`: these workspaces alone (tests on a shared database); default every due one */
  async run(only?: { tenantIds: string[] }): Promise<WorkspacePurgeResult> {
    const now = this.clock();
    const due = await platformDb.run((tx) =>
      tx.tenant.findMany({
        where: { status: "closed", deleteAfter: { lte: now }, ...(only ? { id: { in: only.tenantIds } } : {}) },
        select: { id: true },
        orderBy: { deleteAfter: "asc" },
      }),
    );
    const result: WorkspacePurgeResult = { workspaces: 0, rows: 0, files: 0 };
    for (const { id } of due) {
      const purged = await this.purge(id, now);
      if (!purged) continue;
      result.workspaces += 1;
      result.rows += purged.rows;
      result.files += purged.files;
    }
    return result;
  }

  /** One workspace; null when it is no longer closed and due (restored meanwhile, or gone). */
  private async purge(tenantId: string, now: Date): Promise<{ rows: number; files: number } | null> {
    const rows = await platformDb.run(
      async (tx) => {
        // locks the row: a restore racing this waits, then finds it gone (or this finds it restored)
        const [t] = await tx.$queryRaw<
          { id: string; slug: string; createdAt: Date; closedAt: Date | null; deleteAfter: Date | null; closedByUserId: string | null }[]
        >`
          SELECT id, slug, "createdAt", "closedAt", "deleteAfter", "closedByUserId"::text AS "closedByUserId"
          FROM "Tenant" WHERE id = ${tenantId}::uuid AND status = 'closed' AND "deleteAfter" <= ${now} FOR UPDATE`;
        if (!t) return null;
        let total = 0;
        for (const table of await tenantTablesInDeleteOrder(tx)) {
          total += await tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "tenantId" = $1::uuid`, tenantId);
        }
        total += await tx.$executeRaw`DELETE FROM "Tenant" WHERE id = ${tenantId}::uuid`;
        await new AuditLogger(SYSTEM_META).log(tx, null, {
          action: "admin.tenant.deleted",
          targetType: "tenant",
          targetId: t.id,
          metadata: {
            slug: t.slug,
            createdAt: t.createdAt.toISOString(),
            closedAt: t.closedAt?.toISOString() ?? null,
            deleteAfter: t.deleteAfter?.toISOString() ?? null,
            deletedAt: now.toISOString(),
            requestedByUserId: t.closedByUserId,
            rows: total,
          },
        });
        return total;
      },
      { timeout: 10 * 60_000 },
    );
    if (rows === null) return null;
    // the rows are gone for good; the bytes follow (a crash here leaves files the next run cannot see:
    // the unused-file sweep does not know them either, so this is logged loudly)
    const files = await deleteStoredPrefix(tenantId).catch((e: unknown) => {
      logger.error({ err: e, tenantId }, "workspace deleted, but its stored files could not be removed");
      throw e;
    });
    return { rows, files };
  }
}
