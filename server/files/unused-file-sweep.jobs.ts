import "server-only";
import { Prisma } from "@/server/db/generated/client";
import { platformDb } from "@/server/db/platform-db";
import { deleteStoredFile, listStoredFiles, type StoredObject } from "@/server/files/storage";
import { logger } from "@/server/core/observability/logger";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_META, systemClock, type Clock } from "@/server/core/request-meta";

// Uploads nobody uses: a photo uploaded and then abandoned with its form, a contract scan or a
// logo since replaced. They count against the plan's storage, so the cleanup job removes them
// once they are a day old (an upload is attached within seconds of being made; a day leaves any
// form still open plenty of time).
//
// Attaching and sweeping cannot cross: attaching locks the file row (FOR KEY SHARE, in
// FileService.assertAttachable) until its transaction ends, the sweep locks the rows it deletes
// (FOR UPDATE SKIP LOCKED, so a file being attached is simply left for the next run) and checks
// "used by nothing" again after the lock. An attach that comes second finds no file (NOT_FOUND).
//
// Then the stored objects no row names (disk or bucket, read page by page): an upload whose row
// was never written (the process stopped between the bytes and the row) or whose bytes could not
// be removed when its row was (the store was unreachable for a moment). Only objects older than the
// same day (an upload writes its bytes just before its row) and only under the prefix of a
// workspace this database knows: a store shared by mistake with another database, or a deleted
// workspace's prefix (workspace deletion removes those), is never touched here.

const GRACE_MS = 24 * 3600_000;
const BATCH = 500;

/** "No property photo, renter, contract or workspace logo points at f". */
const UNUSED = Prisma.sql`
  NOT EXISTS (SELECT 1 FROM "PropertyPhoto" p WHERE p."fileId" = f.id)
  AND NOT EXISTS (SELECT 1 FROM "Renter" r WHERE r."idDocumentFileId" = f.id)
  AND NOT EXISTS (SELECT 1 FROM "Contract" c WHERE c."signedFileId" = f.id)
  AND NOT EXISTS (SELECT 1 FROM "Tenant" t WHERE t."logoFileId" = f.id)`;

export interface UnusedFileSweepResult {
  files: number;
  bytes: number;
  /** stored objects no row named, removed */
  orphans: number;
}

export interface UnusedFileSweepScope {
  /** only these workspaces' files and objects (tests that share the database; the job sweeps all) */
  tenantIds?: readonly string[];
}

export async function sweepUnusedFiles(clock: Clock = systemClock, scope: UnusedFileSweepScope = {}): Promise<UnusedFileSweepResult> {
  const cutoff = new Date(clock().getTime() - GRACE_MS);
  const result: UnusedFileSweepResult = { files: 0, bytes: 0, orphans: 0 };
  const inScope = scope.tenantIds ? Prisma.sql`AND f."tenantId" = ANY(${[...scope.tenantIds]}::uuid[])` : Prisma.empty;
  for (;;) {
    const candidates = await platformDb.run(
      (tx) =>
        tx.$queryRaw<{ id: string; tenantId: string }[]>`
        SELECT f.id, f."tenantId" FROM "File" f
        WHERE f."createdAt" < ${cutoff} AND ${UNUSED} ${inScope}
        ORDER BY f."createdAt" LIMIT ${BATCH}`,
    );
    if (candidates.length === 0) break;
    const byTenant = new Map<string, string[]>();
    for (const c of candidates) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c.id]);
    let removedThisRound = 0;
    for (const [tenantId, ids] of byTenant) {
      const removed = await removeUnused(tenantId, ids, cutoff);
      removedThisRound += removed.length;
      result.files += removed.length;
      result.bytes += removed.reduce((sum, r) => sum + r.sizeBytes, 0);
      // after the commit: a rolled-back sweep keeps its bytes
      for (const r of removed) {
        await deleteStoredFile(r.storageKey).catch((e: unknown) =>
          logger.warn({ fileId: r.id, err: (e as Error).message }, "unused file sweep: could not remove the stored bytes"),
        );
      }
    }
    // everything left in this batch was locked by an attach in progress: leave it to the next run
    if (removedThisRound === 0 || candidates.length < BATCH) break;
  }
  if (scope.tenantIds) for (const tenantId of scope.tenantIds) result.orphans += await removeOrphans(listStoredFiles(tenantId), cutoff);
  else result.orphans = await removeOrphans(listStoredFiles(), cutoff);
  if (result.orphans > 0) logger.info({ orphans: result.orphans }, "unused file sweep: removed stored objects no file row names");
  return result;
}

/** Objects older than `cutoff` that no File row names, under the prefix of a workspace this database knows. */
async function removeOrphans(objects: AsyncIterable<StoredObject>, cutoff: Date): Promise<number> {
  let removed = 0;
  let batch: StoredObject[] = [];
  const flush = async () => {
    const old = batch.filter((o) => o.modifiedAt < cutoff);
    batch = [];
    if (old.length === 0) return;
    const byTenant = new Map<string, string[]>();
    for (const o of old) {
      const tenantId = o.key.slice(0, o.key.indexOf("/"));
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), o.key]);
    }
    const known = await platformDb.run(
      (tx) => tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM "Tenant" WHERE id = ANY(${[...byTenant.keys()]}::uuid[])`,
    );
    for (const { id: tenantId } of known) {
      const keys = byTenant.get(tenantId)!;
      const named = await platformDb.run(
        (tx) =>
          tx.$queryRaw<{ storageKey: string }[]>`
          SELECT "storageKey" FROM "File" WHERE "tenantId" = ${tenantId}::uuid AND "storageKey" = ANY(${keys})`,
      );
      const kept = new Set(named.map((n) => n.storageKey));
      for (const key of keys.filter((k) => !kept.has(k))) {
        await deleteStoredFile(key).then(
          () => removed++,
          (e: unknown) => logger.warn({ key, err: (e as Error).message }, "unused file sweep: could not remove an orphaned object"),
        );
      }
    }
  };
  for await (const object of objects) {
    batch.push(object);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return removed;
}

async function removeUnused(
  tenantId: string,
  ids: string[],
  cutoff: Date,
): Promise<{ id: string; storageKey: string; sizeBytes: number; originalName: string; purpose: string }[]> {
  return platformDb.run(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "File" WHERE id = ANY(${ids}::uuid[]) AND "tenantId" = ${tenantId}::uuid FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return [];
    // a new statement, so it sees every attach committed before the lock was taken
    const removed = await tx.$queryRaw<{ id: string; storageKey: string; sizeBytes: number; originalName: string; purpose: string }[]>`
      DELETE FROM "File" f
      WHERE f.id = ANY(${locked.map((l) => l.id)}::uuid[]) AND f."createdAt" < ${cutoff} AND ${UNUSED}
      RETURNING f.id, f."storageKey", f."sizeBytes", f."originalName", f.purpose`;
    if (removed.length > 0) {
      await new AuditLogger(SYSTEM_META).log(tx, tenantId, {
        action: "file.unused_removed",
        targetType: "Tenant",
        targetId: tenantId,
        metadata: {
          count: removed.length,
          bytes: removed.reduce((sum, r) => sum + r.sizeBytes, 0),
          files: removed.slice(0, 50).map((r) => ({ id: r.id, purpose: r.purpose, originalName: r.originalName })),
        },
      });
    }
    return removed;
  });
}
