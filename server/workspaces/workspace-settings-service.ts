import "server-only";
import { AppError } from "@/server/core/errors";
import { hasPermission } from "@/lib/permissions";
import { isLocale, type Locale } from "@/lib/i18n";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { DbTx } from "@/server/db/tenant-db";
import type { WorkspaceSettingsValues } from "@/lib/schemas/workspace-settings";
import type { TenantContext } from "../core/tenant-context";

export interface WorkspaceSettings {
  name: string;
  /** the language of renter messages when the renter has none, and of system texts */
  locale: Locale;
  /** where KHQR rent payments are sent (`name@bank`); null = none */
  bakongAccountId: string | null;
  /** days relative to the due date, ascending */
  rentReminderDays: number[];
}

const select = { name: true, locale: true, bakongAccountId: true, rentReminderDays: true } as const;

async function read(tx: DbTx, tenantId: string): Promise<WorkspaceSettings> {
  const row = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select });
  return {
    name: row.name,
    locale: isLocale(row.locale) ? row.locale : "km",
    bakongAccountId: row.bakongAccountId,
    rentReminderDays: [...row.rentReminderDays].sort((x, y) => x - y),
  };
}

function sameDays(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The workspace's own settings on the Tenant row: name, default language, the Bakong account
 * that receives KHQR rent and the rent reminder days. Saving a Bakong account does not need the
 * `khqr_rent_collection` feature (an owner may set it up before upgrading); collecting does.
 */
export class WorkspaceSettingsService {
  constructor(private readonly ctx: TenantContext) {}

  async get(): Promise<WorkspaceSettings> {
    return this.ctx.db.run((tx) => read(tx, this.ctx.tenantId));
  }

  /** Reads, writes and audits (changed fields, before and after) in one transaction. */
  async update(input: WorkspaceSettingsValues): Promise<WorkspaceSettings> {
    if (!hasPermission(this.ctx.permissions, "workspace.settings")) {
      throw new AppError("FORBIDDEN", "errors.missingPermission", { permission: "workspace.settings" });
    }
    if (this.ctx.plan.readOnly) throw new AppError("FORBIDDEN", "errors.workspaceReadOnly");
    return this.ctx.db.run(async (tx) => {
      // two saves at once: the second sees the first's result as its "before"
      await tx.$queryRaw`SELECT 1 FROM "Tenant" WHERE "id" = ${this.ctx.tenantId}::uuid FOR UPDATE`;
      const before = await read(tx, this.ctx.tenantId);
      const after: WorkspaceSettings = {
        name: input.name,
        locale: input.locale,
        bakongAccountId: input.bakongAccountId,
        rentReminderDays: [...input.rentReminderDays].sort((x, y) => x - y),
      };
      const changed = (Object.keys(after) as (keyof WorkspaceSettings)[]).filter((k) =>
        k === "rentReminderDays" ? !sameDays(before.rentReminderDays, after.rentReminderDays) : before[k] !== after[k],
      );
      if (changed.length === 0) return before;
      await tx.tenant.update({ where: { id: this.ctx.tenantId }, data: after });
      await tenantAudit(this.ctx).log(tx, {
        action: "workspace.settings_updated",
        targetType: "Tenant",
        targetId: this.ctx.tenantId,
        metadata: {
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        },
      });
      return after;
    });
  }
}
