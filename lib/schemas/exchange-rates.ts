// A workspace's exchange rates (/settings → Exchange rates; docs/CURRENCY.md): whole riel per US
// dollar from a workspace-local day on. Shared by the settings form and the exchangeRates router.
import { z } from "zod";

/** Also a CHECK constraint (ExchangeRate_rate_check) and server/rates/conversion.ts. */
export const KHR_PER_USD_RANGE = { min: 1000, max: 100_000 } as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string) => DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

export const setExchangeRateSchema = z.object({
  effectiveDate: z.string().refine(isDay, { message: "errors.invalidInput" }),
  khrPerUsd: z.coerce
    .number({ message: "currency.errors.rateRange" })
    .int({ message: "currency.errors.rateRange" })
    .min(KHR_PER_USD_RANGE.min, { message: "currency.errors.rateRange" })
    .max(KHR_PER_USD_RANGE.max, { message: "currency.errors.rateRange" }),
});

export const listExchangeRatesSchema = z.object({
  cursor: z.string().max(1024).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});
