import "server-only";
import { lockRow } from "@/server/core/locks";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { Plan } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { isPlanFeature, parsePlanLimits, type PlanFeature, type PlanLimits } from "@/lib/billing/plans";
import type { updatePlanSchema } from "@/lib/schemas/billing";
import { BillingConsoleService } from "./billing-console.admin";

// The console's plan catalog: prices, limits, features, trial and grace days.

export interface AdminPlanRow {
  id: string;
  code: string;
  name: string;
  tier: number;
  priceMonthlyUsd: number;
  priceYearlyUsd: number;
  priceMonthlyKhr: number;
  priceYearlyKhr: number;
  trialDays: number;
  graceDays: number;
  isPublic: boolean;
  features: PlanFeature[];
  limits: PlanLimits;
  subscriptions: number;
  updatedAt: Date;
}

function planRow(p: Plan & { _count: { subscriptions: number } }): AdminPlanRow {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    tier: p.tier,
    priceMonthlyUsd: p.priceMonthlyUsd,
    priceYearlyUsd: p.priceYearlyUsd,
    priceMonthlyKhr: p.priceMonthlyKhr,
    priceYearlyKhr: p.priceYearlyKhr,
    trialDays: p.trialDays,
    graceDays: p.graceDays,
    isPublic: p.isPublic,
    features: p.features.filter(isPlanFeature),
    limits: parsePlanLimits(p.limits),
    subscriptions: p._count.subscriptions,
    updatedAt: p.updatedAt,
  };
}

/** What an admin can edit on a plan, for before/after audit rows and "no change" checks. */
function editable(p: Pick<Plan, keyof Omit<z.output<typeof updatePlanSchema>, "planId">>) {
  return {
    name: p.name,
    priceMonthlyUsd: p.priceMonthlyUsd,
    priceYearlyUsd: p.priceYearlyUsd,
    priceMonthlyKhr: p.priceMonthlyKhr,
    priceYearlyKhr: p.priceYearlyKhr,
    trialDays: p.trialDays,
    graceDays: p.graceDays,
    isPublic: p.isPublic,
    features: [...p.features].sort(),
    limits: parsePlanLimits(p.limits),
  };
}

export class AdminPlanService extends BillingConsoleService {
  async plans(): Promise<AdminPlanRow[]> {
    const rows = await platformDb.run((tx) =>
      tx.plan.findMany({ orderBy: [{ tier: "asc" }, { code: "asc" }], include: { _count: { select: { subscriptions: true } } } }),
    );
    return rows.map(planRow);
  }

  /**
   * Edits a plan. Invoices already issued keep their amounts (they copied them when issued);
   * new invoices, renewals included, use the new prices.
   */
  async updatePlan(input: z.output<typeof updatePlanSchema>): Promise<AdminPlanRow> {
    return platformDb.run(async (tx) => {
      await lockRow(tx, "Plan", input.planId);
      const plan = await tx.plan.findUnique({ where: { id: input.planId } });
      if (!plan) throw new AppError("NOT_FOUND", "errors.notFound");
      const { planId: _planId, ...fields } = input;
      const before = editable(plan);
      const after = editable({ ...fields, features: [...new Set(fields.features)], limits: fields.limits });
      if (JSON.stringify(before) === JSON.stringify(after)) throw new AppError("INVALID_STATE", "errors.noChange");
      const updated = await tx.plan.update({
        where: { id: plan.id },
        data: { ...fields, features: after.features, limits: after.limits },
        include: { _count: { select: { subscriptions: true } } },
      });
      await new AuditLogger(this.meta).log(tx, null, {
        action: "admin.plan.updated",
        actorUserId: this.admin.userId,
        actorEmail: this.admin.email,
        targetType: "plan",
        targetId: plan.id,
        metadata: { code: plan.code, before, after },
      });
      return planRow(updated);
    });
  }
}
