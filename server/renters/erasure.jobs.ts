import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { logger } from "@/server/core/observability/logger";
import { dataLifecyclePolicy } from "@/server/workspaces/deletion-policy";
import { eraseDueRenter, removeErasedFiles } from "./erasure";

const DAY = 24 * 3600_000;
const BATCH = 200;

/**
 * The retention job's renter erasure: every renter (of a workspace that is not closed) whose
 * contracts have all ended more than RENTER_FINANCIAL_RETENTION_DAYS ago loses their personal
 * data (erasure.ts), one renter per transaction. A renter who never had a contract is left to
 * the staff (a prospect is not a financial record). Returns how many were erased.
 */
export class RenterErasureJob {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly retentionDays: number = dataLifecyclePolicy().RENTER_FINANCIAL_RETENTION_DAYS,
  ) {}

  /** `only`: these workspaces alone (tests on a shared database); default every workspace */
  async run(only?: { tenantIds: string[] }): Promise<{ renters: number }> {
    const now = this.clock();
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY);
    let erased = 0;
    const skipped = new Set<string>();
    for (;;) {
      const due = await platformDb.run(
        (tx) =>
          tx.$queryRaw<{ id: string }[]>`
          SELECT r.id::text FROM "Renter" r JOIN "Tenant" t ON t.id = r."tenantId" AND t.status <> 'closed'
          WHERE r."erasedAt" IS NULL AND (${only === undefined} OR r."tenantId" = ANY(${only?.tenantIds ?? []}::uuid[]))
            AND EXISTS (SELECT 1 FROM "Contract" c WHERE c."tenantId" = r."tenantId" AND c."renterId" = r.id)
            AND NOT EXISTS (
              SELECT 1 FROM "Contract" c WHERE c."tenantId" = r."tenantId" AND c."renterId" = r.id
                AND (c.status IN ('draft', 'active') OR COALESCE(c."endDate"::timestamp, c."updatedAt") > ${cutoff}))
          ORDER BY r.id LIMIT ${BATCH + skipped.size}`,
      );
      const todo = due.map((r) => r.id).filter((id) => !skipped.has(id));
      if (todo.length === 0) return { renters: erased };
      for (const id of todo) {
        try {
          const keys = await platformDb.run((tx) => eraseDueRenter(tx, id, now, this.retentionDays));
          if (keys === null) {
            skipped.add(id);
            continue;
          }
          await removeErasedFiles(keys);
          erased += 1;
        } catch (err) {
          skipped.add(id);
          logger.error({ err, renterId: id }, "renter erasure failed");
        }
      }
    }
  }
}
