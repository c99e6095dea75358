import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { logger } from "@/server/core/observability/logger";
import { dayIn } from "@/lib/dates";
import { configuredRateProvider, type RateProvider } from "./rate-provider";
import { MAX_KHR_PER_USD, MIN_KHR_PER_USD } from "./conversion";

// Daily: the provider's rate of each active workspace's local day, stored with the provider as
// source (docs/CURRENCY.md). Idempotent: a day the provider already gave is kept, a manual rate is
// never touched (it wins anyway). Off (nothing done) without a configured provider. One provider
// call and one set-based INSERT per local day (every workspace shares one or two days), not one
// transaction per workspace: a thousand workspaces cost a few statements.

export class RateFetchJob {
  constructor(
    private readonly provider: RateProvider | null = configuredRateProvider(),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async run(): Promise<{ provider: string | null; stored: number; failed: number }> {
    if (!this.provider) return { provider: null, stored: 0, failed: 0 };
    const provider = this.provider;
    const now = this.clock();
    // the time zones active workspaces keep, and so the local days they are on now
    const zones = await platformDb.run((tx) =>
      tx.tenant.groupBy({ by: ["timezone"], where: { status: "active" }, _count: { _all: true } }),
    );
    const days = new Map<string, { zones: string[]; workspaces: number }>();
    for (const z of zones) {
      const day = dayIn(now, z.timezone);
      const at = days.get(day) ?? { zones: [], workspaces: 0 };
      at.zones.push(z.timezone);
      at.workspaces += z._count._all;
      days.set(day, at);
    }
    let stored = 0;
    let failed = 0;
    for (const [day, { zones: inDay, workspaces }] of days) {
      let khrPerUsd: number | null;
      try {
        khrPerUsd = await provider.fetchRate(day);
      } catch (e) {
        logger.warn({ err: e, day, provider: provider.source }, "exchange rate provider failed");
        khrPerUsd = null;
      }
      if (khrPerUsd == null || !Number.isSafeInteger(khrPerUsd) || khrPerUsd < MIN_KHR_PER_USD || khrPerUsd > MAX_KHR_PER_USD) {
        failed += workspaces;
        continue;
      }
      const rate = khrPerUsd;
      stored += await platformDb.run(
        (tx) => tx.$executeRaw`
          INSERT INTO "ExchangeRate" (id, "tenantId", "effectiveDate", "khrPerUsd", source)
          SELECT uuidv7(), t.id, ${day}::date, ${rate}, ${provider.source}
          FROM "Tenant" t
          WHERE t.status = 'active' AND t.timezone = ANY(${inDay}::text[])
          ON CONFLICT ("tenantId", "effectiveDate", source) DO NOTHING`,
      );
    }
    return { provider: provider.source, stored, failed };
  }
}
