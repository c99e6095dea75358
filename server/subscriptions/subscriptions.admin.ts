import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { adminSubscriptionsSchema } from "@/lib/schemas/billing";
import { BillingConsoleService, type Page } from "./billing-console.admin";
import { asEnumValue, BILLING_INTERVAL_VALUES, SUBSCRIPTION_STATUS_VALUES } from "@/lib/enums";

// The console's list of every tenant's subscription.

export interface AdminSubscriptionRow {
  id: string;
  tenant: { id: string; slug: string; name: string };
  plan: { code: string; name: string };
  pendingPlan: { code: string; name: string; interval: "month" | "year" } | null;
  status: "trialing" | "active" | "past_due" | "suspended" | "canceled";
  interval: "month" | "year";
  currency: string;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  trialEndsAt: Date | null;
  pastDueAt: Date | null;
  graceEndsAt: Date | null;
  suspendedAt: Date | null;
  canceledAt: Date | null;
}

export class AdminSubscriptionService extends BillingConsoleService {
  async subscriptions(input: z.output<typeof adminSubscriptionsSchema>): Promise<Page<AdminSubscriptionRow>> {
    return platformDb.run(async (tx) => {
      const rows = await tx.subscription.findMany({
        where: {
          status: input.status,
          ...(input.search
            ? {
                tenant: {
                  OR: [
                    { slug: { contains: input.search, mode: "insensitive" } },
                    { name: { contains: input.search, mode: "insensitive" } },
                  ],
                },
              }
            : {}),
        },
        include: { tenant: { select: { id: true, slug: true, name: true } }, plan: { select: { code: true, name: true } } },
        // by default the periods that end soonest first: the ones an operator watches
        orderBy: [{ currentPeriodEnd: input.sort }, { id: input.sort }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, input.limit);
      const pendingIds = [...new Set(page.map((r) => r.pendingPlanId).filter((id): id is string => id !== null))];
      const pending = new Map(
        (pendingIds.length
          ? await tx.plan.findMany({ where: { id: { in: pendingIds } }, select: { id: true, code: true, name: true } })
          : []
        ).map((p) => [p.id, p]),
      );
      return {
        items: page.map((r) => {
          const p = r.pendingPlanId ? pending.get(r.pendingPlanId) : undefined;
          return {
            id: r.id,
            tenant: r.tenant,
            plan: r.plan,
            pendingPlan: p
              ? { code: p.code, name: p.name, interval: asEnumValue(BILLING_INTERVAL_VALUES, r.pendingInterval ?? r.interval) }
              : null,
            status: asEnumValue(SUBSCRIPTION_STATUS_VALUES, r.status),
            interval: asEnumValue(BILLING_INTERVAL_VALUES, r.interval),
            currency: r.currency,
            currentPeriodStart: r.currentPeriodStart,
            currentPeriodEnd: r.currentPeriodEnd,
            trialEndsAt: r.trialEndsAt,
            pastDueAt: r.pastDueAt,
            graceEndsAt: r.graceEndsAt,
            suspendedAt: r.suspendedAt,
            canceledAt: r.canceledAt,
          };
        }),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    });
  }
}
