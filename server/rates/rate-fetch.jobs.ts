import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { logger } from "@/server/core/observability/logger";
import { dayIn } from "@/lib/dates";
import { configuredRateProvider, type RateProvider } from "./rate-provider";
import { storeProviderRate } from "./exchange-rates";

// Daily: the provider's rate of each active workspace's local day, stored with the provider as
// source (docs/CURRENCY.md). Idempotent: a day the provider already gave is kept, a manual rate is
// never touched (it wins anyway). Off (nothing done) without a configured provider.

export class RateFetchJob {
  constructor(
    private readonly provider: RateProvider | null = configuredRateProvider(),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async run(): Promise<{ provider: string | null; stored: number; failed: number }> {
    if (!this.provider) return { provider: null, stored: 0, failed: 0 };
    const now = this.clock();
    const tenants = await platformDb.run((tx) => tx.tenant.findMany({ where: { status: "active" }, select: { id: true, timezone: true } }));
    const rates = new Map<string, number | null>();
    let stored = 0;
    let failed = 0;
    for (const t of tenants) {
      const day = dayIn(now, t.timezone);
      if (!rates.has(day)) {
        try {
          rates.set(day, await this.provider.fetchRate(day));
        } catch (e) {
          logger.warn({ err: e, day, provider: this.provider.source }, "exchange rate provider failed");
          rates.set(day, null);
        }
      }
      const khrPerUsd = rates.get(day);
      if (khrPerUsd == null) {
        failed++;
        continue;
      }
      const source = this.provider.source;
      if (await new TenantDb(t.id).run((tx) => storeProviderRate(tx, t.id, { day, khrPerUsd, source }))) stored++;
    }
    return { provider: this.provider.source, stored, failed };
  }
}
