import "server-only";
import { AppError } from "@/server/core/errors";
import { hasPermission } from "@/lib/permissions";
import type { TenantContext } from "@/server/core/tenant-context";
import { ONBOARDING_STEPS, type OnboardingChecklist, type OnboardingStep } from "@/lib/onboarding";

interface ChecklistRow {
  dismissed: boolean;
  units: boolean;
  renters: boolean;
  contracts: boolean;
  bakong: boolean;
  readings: boolean;
  invoices: boolean;
}

/**
 * The dashboard's first-run checklist: each step ticks itself off from the workspace's own rows.
 * One statement, each step an EXISTS that stops at the first row of the workspace's index range
 * (`tenantId` leads every one of these tables' indexes), never a count of the workspace's history.
 */
export class OnboardingChecklistService {
  constructor(private readonly ctx: TenantContext) {}

  async get(): Promise<OnboardingChecklist> {
    const tenantId = this.ctx.tenantId;
    const [row] = await this.ctx.db.run(
      (tx) => tx.$queryRaw<ChecklistRow[]>`
        SELECT t."onboardingDismissedAt" IS NOT NULL AS dismissed,
               EXISTS (SELECT 1 FROM "Unit" WHERE "tenantId" = ${tenantId}::uuid AND "archivedAt" IS NULL) AS units,
               EXISTS (SELECT 1 FROM "Renter" WHERE "tenantId" = ${tenantId}::uuid) AS renters,
               EXISTS (SELECT 1 FROM "Contract" WHERE "tenantId" = ${tenantId}::uuid) AS contracts,
               (t."bakongAccountId" IS NOT NULL AND t."bakongAccountId" <> '') AS bakong,
               EXISTS (SELECT 1 FROM "MeterReading" WHERE "tenantId" = ${tenantId}::uuid) AS readings,
               EXISTS (SELECT 1 FROM "RentInvoice" WHERE "tenantId" = ${tenantId}::uuid) AS invoices
          FROM "Tenant" t
         WHERE t.id = ${tenantId}::uuid`,
    );
    const steps: OnboardingStep[] = ONBOARDING_STEPS.map((s) => ({ ...s, done: row ? row[s.key] : false }));
    const allDone = steps.every((s) => s.done);
    return { steps, allDone, dismissed: row?.dismissed ?? false };
  }

  /** The owner (or whoever may change the workspace's settings) hides the checklist for everyone. */
  async dismiss(now: Date = new Date()): Promise<{ dismissed: true }> {
    if (!hasPermission(this.ctx.permissions, "workspace.settings")) {
      throw new AppError("FORBIDDEN", "errors.missingPermission", { permission: "workspace.settings" });
    }
    await this.ctx.db.run((tx) =>
      tx.tenant.update({ where: { id: this.ctx.tenantId }, data: { onboardingDismissedAt: now }, select: { id: true } }),
    );
    return { dismissed: true };
  }
}

/** Whether KHQR rent has an account to go to (the contract form and the invoice run ask for one when not). */
export async function hasBakongAccount(ctx: TenantContext): Promise<boolean> {
  const row = await ctx.db.run((tx) => tx.tenant.findUnique({ where: { id: ctx.tenantId }, select: { bakongAccountId: true } }));
  return Boolean(row?.bakongAccountId);
}
