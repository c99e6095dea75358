import "server-only";
import { getEnv } from "@/env";
import type { ExchangeRateSource } from "@/lib/enums";
import { MAX_KHR_PER_USD, MIN_KHR_PER_USD } from "./conversion";

// A daily source of the riel-per-dollar rate behind one interface (docs/CURRENCY.md). The only one
// is the National Bank of Cambodia's official rate, read from NBC_RATE_URL (off when unset); tests
// point it at a local stub. A provider's rate is stored with its name as the source and never
// replaces a manual one (server/rates/rate-of-day.ts, storeProviderRate).

export interface RateProvider {
  readonly source: Exclude<ExchangeRateSource, "manual">;
  /** whole riel per US dollar for `day` ("YYYY-MM-DD"), or null when the provider has none */
  fetchRate(day: string): Promise<number | null>;
}

/** A rate the provider wrote as "4,100" / "4100" / 4100.0, or null when it is not a whole rate in range. */
export function parseRate(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value.replace(/[,\s]/g, "")) : NaN;
  return Number.isSafeInteger(n) && n >= MIN_KHR_PER_USD && n <= MAX_KHR_PER_USD ? n : null;
}

/**
 * The NBC's official rate. The page is fetched at `url` (`{date}` replaced by the day); a JSON
 * answer gives `khrPerUsd` (or `rate`), an HTML page its "Official Exchange Rate : 4,100 KHR / USD".
 */
export class NbcRateProvider implements RateProvider {
  readonly source = "nbc" as const;
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async fetchRate(day: string): Promise<number | null> {
    const res = await fetch(this.url.replace("{date}", encodeURIComponent(day)), { signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) return null;
    const text = await res.text();
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      if (json && typeof json === "object") return parseRate(json.khrPerUsd ?? json.rate);
    } catch {
      // not JSON: the NBC's page
    }
    const m = /Official\s+Exchange\s+Rate\s*:?\s*(?:<[^>]*>\s*)*([\d,]+)\s*(?:<[^>]*>\s*)*KHR/i.exec(text);
    return m ? parseRate(m[1]) : null;
  }
}

/** The configured provider, or null when none is (the daily job does nothing). */
export function configuredRateProvider(): RateProvider | null {
  const url = getEnv().NBC_RATE_URL;
  return url ? new NbcRateProvider(url) : null;
}
