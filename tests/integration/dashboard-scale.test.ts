// The dashboard at a landlord's scale (issue 13): a workspace with 24,000 rent invoices (200
// contracts × 120 months) and over 20,000 payments, written set-based as the superuser. Each
// statement the summary sends is EXPLAINed (ANALYZE) as the app role with row-level security on,
// and every scan node must read only the rows of its own figure (the chart's 12 months at most:
// about a tenth of the workspace), never the workspace's history; the figures must equal plain
// superuser aggregates over the same data. No timing is asserted (speed lives in bench/).
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { DashboardService, type DashboardSummary } from "@/server/dashboard/dashboard-service";
import { ownerContext } from "./support/world";
import { captureStatements, explainAsApp, scanReads, workStatements, type ScanRead } from "./support/sql-plans";

// 2026-03-31 18:30 UTC is 2026-04-01 01:30 in Phnom Penh: the tenant's month is April 2026.
const NOW = new Date("2026-03-31T18:30:00Z");
const TZ = "Asia/Phnom_Penh";
const CONTRACTS = 200;
const MONTHS = 120; // 2016-05 … 2026-04
const BILLED = ["issued", "partially_paid", "paid", "overdue"];

async function serviceFor(t: CreatedTenant): Promise<DashboardService> {
  return new DashboardService(await ownerContext(t));
}

/**
 * The SQL type of each status-like column: a PostgreSQL enum today, text with a CHECK constraint
 * once the enum conversion lands; the inserts cast to whichever it is.
 */
async function columnTypes(su: pg.Client): Promise<Record<string, string>> {
  const { rows } = await su.query<{ key: string; type: string }>(
    `SELECT c.relname || '.' || a.attname AS key, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname IN ('Property', 'Unit', 'Contract', 'RentInvoice', 'Payment')
        AND a.attname IN ('type', 'status', 'purpose', 'method') AND NOT a.attisdropped`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.type]));
}

/** Property, units, renters and contracts, then invoices per contract and month, then payments; all set-based. */
async function fill(su: pg.Client, tenantId: string, contracts: number, months: number): Promise<void> {
  const T = await columnTypes(su);
  await su.query(
    `INSERT INTO "Property" ("id", "tenantId", "name", "address", "type", "updatedAt")
     VALUES (uuidv7(), $1, 'Scale Building', 'Street 1, Phnom Penh', 'apartment_building'::${T["Property.type"]}, now())`,
    [tenantId],
  );
  // every 10th unit KHR; every 25th vacant, every 40th in maintenance, every 50th archived
  await su.query(
    `INSERT INTO "Unit" ("id", "tenantId", "propertyId", "code", "baseRent", "currency", "status", "archivedAt", "updatedAt")
     SELECT uuidv7(), $1, p.id, 'U' || lpad(u::text, 4, '0'),
            CASE WHEN u % 10 = 0 THEN 400000 ELSE 20000 + u * 10 END, CASE WHEN u % 10 = 0 THEN 'KHR' ELSE 'USD' END,
            (CASE WHEN u % 25 = 0 THEN 'vacant' WHEN u % 40 = 0 THEN 'maintenance' ELSE 'occupied' END)::${T["Unit.status"]},
            CASE WHEN u % 50 = 0 THEN now() END, now()
       FROM generate_series(1, $2::int) AS u, (SELECT id FROM "Property" WHERE "tenantId" = $1) p`,
    [tenantId, contracts],
  );
  await su.query(
    `INSERT INTO "Renter" ("id", "tenantId", "nameKm", "nameLatin", "phone", "updatedAt")
     SELECT uuidv7(), u."tenantId", 'អ្នកជួល ' || u.code, 'Renter ' || u.code, '+85512' || lpad(right(u.code, 4), 6, '0'), now()
       FROM "Unit" u WHERE u."tenantId" = $1`,
    [tenantId],
  );
  // one contract per unit, active since 10 years; every 20th ends within the next 60 days (day k),
  // every 20th + 1 later (after the window), the others open-ended; every 30th + 7 ended already
  await su.query(
    `WITH u AS (
       SELECT u.*, r.id AS "renterId", row_number() OVER (ORDER BY u.code) AS k
         FROM "Unit" u JOIN "Renter" r ON r."tenantId" = u."tenantId" AND r."nameLatin" = 'Renter ' || u.code
        WHERE u."tenantId" = $1
     )
     INSERT INTO "Contract" ("id", "tenantId", "unitId", "renterId", "status", "activeUnitId", "startDate", "endDate",
                             "rentAmount", "currency", "billingDay", "updatedAt")
     SELECT uuidv7(), "tenantId", id, "renterId", (CASE WHEN k % 30 = 7 THEN 'ended' ELSE 'active' END)::${T["Contract.status"]},
            CASE WHEN k % 30 = 7 THEN NULL ELSE id END, DATE '2016-01-01',
            CASE WHEN k % 20 = 0 THEN DATE '2026-04-01' + (k / 4)::int
                 WHEN k % 20 = 1 THEN DATE '2026-07-01' + (k / 10)::int
                 WHEN k % 30 = 7 THEN DATE '2026-04-20' END,
            "baseRent", currency, 1, now()
       FROM u`,
    [tenantId],
  );
  // invoices: this month 60 % paid / 15 % partially paid / 20 % issued / 5 % draft; last month
  // 80 % paid / 15 % overdue / 5 % void; older 95 % paid / 3 % void / 2 % overdue (bad debts)
  await su.query(
    `WITH src AS (
       SELECT c.id AS "contractId", c."tenantId", c."rentAmount", c.currency, m,
              (DATE '2026-04-01' - make_interval(months => m))::date AS first, ((hashtext(c.id::text || m) & 1023) / 1024.0) AS r
         FROM "Contract" c CROSS JOIN generate_series(0, $2::int - 1) AS m
        WHERE c."tenantId" = $1
     ), st AS (
       SELECT src.*, (CASE
         WHEN m = 0 THEN CASE WHEN r < 0.60 THEN 'paid' WHEN r < 0.75 THEN 'partially_paid' WHEN r < 0.95 THEN 'issued' ELSE 'draft' END
         WHEN m = 1 THEN CASE WHEN r < 0.80 THEN 'paid' WHEN r < 0.95 THEN 'overdue' ELSE 'void' END
         ELSE CASE WHEN r < 0.95 THEN 'paid' WHEN r < 0.98 THEN 'void' ELSE 'overdue' END END) AS status,
         "rentAmount" + (r * 3000)::int AS total, first + interval '2 hours' AS issued
       FROM src
     )
     INSERT INTO "RentInvoice" ("id", "tenantId", "contractId", "number", "period", "status", "currency", "total", "amountPaid",
                                "issuedAt", "dueDate", "paidAt", "overdueAt", "voidedAt", "createdAt", "updatedAt")
     SELECT uuidv7(), "tenantId", "contractId", 'S-' || lpad(row_number() OVER (ORDER BY first, "contractId")::text, 7, '0'),
            to_char(first, 'YYYY-MM'), status::${T["RentInvoice.status"]}, currency, total,
            CASE status WHEN 'paid' THEN total WHEN 'partially_paid' THEN total / 2 ELSE 0 END,
            issued, (first + 5)::date,
            CASE WHEN status = 'paid' THEN issued + interval '3 days' END,
            CASE WHEN status = 'overdue' THEN issued + interval '6 days' END,
            CASE WHEN status = 'void' THEN issued + interval '1 day' END, issued, issued
       FROM st`,
    [tenantId, months],
  );
  // payments: one paid payment per paid or partly paid invoice (this month's straddle the local
  // midnight: some are 31 March in UTC), plus an expired KHQR attempt for every 10th and a
  // refunded one for every 50th (neither is collected)
  await su.query(
    `WITH i AS (
       SELECT ri.*, row_number() OVER (ORDER BY ri.id) AS k FROM "RentInvoice" ri
        WHERE ri."tenantId" = $1 AND ri.status IN ('paid', 'partially_paid')
     )
     INSERT INTO "Payment" ("id", "tenantId", "purpose", "rentInvoiceId", "method", "status", "amount", "currency", "paidAt",
                            "expiresAt", "createdAt", "updatedAt")
     SELECT uuidv7(), "tenantId", 'rent', id, x.method::${T["Payment.method"]}, x.status::${T["Payment.status"]}, CASE WHEN x.status = 'paid' THEN "amountPaid" ELSE total END, currency,
            CASE WHEN x.status IN ('paid', 'refunded') THEN
              CASE WHEN period = '2026-04' AND k % 3 = 0 THEN TIMESTAMP '2026-03-31 16:30' ELSE "issuedAt" + interval '3 days' END END,
            CASE WHEN x.method = 'khqr' THEN "issuedAt" + interval '1 day' END, "issuedAt", "issuedAt"
       FROM i CROSS JOIN LATERAL (
         SELECT 'cash' AS method, 'paid' AS status
         UNION ALL SELECT 'khqr', 'expired' WHERE k % 10 = 0
         UNION ALL SELECT 'bank_transfer', 'refunded' WHERE k % 50 = 0
       ) x`,
    [tenantId],
  );
}

describe("dashboard summary at scale: index ranges under row-level security", () => {
  let big: CreatedTenant;
  let summary: DashboardSummary;
  let reads: { sql: string; scans: ScanRead[] }[] = [];
  let work = 0;
  let windowInvoices = 0;
  let su: pg.Client;

  beforeAll(async () => {
    big = await createTenant({ slug: uniqueSlug("dash-scale") });
    const small = await createTenant({ slug: uniqueSlug("dash-scale-b") });
    su = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
    await su.connect();
    await fill(su, big.tenantId, CONTRACTS, MONTHS);
    await fill(su, small.tenantId, 12, 24); // another workspace's rows are never counted
    await su.query(`ANALYZE "Unit", "Contract", "RentInvoice", "Payment"`);
    const { rows } = await su.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "RentInvoice" WHERE "tenantId" = $1 AND period >= '2025-05'`,
      [big.tenantId],
    );
    windowInvoices = rows[0]!.n;

    const service = await serviceFor(big);
    const captured = await captureStatements(() => service.summary(NOW));
    summary = captured.result;
    const statements = workStatements(captured.statements);
    work = statements.length;
    reads = [];
    for (const s of statements) reads.push({ sql: s.text, scans: scanReads(await explainAsApp(big.tenantId, s.text, s.values)) });
  }, 180_000);

  it("has the scale it claims", async () => {
    const { rows } = await su.query<{ invoices: number; payments: number }>(
      `SELECT (SELECT count(*)::int FROM "RentInvoice" WHERE "tenantId" = $1) AS invoices,
              (SELECT count(*)::int FROM "Payment" WHERE "tenantId" = $1) AS payments`,
      [big.tenantId],
    );
    expect(rows[0]!.invoices).toBe(CONTRACTS * MONTHS);
    expect(rows[0]!.payments).toBeGreaterThanOrEqual(20_000);
    expect(windowInvoices).toBe(CONTRACTS * 12);
  });

  it("sends one statement for every figure", () => {
    expect(work).toBe(1);
  });

  it("reads only the rows of its figures: no scan reads more than the chart's 12 months, no sequential scan of invoices or payments", () => {
    const scans = reads.flatMap((r) => r.scans);
    expect(scans.length).toBeGreaterThan(0);
    const report = scans.map((s) => `${s.node} ${s.relation ?? ""} ${s.index ?? ""}: ${s.read}`);
    for (const s of scans) {
      // (the test database's small tables, units and contracts of every test file, may be read whole)
      if (s.relation === "RentInvoice" || s.relation === "Payment") expect(s.node, report.join("\n")).not.toBe("Seq Scan");
      // a tenth of the workspace's 24,000 invoices; the overdue figure alone reads ~550 rows
      expect(s.read, report.join("\n")).toBeLessThanOrEqual(windowInvoices);
    }
    // invoices and payments are read through indexes whose prefix is the tenant and the figure's filter
    const heavy = scans.filter((scan) => scan.relation === "RentInvoice" || scan.relation === "Payment");
    expect(heavy.length).toBeGreaterThanOrEqual(3);
  });

  it("gives the same figures as plain aggregates over the same rows", async () => {
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await su.query<T>(sql, [big.tenantId])).rows;
    const units = await q<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM "Unit" WHERE "tenantId" = $1 AND "archivedAt" IS NULL GROUP BY 1`,
    );
    const n = (s: string) => units.find((u) => u.status === s)?.n ?? 0;
    const total = n("occupied") + n("vacant") + n("maintenance");
    expect(summary.occupancy).toEqual({
      total,
      occupied: n("occupied"),
      vacant: n("vacant"),
      maintenance: n("maintenance"),
      rate: Math.round((n("occupied") / total) * 1000) / 10,
    });

    const billedIn = BILLED.map((s) => `'${s}'`).join(", ");
    const due = await q<{ currency: string; count: number; billed: number; outstanding: number }>(
      `SELECT currency, count(*)::int AS count, sum(total)::int AS billed, greatest(0, sum(total) - sum("amountPaid"))::int AS outstanding
         FROM "RentInvoice" WHERE "tenantId" = $1 AND period = '2026-04' AND status::text IN (${billedIn}) GROUP BY 1 ORDER BY 1`,
    );
    expect(due.length).toBe(2);
    expect(summary.rentDue).toEqual(due);

    const overdue = await q<{ currency: string; count: number; amount: number }>(
      `SELECT currency, count(*)::int AS count, greatest(0, sum(total) - sum("amountPaid"))::int AS amount
         FROM "RentInvoice" WHERE "tenantId" = $1 AND status::text = 'overdue' GROUP BY 1 ORDER BY 1`,
    );
    expect(overdue.length).toBe(2);
    expect(summary.overdue).toEqual(overdue);

    const local = `to_char(("paidAt" AT TIME ZONE 'UTC') AT TIME ZONE '${TZ}', 'YYYY-MM')`;
    const collected = await q<{ period: string; currency: string; count: number; amount: number }>(
      `SELECT ${local} AS period, currency, count(*)::int AS count, sum(amount)::int AS amount
         FROM "Payment" WHERE "tenantId" = $1 AND purpose::text = 'rent' AND status::text = 'paid' AND "paidAt" IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const thisMonth = collected.filter((c) => c.period === "2026-04").map(({ currency, count, amount }) => ({ currency, count, amount }));
    expect(thisMonth.length).toBe(2);
    expect(summary.collected).toEqual(thisMonth);

    const billed = await q<{ period: string; currency: string; total: number }>(
      `SELECT period, currency, sum(total)::int AS total FROM "RentInvoice"
        WHERE "tenantId" = $1 AND period >= '2025-05' AND status::text IN (${billedIn}) GROUP BY 1, 2`,
    );
    expect(summary.chart.map((s) => s.currency)).toEqual(["KHR", "USD"]);
    for (const series of summary.chart) {
      expect(series.months).toHaveLength(12);
      for (const m of series.months) {
        expect(m.billed).toBe(billed.find((b) => b.period === m.period && b.currency === series.currency)?.total ?? 0);
        expect(m.collected).toBe(collected.find((c) => c.period === m.period && c.currency === series.currency)?.amount ?? 0);
      }
    }

    const ending = await q<{ id: string; endDate: string }>(
      `SELECT id, to_char("endDate", 'YYYY-MM-DD') AS "endDate" FROM "Contract"
        WHERE "tenantId" = $1 AND status::text = 'active' AND "endDate" BETWEEN DATE '2026-04-01' AND DATE '2026-05-31'
        ORDER BY "endDate", id`,
    );
    expect(ending.length).toBeGreaterThan(5);
    expect(summary.ending.count).toBe(ending.length);
    expect(summary.ending.items.map((i) => ({ id: i.contractId, endDate: i.endDate }))).toEqual(ending.slice(0, 5));
    expect(summary.ending.items[0]).toMatchObject({
      propertyName: "Scale Building",
      renterNameLatin: expect.stringMatching(/^Renter U\d{4}$/),
    });
  });
});
