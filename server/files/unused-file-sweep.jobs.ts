import "server-only";
import { Prisma } from "@/server/db/generated/client";
import { platformDb } from "@/server/db/platform-db";
import { deleteStoredFile } from "@/server/files/storage";
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
}

export async function sweepUnusedFiles(clock: Clock = systemClock): Promise<UnusedFileSweepResult> {
  const cutoff = new Date(clock().getTime() - GRACE_MS);
  const result: UnusedFileSweepResult = { files: 0, bytes: 0 };
  for (;;) {
    const candidates = await platformDb.run(
      (tx) =>
        tx.$queryRaw<{ id: string; tenantId: string }[]>`
        SELECT f.id, f."tenantId" FROM "File" f
        WHERE f."createdAt" < ${cutoff} AND ${UNUSED}
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
  return result;
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
