import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_META, type RequestMeta } from "@/server/core/request-meta";
import type { AdminAuditFilters, adminListAuditSchema } from "@/lib/schemas/audit";
import {
  auditCsvChunks,
  filtersForAudit,
  listAuditPage,
  toByteStream,
  type AdminAuditRow,
  type AuditPage,
  type AuditReadScope,
  type ReadSql,
} from "@/server/audit/audit-query";
import { dayIn } from "@/lib/dates";

export type { AdminAuditRow };

/** The console's time zone for from/to days and file names. */
export const ADMIN_TIMEZONE = "Asia/Phnom_Penh";

const read: ReadSql = (query) => platformDb.read(query);

function scopeOf(f: AdminAuditFilters): AuditReadScope {
  return { kind: "platform", timezone: ADMIN_TIMEZONE, tenantSlug: f.tenant, platformOnly: f.platformOnly };
}

/** The audit log across tenants and platform events, for the admin console (platform handle). */
export class AdminAuditService {
  constructor(private readonly meta: RequestMeta = SYSTEM_META) {}

  list(input: z.output<typeof adminListAuditSchema>): Promise<AuditPage<AdminAuditRow>> {
    return listAuditPage(read, scopeOf(input), input);
  }

  /** CSV text (with a tenant column) of every matching row up to `asOf`, in keyset batches of CSV_BATCH_SIZE. */
  streamCsv(filters: AdminAuditFilters, opts: { asOf?: Date; batchSize?: number } = {}): AsyncGenerator<string, void, undefined> {
    return auditCsvChunks(read, scopeOf(filters), filters, { asOf: opts.asOf ?? new Date(), batchSize: opts.batchSize });
  }

  /** Records the export as a platform event (`admin.audit.exported` with the filters), then streams the file. */
  async exportCsv(
    filters: AdminAuditFilters,
    admin: { userId: string; email: string },
  ): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
    const asOf = new Date();
    await platformDb.run((tx) =>
      new AuditLogger(this.meta).log(tx, null, {
        action: "admin.audit.exported",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "audit_log",
        targetId: filters.tenant,
        metadata: { filters: filtersForAudit(filters), asOf: asOf.toISOString() },
      }),
    );
    const label = filters.tenant ?? (filters.platformOnly ? "platform" : "all");
    return {
      filename: `audit-${label}-${dayIn(asOf, ADMIN_TIMEZONE)}.csv`,
      stream: toByteStream(this.streamCsv(filters, { asOf }), { scope: label, requestId: this.meta.requestId }),
    };
  }
}
