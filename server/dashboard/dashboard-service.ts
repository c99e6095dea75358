import "server-only";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";
import type { TenantContext } from "@/server/core/tenant-context";
import { addDaysToDay, dayIn, lastPeriods } from "@/lib/dates";

// The workspace home figures. Every money figure is kept per currency (USD and KHR are never
// added together); months and "today" are the tenant's calendar, not the server's.

/** Contracts ending within this many days are listed as "ending soon" (the /contracts link uses the same number). */
export const ENDING_WITHIN_DAYS = 60;
/** Months in the billed-vs-collected chart, the current one included. */
export const CHART_MONTHS = 12;
const ENDING_LIST_SIZE = 5;
/** Invoices that count as billed: issued and not cancelled. */
const BILLED_STATUSES = ["issued", "partially_paid", "paid", "overdue"] as const;

export interface DashboardOccupancy {
  /** non-archived units */
  total: number;
  occupied: number;
  vacant: number;
  maintenance: number;
  /** occupied / total in percent, one decimal (0 when there are no units) */
  rate: number;
}

export interface DashboardRentDue {
  currency: string;
  /** invoices billed for this month's period */
  count: number;
  billed: number;
  /** still to be paid on those invoices */
  outstanding: number;
}

export interface DashboardCollected {
  currency: string;
  /** rent payments received this month (any period they paid for) */
  count: number;
  amount: number;
}

export interface DashboardOverdue {
  currency: string;
  count: number;
  /** what is still unpaid on the overdue invoices */
  amount: number;
}

export interface DashboardEnding {
  contractId: string;
  endDate: string;
  unitCode: string;
  propertyName: string;
  renterNameKm: string;
  renterNameLatin: string;
}

export interface DashboardMonth {
  period: string;
  billed: number;
  collected: number;
}

export interface DashboardSummary {
  timezone: string;
  /** YYYY-MM-DD in the tenant's timezone */
  today: string;
  /** YYYY-MM in the tenant's timezone */
  period: string;
  occupancy: DashboardOccupancy;
  rentDue: DashboardRentDue[];
  collected: DashboardCollected[];
  overdue: DashboardOverdue[];
  ending: { withinDays: number; count: number; items: DashboardEnding[] };
  /** one series per currency that has any figure in the window, each with CHART_MONTHS months, oldest first */
  chart: { currency: string; months: DashboardMonth[] }[];
}

const num = (v: number | string | bigint | null | undefined) => Number(v ?? 0);
const byCurrency = <T extends { currency: string }>(rows: T[]) => rows.sort((a, b) => a.currency.localeCompare(b.currency));

/** One row per figure group, as the summary statement returns them (json columns). */
interface SummaryRow {
  units: { status: string; n: number }[];
  billed: { period: string; currency: string; n: number; total: number; paid: number }[];
  overdue: { currency: string; n: number; total: number; paid: number }[];
  collected: { period: string; currency: string; n: number; amount: number }[];
  ending_count: number;
  ending: {
    id: string;
    endDate: string;
    unitCode: string;
    propertyName: string;
    renterNameKm: string;
    renterNameLatin: string;
  }[];
}

export class DashboardService {
  constructor(private readonly ctx: TenantContext) {}

  async summary(now: Date = new Date()): Promise<DashboardSummary> {
    const timezone = this.ctx.tenant.timezone;
    const today = dayIn(now, timezone);
    const period = today.slice(0, 7);
    const periods = lastPeriods(period, CHART_MONTHS);
    const endingBy = addDaysToDay(today, ENDING_WITHIN_DAYS);
    const tenantId = this.ctx.tenantId;

    const row = await this.ctx.db.run((tx) => summaryRow(tx, { tenantId, timezone, periods, today, endingBy }));

    const statusCount = (s: string) => row.units.find((u) => u.status === s)?.n ?? 0;
    const occupied = statusCount("occupied");
    const vacant = statusCount("vacant");
    const maintenance = statusCount("maintenance");
    const total = occupied + vacant + maintenance;

    const currencies = new Set<string>([...row.billed.map((r) => r.currency), ...row.collected.map((r) => r.currency)]);
    const chart = [...currencies].sort().map((currency) => ({
      currency,
      months: periods.map((p) => ({
        period: p,
        billed: num(row.billed.find((r) => r.period === p && r.currency === currency)?.total),
        collected: num(row.collected.find((r) => r.period === p && r.currency === currency)?.amount),
      })),
    }));

    return {
      timezone,
      today,
      period,
      occupancy: { total, occupied, vacant, maintenance, rate: total === 0 ? 0 : Math.round((occupied / total) * 1000) / 10 },
      rentDue: byCurrency(
        row.billed
          .filter((r) => r.period === period)
          .map((r) => ({
            currency: r.currency,
            count: num(r.n),
            billed: num(r.total),
            outstanding: Math.max(0, num(r.total) - num(r.paid)),
          })),
      ),
      collected: byCurrency(
        row.collected.filter((r) => r.period === period).map((r) => ({ currency: r.currency, count: num(r.n), amount: num(r.amount) })),
      ),
      overdue: byCurrency(
        row.overdue.map((r) => ({ currency: r.currency, count: num(r.n), amount: Math.max(0, num(r.total) - num(r.paid)) })),
      ),
      ending: {
        withinDays: ENDING_WITHIN_DAYS,
        count: num(row.ending_count),
        items: row.ending.map((c) => ({
          contractId: c.id,
          endDate: c.endDate,
          unitCode: c.unitCode,
          propertyName: c.propertyName,
          renterNameKm: c.renterNameKm,
          renterNameLatin: c.renterNameLatin,
        })),
      },
      chart,
    };
  }
}

/**
 * Every figure of the summary in ONE statement (one round trip), each part on an index range that
 * reads only its own rows, never the workspace's history (docs/RENTALS.md, "Dashboard"):
 *
 * - occupancy: the workspace's units, `Unit (tenantId, status)`;
 * - billed per month (the chart and this month's rent due): the chart's 12 periods only,
 *   `RentInvoice (tenantId, period, id)` or `(tenantId, status, period, id)`;
 * - overdue: only the overdue invoices, `RentInvoice (tenantId, status, dueDate)`;
 * - collected per month (the chart and this month's figure): only the paid rent payments since
 *   the chart's first month, `Payment (tenantId, purpose, status, paidAt, id)`;
 * - contracts ending soon: only the window's contracts, `Contract (tenantId, endDate)`.
 * (The indexes are the lists' keyset indexes, migration 20261206120714_list_keyset_indexes.)
 *
 * Filters compare columns with untyped parameters or plain literals (no casts on columns, no
 * functions on them): under row-level security only leakproof comparisons can be index conditions.
 * A month is the tenant's calendar: a payment's month is its instant read in the tenant's timezone.
 */
async function summaryRow(
  tx: DbTx,
  p: { tenantId: string; timezone: string; periods: string[]; today: string; endingBy: string },
): Promise<SummaryRow> {
  const from = Prisma.sql`(${`${p.periods[0]}-01`}::date::timestamp AT TIME ZONE ${p.timezone}::text AT TIME ZONE 'UTC')`;
  const [row] = await tx.$queryRaw<SummaryRow[]>`
    WITH units AS (
      SELECT status::text AS status, count(*)::int AS n
        FROM "Unit"
       WHERE "tenantId" = ${p.tenantId}::uuid AND "archivedAt" IS NULL
       GROUP BY status
    ), billed AS (
      SELECT period, currency, count(*)::int AS n, sum(total)::bigint AS total, sum("amountPaid")::bigint AS paid
        FROM "RentInvoice"
       WHERE "tenantId" = ${p.tenantId}::uuid
         AND period IN (${Prisma.join(p.periods)})
         AND status IN (${Prisma.join(BILLED_STATUSES)})
       GROUP BY period, currency
    ), overdue AS (
      SELECT currency, count(*)::int AS n, sum(total)::bigint AS total, sum("amountPaid")::bigint AS paid
        FROM "RentInvoice"
       WHERE "tenantId" = ${p.tenantId}::uuid AND status = ${"overdue"}
       GROUP BY currency
    ), collected AS (
      SELECT to_char(("paidAt" AT TIME ZONE 'UTC') AT TIME ZONE ${p.timezone}::text, 'YYYY-MM') AS period,
             currency, count(*)::int AS n, sum(amount)::bigint AS amount
        FROM "Payment"
       WHERE "tenantId" = ${p.tenantId}::uuid AND purpose = ${"rent"} AND status = ${"paid"} AND "paidAt" >= ${from}
       GROUP BY 1, 2
    ), ending AS (
      SELECT id, "unitId", "renterId", "endDate"
        FROM "Contract"
       WHERE "tenantId" = ${p.tenantId}::uuid AND status = ${"active"}
         AND "endDate" >= ${p.today}::date AND "endDate" <= ${p.endingBy}::date
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object('status', status, 'n', n)), '[]') FROM units) AS units,
      (SELECT coalesce(json_agg(json_build_object('period', period, 'currency', currency, 'n', n, 'total', total, 'paid', paid)), '[]')
         FROM billed) AS billed,
      (SELECT coalesce(json_agg(json_build_object('currency', currency, 'n', n, 'total', total, 'paid', paid)), '[]') FROM overdue) AS overdue,
      (SELECT coalesce(json_agg(json_build_object('period', period, 'currency', currency, 'n', n, 'amount', amount)), '[]')
         FROM collected) AS collected,
      (SELECT count(*)::int FROM ending) AS ending_count,
      (SELECT coalesce(json_agg(json_build_object(
                'id', e.id, 'endDate', to_char(e."endDate", 'YYYY-MM-DD'), 'unitCode', u.code, 'propertyName', pr.name,
                'renterNameKm', r."nameKm", 'renterNameLatin', r."nameLatin") ORDER BY e."endDate", e.id), '[]')
         FROM (SELECT * FROM ending ORDER BY "endDate", id LIMIT ${ENDING_LIST_SIZE}) e
         -- each of the five rows by its keys (LIMIT keeps the subqueries from being flattened into a join
         -- that could read every renter of the workspace)
         CROSS JOIN LATERAL (SELECT code, "propertyId" FROM "Unit" WHERE "tenantId" = ${p.tenantId}::uuid AND id = e."unitId" LIMIT 1) u
         CROSS JOIN LATERAL (SELECT name FROM "Property" WHERE "tenantId" = ${p.tenantId}::uuid AND id = u."propertyId" LIMIT 1) pr
         CROSS JOIN LATERAL (SELECT "nameKm", "nameLatin" FROM "Renter" WHERE "tenantId" = ${p.tenantId}::uuid AND id = e."renterId" LIMIT 1) r) AS ending`;
  return row!;
}
