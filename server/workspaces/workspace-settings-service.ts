import "server-only";
import { AppError } from "@/server/core/errors";
import { hasPermission } from "@/lib/permissions";
import { isLocale, type Locale } from "@/lib/i18n";
import { tenantAudit, type AuditAction } from "@/server/audit/audit-logger";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
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

/** One group of settings a workspace keeps on its Tenant row, as `updateTenantSettings` saves it. */
export interface TenantSettingsSection<T extends object> {
  /** the group as it is now, inside the caller's transaction */
  read: (tx: DbTx, tenantId: string) => Promise<T>;
  /** the Tenant columns for a new value */
  toData: (value: T) => Prisma.TenantUpdateInput;
  /** the audit action of a save that changes something */
  action: AuditAction;
  /** whether a field is unchanged (default: ===) */
  same?: (key: keyof T, before: T, after: T) => boolean;
}

/**
 * The one settings-update path (workspace settings, payment instructions): members with
 * workspace.settings, never in a read-only workspace; the Tenant row locked (two saves at once: the
 * second sees the first's result as its "before"), read, written and audited with the changed
 * fields before and after, in one transaction. Nothing changed: nothing written, nothing audited.
 */
export async function updateTenantSettings<T extends object>(ctx: TenantContext, section: TenantSettingsSection<T>, after: T): Promise<T> {
  if (!hasPermission(ctx.permissions, "workspace.settings")) {
    throw new AppError("FORBIDDEN", "errors.missingPermission", { permission: "workspace.settings" });
  }
  if (ctx.plan.readOnly) throw new AppError("FORBIDDEN", "errors.workspaceReadOnly");
  const same = section.same ?? ((k: keyof T, b: T, a: T) => b[k] === a[k]);
  return ctx.db.run(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Tenant" WHERE "id" = ${ctx.tenantId}::uuid FOR UPDATE`;
    const before = await section.read(tx, ctx.tenantId);
    const changed = (Object.keys(after) as (keyof T)[]).filter((k) => !same(k, before, after));
    if (changed.length === 0) return before;
    await tx.tenant.update({ where: { id: ctx.tenantId }, data: section.toData(after) });
    await tenantAudit(ctx).log(tx, {
      action: section.action,
      targetType: "Tenant",
      targetId: ctx.tenantId,
      metadata: {
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      } as Prisma.InputJsonValue,
    });
    return after;
  });
}

const section: TenantSettingsSection<WorkspaceSettings> = {
  read,
  toData: (v) => v,
  action: "workspace.settings_updated",
  same: (k, before, after) =>
    k === "rentReminderDays" ? sameDays(before.rentReminderDays, after.rentReminderDays) : before[k] === after[k],
};

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
    return updateTenantSettings(this.ctx, section, {
      name: input.name,
      locale: input.locale,
      bakongAccountId: input.bakongAccountId,
      rentReminderDays: [...input.rentReminderDays].sort((x, y) => x - y),
    });
  }
}
