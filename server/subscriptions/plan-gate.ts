import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import { PLAN_FEATURES, PLAN_LIMITS, parsePlanLimits, type PlanFeature, type PlanLimit, type PlanLimits } from "@/lib/billing/plans";
import type { TenantContext } from "@/server/core/tenant-context";
import { countMessagesThisMonth } from "@/server/notifications/usage";

export type PlanUsage = Record<PlanLimit, number>;

/**
 * How much of each limit a tenant uses, counted in its own (RLS-scoped) transaction.
 */
const COUNTERS: Record<PlanLimit, (tx: DbTx, now: Date, tenant: { id: string; timezone: string }) => Promise<number>> = {
  members: async (tx, now) => {
    const [members, invites] = await Promise.all([
      tx.membership.count({ where: { status: "active" } }),
      tx.invitation.count({ where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
    ]);
    return members + invites;
  },
  storageMb: async (tx) => {
    const sum = await tx.file.aggregate({ _sum: { sizeBytes: true } });
    return Math.ceil((sum._sum.sizeBytes ?? 0) / (1024 * 1024));
  },
  // archived properties and units free their slot (their history stays)
  properties: (tx) => tx.property.count({ where: { archivedAt: null } }),
  units: (tx) => tx.unit.count({ where: { archivedAt: null } }),
  // the same count the message sender enforces
  messagesPerMonth: (tx, now, tenant) => countMessagesThisMonth(tx, tenant, now),
};

/**
 * The one plan/feature gate. Services call it before creating limited things; the UI gets the
 * same answers from `billing.overview` (usage bars, disabled actions, upgrade offers).
 */
export class PlanGate {
  constructor(
    private readonly ctx: TenantContext,
    private readonly now: () => Date = () => new Date(),
  ) {}

  can(feature: PlanFeature): boolean {
    return this.ctx.plan.features.has(feature);
  }

  async assertFeature(tx: DbTx, feature: PlanFeature): Promise<void> {
    if (this.can(feature)) return;
    const lifting = await this.cheapestPlan(tx, (p) => p.features.includes(feature));
    throw new AppError("FORBIDDEN", "billing.errors.featureNotInPlan", {
      feature,
      plan: this.ctx.plan.name,
      upgradeTo: lifting ?? "—",
    });
  }

  limits(): PlanLimits {
    return this.ctx.plan.limits;
  }

  async usage(tx: DbTx): Promise<PlanUsage> {
    const now = this.now();
    const entries = await Promise.all(PLAN_LIMITS.map(async (k) => [k, await COUNTERS[k](tx, now, this.ctx.tenant)] as const));
    return Object.fromEntries(entries) as PlanUsage;
  }

  /** Refuses to go over a limit by `adding` (1 member, n MB …). */
  async assertWithinLimit(tx: DbTx, limit: PlanLimit, adding = 1): Promise<void> {
    const max = this.ctx.plan.limits[limit];
    if (max === null) return;
    const used = await COUNTERS[limit](tx, this.now(), this.ctx.tenant);
    if (used + adding <= max) return;
    await this.refuse(tx, limit, max, used, adding);
  }

  /** Storage by the byte (the storageMb counter rounds up): refuses an upload that would pass the plan's MB. */
  async assertStorageFor(tx: DbTx, addingBytes: number): Promise<void> {
    const max = this.ctx.plan.limits.storageMb;
    if (max === null) return;
    const sum = await tx.file.aggregate({ _sum: { sizeBytes: true } });
    const usedBytes = sum._sum.sizeBytes ?? 0;
    if (usedBytes + addingBytes <= max * 1024 * 1024) return;
    await this.refuse(tx, "storageMb", max, Math.ceil(usedBytes / (1024 * 1024)), addingBytes / (1024 * 1024));
  }

  private async refuse(tx: DbTx, limit: PlanLimit, max: number, used: number, adding: number): Promise<never> {
    const lifting = await this.cheapestPlan(tx, (p) => {
      const l = parsePlanLimits(p.limits)[limit];
      return l === null || l >= used + adding;
    });
    throw new AppError("LIMIT_EXCEEDED", lifting ? "billing.errors.limitExceeded" : "billing.errors.limitExceededTop", {
      limit,
      max,
      used,
      plan: this.ctx.plan.name,
      upgradeTo: lifting ?? "—",
    });
  }

  /**
   * What the UI needs to disable actions and offer an upgrade: features, limits, usage, and for
   * every feature missing or limit reached, the cheapest plan that lifts it.
   */
  async entitlements(tx: DbTx) {
    const usage = await this.usage(tx);
    const limits = this.ctx.plan.limits;
    const upgradeFor: Partial<Record<PlanFeature | PlanLimit, string | null>> = {};
    for (const feature of PLAN_FEATURES) {
      if (!this.can(feature)) upgradeFor[feature] = await this.cheapestPlan(tx, (p) => p.features.includes(feature));
    }
    for (const limit of PLAN_LIMITS) {
      const max = limits[limit];
      if (max !== null && usage[limit] >= max) {
        upgradeFor[limit] = await this.cheapestPlan(tx, (p) => {
          const l = parsePlanLimits(p.limits)[limit];
          return l === null || l > usage[limit];
        });
      }
    }
    return {
      plan: { code: this.ctx.plan.code, name: this.ctx.plan.name },
      status: this.ctx.plan.status,
      readOnly: this.ctx.plan.readOnly,
      features: PLAN_FEATURES.filter((f) => this.can(f)),
      limits,
      usage,
      upgradeFor,
    };
  }

  private async cheapestPlan(tx: DbTx, fits: (p: { features: string[]; limits: unknown }) => boolean): Promise<string | null> {
    const plans = await tx.plan.findMany({ where: { isPublic: true, tier: { gt: this.ctx.plan.tier } }, orderBy: { tier: "asc" } });
    return plans.find(fits)?.name ?? null;
  }
}

/** Usage compared with a plan's limits: what must be reduced before a downgrade. */
export function overLimits(usage: PlanUsage, limits: PlanLimits): Array<{ limit: PlanLimit; used: number; max: number }> {
  return PLAN_LIMITS.flatMap((limit) => {
    const max = limits[limit];
    return max !== null && usage[limit] > max ? [{ limit, used: usage[limit], max }] : [];
  });
}
