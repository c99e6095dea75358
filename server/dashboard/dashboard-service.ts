import "server-only";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";
import type { TenantContext } from "@/server/core/tenant-context";
import { addDaysToDay, dateToDay, dayIn, dayToDate, lastPeriods } from "@/lib/dates";

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

const num = (v: number | bigint | null | undefined) => Number(v ?? 0);
const byCurrency = <T extends { currency: string }>(rows: T[]) => rows.sort((a, b) => a.currency.localeCompare(b.currency));

export class DashboardService {
  constructor(private readonly ctx: TenantContext) {}

  async summary(now: Date = new Date()): Promise<DashboardSummary> {
    const timezone = this.ctx.tenant.timezone;
    const today = dayIn(now, timezone);
    const period = today.slice(0, 7);
    const periods = lastPeriods(period, CHART_MONTHS);
    const windowStartDay = `${periods[0]}-01`;
    const endingBy = addDaysToDay(today, ENDING_WITHIN_DAYS);
    const tenantId = this.ctx.tenantId;

    return this.ctx.db.run(async (tx) => {
      const [units, due, overdue, billedByMonth, collectedByMonth, endingCount, endingRows] = await Promise.all([
        tx.unit.groupBy({ by: ["status"], where: { archivedAt: null }, _count: { _all: true } }),
        tx.rentInvoice.groupBy({
          by: ["currency"],
          where: { period, status: { in: [...BILLED_STATUSES] } },
          _count: { _all: true },
          _sum: { total: true, amountPaid: true },
        }),
        tx.rentInvoice.groupBy({
          by: ["currency"],
          where: { status: "overdue" },
          _count: { _all: true },
          _sum: { total: true, amountPaid: true },
        }),
        tx.rentInvoice.groupBy({
          by: ["period", "currency"],
          where: { period: { in: periods }, status: { in: [...BILLED_STATUSES] } },
          _sum: { total: true },
        }),
        collectedPerMonth(tx, tenantId, timezone, windowStartDay),
        tx.contract.count({ where: endingWhere(today, endingBy) }),
        tx.contract.findMany({
          where: endingWhere(today, endingBy),
          orderBy: [{ endDate: "asc" }, { id: "asc" }],
          take: ENDING_LIST_SIZE,
          select: {
            id: true,
            endDate: true,
            unit: { select: { code: true, property: { select: { name: true } } } },
            renter: { select: { nameKm: true, nameLatin: true } },
          },
        }),
      ]);

      const statusCount = (s: string) => units.find((u) => u.status === s)?._count._all ?? 0;
      const occupied = statusCount("occupied");
      const vacant = statusCount("vacant");
      const maintenance = statusCount("maintenance");
      const total = occupied + vacant + maintenance;

      const currencies = new Set<string>([...billedByMonth.map((r) => r.currency), ...collectedByMonth.map((r) => r.currency)]);
      const chart = [...currencies].sort().map((currency) => ({
        currency,
        months: periods.map((p) => ({
          period: p,
          billed: num(billedByMonth.find((r) => r.period === p && r.currency === currency)?._sum.total),
          collected: num(collectedByMonth.find((r) => r.period === p && r.currency === currency)?.amount),
        })),
      }));

      return {
        timezone,
        today,
        period,
        occupancy: { total, occupied, vacant, maintenance, rate: total === 0 ? 0 : Math.round((occupied / total) * 1000) / 10 },
        rentDue: byCurrency(
          due.map((r) => ({
            currency: r.currency,
            count: r._count._all,
            billed: num(r._sum.total),
            outstanding: Math.max(0, num(r._sum.total) - num(r._sum.amountPaid)),
          })),
        ),
        collected: byCurrency(
          collectedByMonth
            .filter((r) => r.period === period)
            .map((r) => ({ currency: r.currency, count: num(r.count), amount: num(r.amount) })),
        ),
        overdue: byCurrency(
          overdue.map((r) => ({
            currency: r.currency,
            count: r._count._all,
            amount: Math.max(0, num(r._sum.total) - num(r._sum.amountPaid)),
          })),
        ),
        ending: {
          withinDays: ENDING_WITHIN_DAYS,
          count: endingCount,
          items: endingRows.map((c) => ({
            contractId: c.id,
            endDate: dateToDay(c.endDate!),
            unitCode: c.unit.code,
            propertyName: c.unit.property.name,
            renterNameKm: c.renter.nameKm,
            renterNameLatin: c.renter.nameLatin,
          })),
        },
        chart,
      };
    });
  }
}

function endingWhere(today: string, endingBy: string) {
  return { status: "active" as const, endDate: { gte: dayToDate(today), lte: dayToDate(endingBy) } };
}

/**
 * Paid rent payments per month of the tenant's calendar since `fromDay` (a month's first day).
 * SQL because the month is the payment instant read in the tenant's timezone.
 */
async function collectedPerMonth(
  tx: DbTx,
  tenantId: string,
  timezone: string,
  fromDay: string,
): Promise<{ period: string; currency: string; amount: bigint; count: bigint }[]> {
  const from = Prisma.sql`(${fromDay}::date::timestamp AT TIME ZONE ${timezone}::text AT TIME ZONE 'UTC')`;
  return tx.$queryRaw<{ period: string; currency: string; amount: bigint; count: bigint }[]>`
    SELECT to_char(("paidAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timezone}::text, 'YYYY-MM') AS period,
           currency,
           SUM(amount)::bigint AS amount,
           COUNT(*)::bigint AS count
      FROM "Payment"
     WHERE "tenantId" = ${tenantId}::uuid
       AND purpose = 'rent'
       AND status = 'paid'
       AND "paidAt" >= ${from}
     GROUP BY 1, 2`;
}
