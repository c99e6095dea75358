import "server-only";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";
import type { TenantContext } from "@/server/core/tenant-context";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import { afterCursor, decodeOptionalCursor, keysetOrder, pageOf, type KeysetSpec } from "@/server/core/keyset";
import { asEnumValue, EXCHANGE_RATE_SOURCE_VALUES, type ExchangeRateSource } from "@/lib/enums";
import { dateToDay, dayIn, dayToDate } from "@/lib/dates";
import { MAX_KHR_PER_USD, MIN_KHR_PER_USD, otherCurrency } from "./conversion";
import { equivalentAt, type InvoiceEquivalent } from "./equivalent";
import { rateOn, type DayRate } from "./rate-of-day";

export { rateOn, type DayRate };

// A workspace's history of riel per US dollar (docs/CURRENCY.md). Staff add a rate for a
// workspace-local day; an optional provider (server/rates/rate-provider.ts) adds its own daily row
// with its name as the source. "The rate of day D" is the latest row with effectiveDate <= D, a
// manual row winning over a provider's of the same day. No rate on or before D: no rate (the
// product never makes one up).

/**
 * Stores a provider's rate for `day` unless that day already has one from the same provider; a
 * manual rate of the day is never touched (it wins when read anyway). true when stored.
 */
export async function storeProviderRate(
  tx: DbTx,
  tenantId: string,
  args: { day: string; khrPerUsd: number; source: Exclude<ExchangeRateSource, "manual"> },
): Promise<boolean> {
  if (!Number.isSafeInteger(args.khrPerUsd) || args.khrPerUsd < MIN_KHR_PER_USD || args.khrPerUsd > MAX_KHR_PER_USD) return false;
  const rows = await tx.$executeRaw`
    INSERT INTO "ExchangeRate" (id, "tenantId", "effectiveDate", "khrPerUsd", source)
    VALUES (uuidv7(), ${tenantId}::uuid, ${args.day}::date, ${args.khrPerUsd}, ${args.source})
    ON CONFLICT ("tenantId", "effectiveDate", source) DO NOTHING`;
  return rows === 1;
}

export interface ExchangeRateRow {
  id: string;
  effectiveDate: string;
  khrPerUsd: number;
  source: ExchangeRateSource;
  createdAt: Date;
}

const SPEC: KeysetSpec = { tag: "rates:date:desc", kinds: ["date"], desc: true };

export class ExchangeRateService {
  constructor(private readonly ctx: TenantContext) {}

  /** Newest day first, by keyset on (tenantId, effectiveDate, id). */
  async list(input: { cursor?: string | null; limit: number }): Promise<{ rows: ExchangeRateRow[]; nextCursor: string | null }> {
    const cursor = decodeOptionalCursor(SPEC, input.cursor);
    const key = Prisma.sql`"effectiveDate"`;
    const id = Prisma.sql`id`;
    const rows = await this.ctx.db.run(
      (tx) =>
        tx.$queryRaw<{ id: string; effectiveDate: Date; khrPerUsd: number; source: string; createdAt: Date }[]>`
        SELECT id::text AS id, "effectiveDate", "khrPerUsd", source, "createdAt"
          FROM "ExchangeRate"
         WHERE "tenantId" = ${this.ctx.tenantId}::uuid ${cursor ? Prisma.sql`AND ${afterCursor(SPEC, [key], id, cursor)}` : Prisma.empty}
         ORDER BY ${keysetOrder(SPEC, [key], id)}
         LIMIT ${input.limit + 1}`,
    );
    const mapped = rows.map((r) => ({
      id: r.id,
      effectiveDate: dateToDay(r.effectiveDate),
      khrPerUsd: r.khrPerUsd,
      source: asEnumValue(EXCHANGE_RATE_SOURCE_VALUES, r.source),
      createdAt: r.createdAt,
    }));
    return pageOf(SPEC, mapped, input.limit, (r) => ({ keys: [r.effectiveDate], id: r.id }));
  }

  /**
   * An invoice's total in the other currency at the rate of its issue day, for the staff invoice
   * page: `equivalent` null with `day` when no rate is set ("no exchange rate set").
   */
  async invoiceEquivalent(invoiceId: string): Promise<{ day: string; equivalent: InvoiceEquivalent | null; applicable: boolean }> {
    return this.ctx.db.run(async (tx) => {
      const inv = await tx.rentInvoice.findUnique({ where: { id: invoiceId }, select: { total: true, currency: true, issuedAt: true } });
      if (!inv) throw new AppError("NOT_FOUND", "errors.notFound");
      const timeZone = this.ctx.tenant.timezone;
      const equivalent = await equivalentAt(tx, {
        tenantId: this.ctx.tenantId,
        amount: inv.total,
        currency: inv.currency,
        at: inv.issuedAt,
        timeZone,
      });
      return { day: dayIn(inv.issuedAt, timeZone), equivalent, applicable: otherCurrency(inv.currency) !== null };
    });
  }

  /** The rate of a workspace-local day, for the staff forms (null: "no exchange rate set"). */
  async rateOn(day: string): Promise<DayRate | null> {
    return this.ctx.db.run((tx) => rateOn(tx, this.ctx.tenantId, day));
  }

  /** Sets the manual rate of a day (a second manual rate for the same day replaces the first, audited). */
  async setManual(input: { effectiveDate: string; khrPerUsd: number }): Promise<ExchangeRateRow> {
    if (!Number.isSafeInteger(input.khrPerUsd) || input.khrPerUsd < MIN_KHR_PER_USD || input.khrPerUsd > MAX_KHR_PER_USD)
      throw new AppError("VALIDATION", "currency.errors.rateRange");
    return this.ctx.db.run(async (tx) => {
      const where = {
        tenantId_effectiveDate_source: { tenantId: this.ctx.tenantId, effectiveDate: dayToDate(input.effectiveDate), source: "manual" },
      };
      const before = await tx.exchangeRate.findUnique({ where, select: { khrPerUsd: true } });
      const row = await tx.exchangeRate.upsert({
        where,
        create: {
          tenantId: this.ctx.tenantId,
          effectiveDate: dayToDate(input.effectiveDate),
          khrPerUsd: input.khrPerUsd,
          source: "manual",
          createdById: this.ctx.userId,
        },
        update: { khrPerUsd: input.khrPerUsd, createdById: this.ctx.userId, createdAt: new Date() },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "workspace.exchange_rate_set",
        targetType: "ExchangeRate",
        targetId: row.id,
        metadata: { effectiveDate: input.effectiveDate, before: before?.khrPerUsd ?? null, after: input.khrPerUsd },
      });
      return {
        id: row.id,
        effectiveDate: input.effectiveDate,
        khrPerUsd: row.khrPerUsd,
        source: asEnumValue(EXCHANGE_RATE_SOURCE_VALUES, row.source),
        createdAt: row.createdAt,
      };
    });
  }
}
