import "server-only";
import { PlanGate } from "../subscriptions/plan-gate";
import type { z } from "zod";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { AuditFilters, listAuditSchema } from "@/lib/schemas/audit";
import {
  auditCsvChunks,
  filtersForAudit,
  listAuditPage,
  stripTenant,
  toByteStream,
  type AuditPage,
  type AuditReadScope,
  type AuditRow,
  type ReadSql,
} from "@/server/audit/audit-query";
import { dayIn } from "@/lib/dates";
import type { Locale } from "@/lib/i18n";

export type { AuditRow };

/** The workspace's own audit log (tenant handle: this tenant's rows only, never platform events). */
export class AuditService {
  constructor(private readonly ctx: TenantContext) {}

  private get scope(): AuditReadScope {
    return { kind: "tenant", tenantId: this.ctx.tenantId, timezone: this.ctx.tenant.timezone };
  }

  private readonly read: ReadSql = (query) => this.ctx.db.read(query);

  async list(input: z.output<typeof listAuditSchema>): Promise<AuditPage<AuditRow>> {
    const page = await listAuditPage(this.read, this.scope, input);
    return { items: page.items.map(stripTenant), nextCursor: page.nextCursor };
  }

  /** CSV text of every matching row up to `asOf`, in keyset batches of CSV_BATCH_SIZE (no audit row written). */
  streamCsv(
    filters: AuditFilters,
    opts: { asOf?: Date; batchSize?: number; locale?: Locale } = {},
  ): AsyncGenerator<string, void, undefined> {
    return auditCsvChunks(this.read, this.scope, filters, {
      asOf: opts.asOf ?? new Date(),
      batchSize: opts.batchSize,
      locale: opts.locale,
    });
  }

  /** Records the export (`audit.exported` with the filters), then streams the file as of that moment, in the reader's `locale`. */
  async exportCsv(filters: AuditFilters, locale?: Locale): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
    const asOf = new Date();
    await this.ctx.db.run(async (tx) => {
      await new PlanGate(this.ctx).assertFeature(tx, "audit_export");
      await tenantAudit(this.ctx).log(tx, {
        action: "audit.exported",
        targetType: "audit_log",
        metadata: { filters: filtersForAudit(filters), asOf: asOf.toISOString() },
      });
    });
    return {
      filename: `audit-${this.ctx.tenant.slug}-${dayIn(asOf, this.ctx.tenant.timezone)}.csv`,
      stream: toByteStream(this.streamCsv(filters, { asOf, locale }), { tenant: this.ctx.tenant.slug, requestId: this.ctx.meta.requestId }),
    };
  }
}
