import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { asEnumValue, EXCHANGE_RATE_SOURCE_VALUES, type ExchangeRateSource } from "@/lib/enums";

// "The rate of day D" (docs/CURRENCY.md): the latest ExchangeRate row with effectiveDate <= D, a
// manual row winning over a provider's of the same day. None on or before D: null.

export interface DayRate {
  /** whole riel per US dollar */
  khrPerUsd: number;
  /** the workspace-local day the rate applies from ("YYYY-MM-DD") */
  effectiveDate: string;
  source: ExchangeRateSource;
}

/** The rate of workspace-local day `day` ("YYYY-MM-DD"), or null when none is set on or before it. */
export async function rateOn(tx: DbTx, tenantId: string, day: string): Promise<DayRate | null> {
  const [row] = await tx.$queryRaw<{ khrPerUsd: number; effectiveDate: string; source: string }[]>`
    SELECT "khrPerUsd", to_char("effectiveDate", 'YYYY-MM-DD') AS "effectiveDate", source
      FROM "ExchangeRate"
     WHERE "tenantId" = ${tenantId}::uuid AND "effectiveDate" <= ${day}::date
     ORDER BY "effectiveDate" DESC, (source = 'manual') DESC, "createdAt" DESC
     LIMIT 1`;
  return row
    ? { khrPerUsd: row.khrPerUsd, effectiveDate: row.effectiveDate, source: asEnumValue(EXCHANGE_RATE_SOURCE_VALUES, row.source) }
    : null;
}
