// The invoices list and the payments list on indexes (issue 13), proved with plans, not timings:
// a workspace with 20,800 rent invoices and ~13,000 payments (set-based inserts as the superuser,
// skewed like a real landlord's: mostly paid, a few void/overdue, 1 in 7 in riel, sort keys full of
// ties), then for every filter × sort the service offers and for deep cursors, the exact statement
// the service sends (captured from node-postgres) is run with EXPLAIN (ANALYZE, FORMAT JSON) as the
// app role with row-level security on, and the rows each scan node reads must stay near a page.
// Then correctness: walking every page with the keyset cursor returns every row exactly once, in
// the order a plain ORDER BY gives (as the superuser), ties and never-paid payments included.
// The bounds per filter are explained in docs/ARCHITECTURE.md ("Lists: keyset pages on indexes").
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTenant, type CreatedTenant } from "@/server/testing/factories";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import type { TenantContext } from "@/server/core/tenant-context";
import { RentInvoiceService, invoiceKeyset } from "@/server/rent-invoices/rent-invoice-service";
import { RentPaymentService, paymentKeyset } from "@/server/payments/rent-payment-service";
import { encodeCursor } from "@/server/core/keyset";
import { listRentInvoicesSchema, RENT_INVOICE_SORTS, type ListRentInvoicesInput } from "@/lib/schemas/rent-invoices";
import { listRentPaymentsSchema, type ListRentPaymentsInput } from "@/lib/schemas/rent-payments";
import { captureStatements, explainAsApp, scanReads, workStatements, type ScanRead } from "./support/sql-plans";
import { expectTRPCError, hostOf, ownerContext, signedIn } from "./support/world";
import { ownDatabaseForThisFile } from "./support/own-database";

const CONTRACTS = 160; // 4 properties × 40 units, one contract each
const MONTHS = 130; // 20,800 invoices
const PAGE = 25;
/** "about a page": what one scan node may read for a page of PAGE rows (the LIMIT is PAGE + 1) */
const PAGE_BUDGET = 3 * (PAGE + 1);

let su: pg.Client;
let t: CreatedTenant;
let other: CreatedTenant;
let ctx: TenantContext;
let invoices: RentInvoiceService;
let payments: RentPaymentService;
let propertyIds: string[] = [];
let someContract = "";
let someRenterName = "";
let enumColumns = false;

// a database of its own: only this file's rows in the tables, and statistics taken after its fill (ANALYZE)
ownDatabaseForThisFile("plans_invoices");
// dozens of EXPLAIN ANALYZE per test on a loaded machine: more than the integration default
vi.setConfig({ testTimeout: 90_000 });

/**
 * The rental data of one workspace, set-based and deterministic: no random(); every INSERT … SELECT has
 * an ORDER BY, so the ids (uuidv7: monotonic within the session, evaluated after the sort) follow a fixed
 * order, and the skews hash the invoice number (itself numbered in that order), never a generated id.
 * Which rows a filter keeps, and where they fall in each sort order, is then the same on every run.
 * Status/method columns get plain literals (they work for enum and text columns alike).
 */
async function fill(tenantId: string, contracts: number, months: number): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => su.query(sql, [tenantId, ...params]);
  await q(`INSERT INTO "Property" ("id", "tenantId", "name", "address", "type", "updatedAt")
           SELECT uuidv7(), $1, 'Building ' || p, 'Street ' || p, 'apartment_building', now() FROM generate_series(1, 4) AS p`);
  await q(
    `INSERT INTO "Unit" ("id", "tenantId", "propertyId", "code", "baseRent", "currency", "status", "updatedAt")
     SELECT uuidv7(), $1, p.id, 'U' || lpad(u::text, 4, '0'), CASE WHEN u % 7 = 0 THEN 400000 ELSE 10000 + (u % 5) * 1000 END,
            CASE WHEN u % 7 = 0 THEN 'KHR' ELSE 'USD' END, 'occupied', now()
     FROM generate_series(1, $2::int) AS u
     JOIN LATERAL (SELECT id FROM "Property" WHERE "tenantId" = $1 AND name = 'Building ' || (1 + (u - 1) % 4)) p ON true
     ORDER BY u`,
    [contracts],
  );
  await q(`INSERT INTO "Renter" ("id", "tenantId", "nameKm", "nameLatin", "phone", "updatedAt")
           SELECT uuidv7(), u."tenantId", 'អ្នកជួល ' || u.code, 'Renter ' || u.code, '+85512' || lpad(substr(u.code, 2), 6, '0'), now()
           FROM "Unit" u WHERE u."tenantId" = $1 ORDER BY u.code`);
  await q(`INSERT INTO "Contract" ("id", "tenantId", "unitId", "renterId", "status", "activeUnitId", "startDate", "rentAmount", "currency",
                                   "depositAmount", "billingDay", "dueDays", "lateFeeType", "lateFeeValue", "activatedAt", "updatedAt")
           SELECT uuidv7(), u."tenantId", u.id, r.id, 'active', u.id, '2015-01-01', u."baseRent", u.currency, 0, 1, 5, 'none', 0, '2015-01-01', now()
           FROM "Unit" u JOIN "Renter" r ON r."tenantId" = u."tenantId" AND r."nameLatin" = 'Renter ' || u.code WHERE u."tenantId" = $1
           ORDER BY u.code`);
  // one invoice per contract and month, all paid first; every contract is billed on the 1st at the
  // same hour (ties on dueDate, period and issuedAt per month) and totals repeat (ties on total)
  await q(
    `INSERT INTO "RentInvoice" ("id", "tenantId", "contractId", "propertyId", "number", "period", "status", "currency", "total", "amountPaid",
                                "issuedAt", "dueDate", "paidAt", "createdAt", "updatedAt")
     SELECT uuidv7(), c."tenantId", c.id, u."propertyId",
            'R-' || extract(year FROM f.first)::int || '-' || lpad(row_number() OVER (PARTITION BY extract(year FROM f.first) ORDER BY f.first, c.id)::text, 6, '0'),
            to_char(f.first, 'YYYY-MM'), 'paid', c.currency, c."rentAmount", c."rentAmount",
            f.first + interval '2 hours', (f.first + interval '5 days')::date, f.first + interval '3 days', f.first, f.first
     FROM "Contract" c
     JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
     CROSS JOIN generate_series(1, $2::int) AS m
     CROSS JOIN LATERAL (SELECT (date '2026-01-01' - make_interval(months => m))::timestamp AS first) f
     WHERE c."tenantId" = $1
     ORDER BY f.first, c.id`,
    [months],
  );
  // skew: 2.5 % void, 1.5 % overdue, the last month 20 % issued (no money)
  await q(`UPDATE "RentInvoice" SET status = 'void', "amountPaid" = 0, "paidAt" = NULL, "voidedAt" = "issuedAt"
           WHERE "tenantId" = $1 AND abs(hashtext(number)) % 1000 < 25`);
  await q(`UPDATE "RentInvoice" SET status = 'overdue', "amountPaid" = 0, "paidAt" = NULL, "overdueAt" = "issuedAt" + interval '6 days'
           WHERE "tenantId" = $1 AND status = 'paid' AND abs(hashtext(number)) % 1000 >= 985`);
  await q(`UPDATE "RentInvoice" SET status = 'issued', "amountPaid" = 0, "paidAt" = NULL
           WHERE "tenantId" = $1 AND period = '2025-12' AND abs(hashtext(number)) % 5 = 0`);
  // payments: ~62 % of the paid invoices, paid at the invoice's paidAt (ties: a whole month's payments share
  // one instant); 62 % KHQR, 28 % cash, 10 % bank transfer, each method inserted with its literal
  const payment = (method: string, from: number, to: number, status: string, paidAt: string) =>
    q(`INSERT INTO "Payment" ("id", "tenantId", "purpose", "rentInvoiceId", "propertyId", "method", "status", "amount", "currency", "reference",
                              "paidAt", "createdAt", "updatedAt")
       SELECT uuidv7(), i."tenantId", 'rent', i.id, i."propertyId", '${method}', '${status}', i."amountPaid", i.currency,
              CASE WHEN '${method}' <> 'khqr' THEN 'REF-' || upper(right(i.id::text, 12)) END, ${paidAt}, i."issuedAt" + interval '1 day', now()
       FROM "RentInvoice" i
       WHERE i."tenantId" = $1 AND i.status = 'paid' AND abs(hashtext(i.number || 'p')) % 100 >= ${from} AND abs(hashtext(i.number || 'p')) % 100 < ${to}
       ORDER BY i.id`);
  await payment("khqr", 0, 38, "paid", `i."paidAt"`);
  await payment("cash", 38, 55, "paid", `i."paidAt"`);
  await payment("bank_transfer", 55, 61, "paid", `i."paidAt"`);
  // never-paid payments (no paidAt): expired KHQR attempts, a few pending and failed ones
  await payment("khqr", 61, 64, "expired", "NULL");
  await payment("khqr", 64, 65, "pending", "NULL");
  await payment("khqr", 65, 66, "failed", "NULL");
  // refunded cash payments keep their paidAt
  await payment("cash", 66, 67, "refunded", `i."paidAt"`);
}

let seen: ScanRead[] = [];

/** The statement of the page (the one that selects from the list's table with a LIMIT), captured while the call runs. */
async function plannedReads(table: "RentInvoice" | "Payment", call: () => Promise<unknown>): Promise<ScanRead[]> {
  const { statements } = await captureStatements(call);
  const main = workStatements(statements).filter(
    (s) => /^\s*SELECT/i.test(s.text) && new RegExp(`FROM "(public"\\.")?${table}"`).test(s.text) && /\b(LIMIT|OFFSET)\b/.test(s.text),
  );
  expect(main, "one page query").toHaveLength(1);
  const reads = scanReads(await explainAsApp(t.tenantId, main[0]!.text, main[0]!.values));
  seen = reads;
  return reads;
}

/**
 * Every scan of the big tables (invoices, payments, and index scans without a relation: bitmap index
 * scans) in the page query reads at most `budget` rows, and none of them is sequential. The joins of
 * the page's rows to the small tables (contract, renter, unit, property) are the planner's choice.
 */
function expectBounded(reads: ScanRead[], budget: number, what: string) {
  for (const r of reads) {
    if (r.relation !== undefined && r.relation !== "RentInvoice" && r.relation !== "Payment") continue;
    // a bitmap index scan names no relation: one on a small table's index (Unit_…, Contract_…) is such a join
    if (r.relation === undefined && /^"?(Unit|Contract|Renter|Property)_/.test(r.index ?? "")) continue;
    if (r.node === "Subquery Scan") continue;
    expect(r.node, `${what}: ${JSON.stringify(seen)}`).not.toBe("Seq Scan");
    expect(
      r.read,
      `${what}: ${r.node} on ${r.relation} (${r.index ?? "-"}) read ${r.read} rows; plan ${JSON.stringify(seen)}`,
    ).toBeLessThanOrEqual(budget);
  }
}

/** The slack over the measured walk: a scan may read a few rows past the page (a tie group's boundary, a recheck). */
const WALK_SLACK = 1.5;

/**
 * The budget of a filter that is not in the sort index (currency, property, method): the planner walks
 * the list's sort index and drops the rows the filter rejects until the page (PAGE + 1 rows) is full.
 * How many rows that walk reads is measured on the data generated, not assumed from a nominal share:
 * it is the position, in the list's own order over the whole list (`base`, ORDER BY `orderBy`), of the
 * (PAGE + 1)-th row the filter keeps. The ties matter: a month's 160 invoices share one issuedAt, so a
 * 1-in-7 filter needs part of a second month, more than 26 × 7 rows. The budget is that count × WALK_SLACK;
 * it is checked to stay under a tenth of the list, so a plan that scans the workspace (20,800 invoices,
 * ~8,000 paid payments) or reads every row the filter keeps and sorts them (thousands) still fails, and a
 * Seq Scan fails in any case.
 */
async function walkBudget(
  table: "RentInvoice" | "Payment",
  base: string,
  orderBy: string,
  filter: string,
  params: unknown[] = [],
): Promise<number> {
  const { rows } = await su.query(
    `WITH o AS (SELECT (${filter}) AS hit, row_number() OVER (ORDER BY ${orderBy}) AS rn FROM "${table}" x WHERE x."tenantId" = $1 AND ${base}),
          h AS (SELECT rn, row_number() OVER (ORDER BY rn) AS hn FROM o WHERE hit)
     SELECT (SELECT rn FROM h WHERE hn = ${PAGE + 1})::int AS walked, (SELECT count(*) FROM o)::int AS total`,
    [t.tenantId, ...params],
  );
  const { walked, total } = rows[0] as { walked: number | null; total: number };
  expect(walked, `the filter keeps fewer than a page (${filter})`).not.toBeNull();
  const budget = Math.ceil(WALK_SLACK * Math.max(walked!, PAGE + 1));
  expect(budget, `the walk budget of ${filter} (${orderBy}) must stay far below the list (${total})`).toBeLessThan(total / 10);
  return budget;
}

const invoiceList = (input: ListRentInvoicesInput) => invoices.list(listRentInvoicesSchema.parse(input));
const paymentList = (input: ListRentPaymentsInput) => payments.list(listRentPaymentsSchema.parse(input));

const INVOICE_COLUMNS: Record<(typeof RENT_INVOICE_SORTS)[number], string> = {
  issuedAt: `"issuedAt"`,
  dueDate: `"dueDate"`,
  number: "number",
  total: "total",
  period: "period",
};

/** The invoice `offset` rows deep in the plain ORDER BY (superuser), as a cursor of the list. */
async function invoiceCursorAt(sort: (typeof RENT_INVOICE_SORTS)[number], desc: boolean, offset: number, where = "TRUE"): Promise<string> {
  const col = INVOICE_COLUMNS[sort];
  const dir = desc ? "DESC" : "ASC";
  const { rows } = await su.query(
    `SELECT id::text AS id, ${col} AS k FROM "RentInvoice" WHERE "tenantId" = $1 AND ${where} ORDER BY ${col} ${dir}, id ${dir} OFFSET $2 LIMIT 1`,
    [t.tenantId, offset],
  );
  const r = rows[0] as { id: string; k: Date | string | number };
  return encodeCursor(invoiceKeyset({ id: sort, desc }), [r.k], r.id);
}

beforeAll(async () => {
  su = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await su.connect();
  t = await createTenant({});
  other = await createTenant({});
  const { rows: types } = await su.query(
    `SELECT data_type FROM information_schema.columns WHERE table_name = 'RentInvoice' AND column_name = 'status'`,
  );
  enumColumns = types[0]?.data_type === "USER-DEFINED";
  await fill(t.tenantId, CONTRACTS, MONTHS);
  await fill(other.tenantId, 20, 30);
  // a sample of 300,000 rows (statistics target 1000): ANALYZE reads every row of these tables, so the
  // statistics, and the plans, are the same on every run
  await su.query(`SET default_statistics_target = 1000; ANALYZE`);
  const { rows: props } = await su.query(`SELECT id::text AS id FROM "Property" WHERE "tenantId" = $1 ORDER BY name`, [t.tenantId]);
  propertyIds = props.map((p: { id: string }) => p.id);
  const { rows: c } = await su.query(
    `SELECT c.id::text AS id, r."nameLatin" FROM "Contract" c JOIN "Renter" r ON r.id = c."renterId" WHERE c."tenantId" = $1 ORDER BY r."nameLatin" LIMIT 1 OFFSET 77`,
    [t.tenantId],
  );
  someContract = c[0].id;
  someRenterName = c[0].nameLatin;
  ctx = await ownerContext(t);
  invoices = new RentInvoiceService(ctx);
  payments = new RentPaymentService(ctx);
}, 180_000);

afterAll(async () => {
  await su?.end();
});

describe("the data set", () => {
  it("is a real landlord's size, skewed", async () => {
    const { rows } = await su.query(
      `SELECT (SELECT count(*)::int FROM "RentInvoice" WHERE "tenantId" = $1) AS inv,
              (SELECT count(*)::int FROM "Payment" WHERE "tenantId" = $1) AS pay,
              (SELECT count(*)::int FROM "Payment" WHERE "tenantId" = $1 AND "paidAt" IS NULL) AS unpaid,
              (SELECT count(*)::int FROM "RentInvoice" WHERE "tenantId" = $1 AND status = 'overdue') AS overdue`,
      [t.tenantId],
    );
    expect(rows[0].inv).toBe(CONTRACTS * MONTHS);
    expect(rows[0].pay).toBeGreaterThanOrEqual(10_000);
    expect(rows[0].unpaid).toBeGreaterThan(500);
    expect(rows[0].overdue).toBeLessThan(rows[0].inv / 50);
  });
});

describe("the property copied onto invoices and payments", () => {
  it("agrees with the contract's unit on every invoice and with the invoice on every payment", async () => {
    const { rows } = await su.query(
      `SELECT (SELECT count(*)::int FROM "RentInvoice" i JOIN "Contract" c ON c.id = i."contractId" JOIN "Unit" u ON u.id = c."unitId"
               WHERE i."propertyId" IS DISTINCT FROM u."propertyId") AS invoices,
              (SELECT count(*)::int FROM "Payment" p LEFT JOIN "RentInvoice" i ON i.id = p."rentInvoiceId"
               WHERE p."propertyId" IS DISTINCT FROM i."propertyId") AS payments`,
    );
    expect(rows[0]).toEqual({ invoices: 0, payments: 0 });
  });

  it("is filled under row-level security when an insert leaves it out, and one that disagrees is refused", async () => {
    const { rows } = await su.query(
      `SELECT c.id::text AS contract, u."propertyId"::text AS property,
              (SELECT p.id::text FROM "Property" p WHERE p."tenantId" = c."tenantId" AND p.id <> u."propertyId" ORDER BY p.id LIMIT 1) AS elsewhere
       FROM "Contract" c JOIN "Unit" u ON u.id = c."unitId" WHERE c."tenantId" = $1 ORDER BY c.id LIMIT 1`,
      [other.tenantId],
    );
    const { contract, property, elsewhere } = rows[0] as { contract: string; property: string; elsewhere: string };
    const insertInvoice = (tx: DbTx, propertyId: string | null) => tx.$queryRaw<{ id: string; propertyId: string }[]>`
      INSERT INTO "RentInvoice" ("id", "tenantId", "contractId", "propertyId", "number", "period", "status", "currency", "total", "dueDate", "updatedAt")
      VALUES (uuidv7(), ${other.tenantId}::uuid, ${contract}::uuid, ${propertyId}::uuid, 'R-2099-000001', '2099-01', 'issued', 'USD', 100,
              '2099-01-05', now())
      RETURNING id::text AS id, "propertyId"::text AS "propertyId"`;
    const db = new TenantDb(other.tenantId);
    const rollback = new Error("rollback: nothing of this test stays");
    await expect(
      db.run(async (tx) => {
        const [invoice] = await insertInvoice(tx, null);
        expect(invoice!.propertyId).toBe(property);
        const [payment] = await tx.$queryRaw<{ propertyId: string }[]>`
          INSERT INTO "Payment" ("id", "tenantId", "purpose", "rentInvoiceId", "method", "status", "amount", "currency", "updatedAt")
          VALUES (uuidv7(), ${other.tenantId}::uuid, 'rent', ${invoice!.id}::uuid, 'cash', 'pending', 100, 'USD', now())
          RETURNING "propertyId"::text AS "propertyId"`;
        expect(payment!.propertyId).toBe(property);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    await expect(db.run((tx) => insertInvoice(tx, elsewhere))).rejects.toThrow(/is not the property/);
    // checked once per statement (20261206172500): an update that moves invoices to another property is refused too
    await expect(
      db.run(
        (tx) =>
          tx.$executeRaw`UPDATE "RentInvoice" SET "propertyId" = ${elsewhere}::uuid WHERE "tenantId" = ${other.tenantId}::uuid AND "contractId" = ${contract}::uuid`,
      ),
    ).rejects.toThrow(/is not the property/);
  });
});

describe("invoices list: the page query reads about a page", () => {
  for (const sort of RENT_INVOICE_SORTS) {
    for (const desc of [true, false]) {
      it(`by ${sort} ${desc ? "desc" : "asc"}: first page and a cursor 60 % deep`, async () => {
        expectBounded(await plannedReads("RentInvoice", () => invoiceList({ sort: { id: sort, desc } })), PAGE_BUDGET, "first page");
        const cursor = await invoiceCursorAt(sort, desc, Math.floor(CONTRACTS * MONTHS * 0.6));
        expectBounded(await plannedReads("RentInvoice", () => invoiceList({ sort: { id: sort, desc }, cursor })), PAGE_BUDGET, "deep page");
      });
    }
  }

  // needs the status columns as text (enum_eq is not leakproof: under RLS an enum filter is never an index condition)
  for (const sort of RENT_INVOICE_SORTS) {
    it(`status = overdue (1.5 %) and status = paid by ${sort}, also deep`, async () => {
      for (const status of ["overdue", "paid"] as const) {
        expectBounded(
          await plannedReads("RentInvoice", () => invoiceList({ status, sort: { id: sort, desc: true } })),
          PAGE_BUDGET,
          status,
        );
      }
      const cursor = await invoiceCursorAt(sort, true, 9_000, `status = 'paid'`);
      expectBounded(
        await plannedReads("RentInvoice", () => invoiceList({ status: "paid", sort: { id: sort, desc: true }, cursor })),
        PAGE_BUDGET,
        "paid, deep",
      );
    });
  }

  it("the dependency of the status assertions: status columns are text (not PostgreSQL enums)", () => {
    expect(enumColumns, "the enum → text migration has not landed").toBe(false);
  });

  it("a period reads at most that month's invoices (one per contract), whatever the sort", async () => {
    for (const sort of RENT_INVOICE_SORTS) {
      expectBounded(
        await plannedReads("RentInvoice", () => invoiceList({ period: "2019-06", sort: { id: sort, desc: true } })),
        CONTRACTS,
        sort,
      );
    }
    expectBounded(
      await plannedReads("RentInvoice", () => invoiceList({ period: "2019-06", sort: { id: "period", desc: false } })),
      PAGE_BUDGET,
      "period",
    );
  });

  it("a contract reads at most its own invoices; a search by renter or by number reads only the matched contracts' invoices", async () => {
    for (const sort of RENT_INVOICE_SORTS) {
      expectBounded(
        await plannedReads("RentInvoice", () => invoiceList({ contractId: someContract, sort: { id: sort, desc: true } })),
        MONTHS + 10,
        sort,
      );
      expectBounded(
        await plannedReads("RentInvoice", () => invoiceList({ search: someRenterName.toLowerCase(), sort: { id: sort, desc: true } })),
        MONTHS + 10,
        sort,
      );
    }
    const { rows } = await su.query(`SELECT number FROM "RentInvoice" WHERE "tenantId" = $1 ORDER BY number LIMIT 1 OFFSET 4321`, [
      t.tenantId,
    ]);
    const byNumber = await invoiceList({ search: rows[0].number.toLowerCase() });
    expect(byNumber.items.map((i) => i.number)).toEqual([rows[0].number]);
    expectBounded(await plannedReads("RentInvoice", () => invoiceList({ search: rows[0].number })), PAGE_BUDGET, "number");
  });

  it("the currency (1 in 7 in riel) filters the sort index: a bounded multiple of a page", async () => {
    for (const sort of RENT_INVOICE_SORTS) {
      // the walk of the sort index, newest first, until 26 rows in riel (22 of a month's 160) are kept
      const order = `x.${INVOICE_COLUMNS[sort]} DESC, x.id DESC`;
      expectBounded(
        await plannedReads("RentInvoice", () => invoiceList({ currency: "KHR", sort: { id: sort, desc: true } })),
        await walkBudget("RentInvoice", "TRUE", order, `x.currency = 'KHR'`),
        `KHR ${sort}`,
      );
    }
  });

  it("a property (1 in 4): the invoice's own propertyId on (tenantId, propertyId, <sort>, id), a page at any depth", async () => {
    for (const sort of RENT_INVOICE_SORTS) {
      for (const desc of [true, false]) {
        const input = { propertyId: propertyIds[2], sort: { id: sort, desc } };
        expectBounded(await plannedReads("RentInvoice", () => invoiceList(input)), PAGE_BUDGET, `property ${sort} first page`);
        const cursor = await invoiceCursorAt(sort, desc, 3_000, `"propertyId" = '${propertyIds[2]}'::uuid`);
        expectBounded(await plannedReads("RentInvoice", () => invoiceList({ ...input, cursor })), PAGE_BUDGET, `property ${sort} deep`);
      }
    }
  });
});

describe("payments list: the page query reads about a page", () => {
  const sorts = [
    { id: "paidAt", desc: true },
    { id: "paidAt", desc: false },
    { id: "amount", desc: true },
    { id: "amount", desc: false },
  ] as const;

  for (const sort of sorts) {
    it(`paid, by ${sort.id} ${sort.desc ? "desc" : "asc"}: first page, page 2 and a page 60 % deep`, async () => {
      expectBounded(await plannedReads("Payment", () => paymentList({ sort })), PAGE_BUDGET, "first page");
      const first = await paymentList({ sort });
      expect(first.nextCursor).not.toBeNull();
      expectBounded(await plannedReads("Payment", () => paymentList({ sort, cursor: first.nextCursor! })), PAGE_BUDGET, "page 2");
      const col = sort.id === "amount" ? "amount" : `"paidAt"`;
      const dir = sort.desc ? "DESC" : "ASC";
      const { rows } = await su.query(
        `SELECT id::text AS id, ${col} AS k FROM "Payment" WHERE "tenantId" = $1 AND purpose = 'rent' AND status = 'paid'
         ORDER BY ${col} ${dir}, id ${dir} OFFSET 7000 LIMIT 1`,
        [t.tenantId],
      );
      const cursor = encodeCursor(paymentKeyset(listRentPaymentsSchema.parse({ sort })), [rows[0].k], rows[0].id);
      expectBounded(await plannedReads("Payment", () => paymentList({ sort, cursor })), PAGE_BUDGET, "deep page");
    });
  }

  it("every status (never-paid ones by their created date), a method, and a period or days, on index ranges", async () => {
    for (const status of ["expired", "pending", "failed", "refunded"] as const) {
      for (const sort of sorts)
        expectBounded(await plannedReads("Payment", () => paymentList({ status, sort })), PAGE_BUDGET, `${status} ${sort.id}`);
    }
    for (const method of ["bank_transfer", "cash", "khqr"] as const) {
      expectBounded(await plannedReads("Payment", () => paymentList({ method })), PAGE_BUDGET, method);
      expectBounded(await plannedReads("Payment", () => paymentList({ method, sort: { id: "paidAt", desc: false } })), PAGE_BUDGET, method);
    }
    expectBounded(await plannedReads("Payment", () => paymentList({ period: "2020-03" })), PAGE_BUDGET, "period");
    expectBounded(
      await plannedReads("Payment", () => paymentList({ from: "2019-01-01", to: "2019-12-31", sort: { id: "paidAt", desc: false } })),
      PAGE_BUDGET,
      "days",
    );
  });

  it("amount within a period reads at most that month's payments; a search reads only its matches", async () => {
    expectBounded(
      await plannedReads("Payment", () => paymentList({ period: "2020-03", sort: { id: "amount", desc: true } })),
      CONTRACTS,
      "amount in a period",
    );
    expectBounded(await plannedReads("Payment", () => paymentList({ search: someRenterName })), MONTHS + 10, "renter");
    const { rows } = await su.query(
      `SELECT reference FROM "Payment" WHERE "tenantId" = $1 AND reference IS NOT NULL ORDER BY id LIMIT 1 OFFSET 900`,
      [t.tenantId],
    );
    const found = await paymentList({ search: rows[0].reference.toLowerCase() });
    expect(found.items.map((p) => p.reference)).toEqual([rows[0].reference]);
    expectBounded(await plannedReads("Payment", () => paymentList({ search: rows[0].reference })), PAGE_BUDGET, "reference");
  });

  it("a bank transfer (10 %) by amount filters the sort index: a bounded multiple of a page", async () => {
    // the walk of the paid payments' amount index (resp. paid-date index, the default sort) until 26 are kept
    const paid = `x.purpose = 'rent' AND x.status = 'paid'`;
    expectBounded(
      await plannedReads("Payment", () => paymentList({ method: "bank_transfer", sort: { id: "amount", desc: true } })),
      await walkBudget("Payment", paid, `x.amount DESC, x.id DESC`, `x.method = 'bank_transfer'`),
      "bank by amount",
    );
  });

  it("a property (1 in 4): the payment's own propertyId on (tenantId, propertyId, status, <key>, id), a page at any depth", async () => {
    for (const sort of sorts) {
      const input = { propertyId: propertyIds[1], sort };
      expectBounded(await plannedReads("Payment", () => paymentList(input)), PAGE_BUDGET, `property ${sort.id} first page`);
      const col = sort.id === "amount" ? "amount" : `"paidAt"`;
      const dir = sort.desc ? "DESC" : "ASC";
      const { rows } = await su.query(
        `SELECT id::text AS id, ${col} AS k FROM "Payment" WHERE "tenantId" = $1 AND "propertyId" = $2 AND purpose = 'rent' AND status = 'paid'
         ORDER BY ${col} ${dir}, id ${dir} OFFSET 1500 LIMIT 1`,
        [t.tenantId, propertyIds[1]],
      );
      const cursor = encodeCursor(paymentKeyset(listRentPaymentsSchema.parse(input)), [rows[0].k], rows[0].id);
      expectBounded(await plannedReads("Payment", () => paymentList({ ...input, cursor })), PAGE_BUDGET, `property ${sort.id} deep`);
    }
    // a never-paid status (by created date) and a period within the property
    expectBounded(
      await plannedReads("Payment", () => paymentList({ propertyId: propertyIds[1], status: "expired" })),
      PAGE_BUDGET,
      "expired",
    );
    expectBounded(
      await plannedReads("Payment", () => paymentList({ propertyId: propertyIds[1], period: "2020-03" })),
      PAGE_BUDGET,
      "period",
    );
  });

  it("totals come with the first page only; for a period they read that month's payments on an index", async () => {
    const { statements } = await captureStatements(() => paymentList({ period: "2020-03" }));
    const totals = workStatements(statements).filter((s) => /GROUP BY/.test(s.text));
    expect(totals).toHaveLength(1);
    const reads = scanReads(await explainAsApp(t.tenantId, totals[0]!.text, totals[0]!.values));
    for (const r of reads) {
      expect(r.node).not.toBe("Seq Scan");
      expect(r.read).toBeLessThanOrEqual(CONTRACTS);
    }
    expect((await paymentList({ period: "2020-03" })).totalsSince).toBeNull();

    // no period and no first day: the 12 months up to `to` (or today), an index range, never the whole history
    const windowed = await captureStatements(() => paymentList({ to: "2020-06-30" }));
    expect(windowed.result.totalsSince).toBe("2019-07-01");
    const wt = workStatements(windowed.statements).filter((s) => /GROUP BY/.test(s.text));
    expect(wt).toHaveLength(1);
    for (const r of scanReads(await explainAsApp(t.tenantId, wt[0]!.text, wt[0]!.values))) {
      expect(r.node).not.toBe("Seq Scan");
      expect(r.read).toBeLessThanOrEqual(12 * CONTRACTS);
    }
    const { rows } = await su.query(
      `SELECT currency, count(*)::int AS count, sum(amount)::int AS amount FROM "Payment"
       WHERE "tenantId" = $1 AND purpose = 'rent' AND status = 'paid' AND "paidAt" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "paidAt" < ($3::timestamptz AT TIME ZONE 'UTC')
       GROUP BY currency ORDER BY currency`,
      [t.tenantId, "2019-07-01T00:00:00+07:00", "2020-07-01T00:00:00+07:00"],
    );
    expect(rows.length).toBe(2);
    expect(windowed.result.totals).toEqual(rows);

    const first = await paymentList({});
    const { statements: next } = await captureStatements(() => paymentList({ cursor: first.nextCursor! }));
    expect(workStatements(next).filter((s) => /GROUP BY/.test(s.text))).toHaveLength(0);
  });
});

/** Walks every page and returns the ids in order. */
async function walk<T extends { id: string }>(
  page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = await page(cursor);
    ids.push(...p.items.map((i) => i.id));
    if (!p.nextCursor) return ids;
    cursor = p.nextCursor;
  }
  throw new Error("walk: too many pages");
}

async function ordered(sql: string, params: unknown[]): Promise<string[]> {
  const { rows } = await su.query(sql, params);
  return rows.map((r: { id: string }) => r.id);
}

describe("walking every page returns every row once, in order", () => {
  it("invoices by due date (160 ties per day), newest first, all 20,800", { timeout: 120_000 }, async () => {
    const ids = await walk((cursor) => invoiceList({ sort: { id: "dueDate", desc: true }, limit: 100, cursor }));
    expect(ids).toEqual(
      await ordered(`SELECT id::text AS id FROM "RentInvoice" WHERE "tenantId" = $1 ORDER BY "dueDate" DESC, id DESC`, [t.tenantId]),
    );
  });

  it("invoices of every sort and direction within a property in riel", { timeout: 120_000 }, async () => {
    const { rows } = await su.query(
      `SELECT DISTINCT u."propertyId"::text AS id FROM "Unit" u WHERE u."tenantId" = $1 AND u.currency = 'KHR' ORDER BY 1 LIMIT 1`,
      [t.tenantId],
    );
    const propertyId = rows[0].id as string;
    for (const sort of RENT_INVOICE_SORTS) {
      for (const desc of [true, false]) {
        const ids = await walk((cursor) => invoiceList({ propertyId, currency: "KHR", sort: { id: sort, desc }, limit: 100, cursor }));
        const dir = desc ? "DESC" : "ASC";
        const expected = await ordered(
          `SELECT i.id::text AS id FROM "RentInvoice" i JOIN "Contract" c ON c.id = i."contractId" JOIN "Unit" u ON u.id = c."unitId"
           WHERE i."tenantId" = $1 AND u."propertyId" = $2 AND i.currency = 'KHR' ORDER BY i.${INVOICE_COLUMNS[sort]} ${dir}, i.id ${dir}`,
          [t.tenantId, propertyId],
        );
        expect(expected.length).toBeGreaterThan(200);
        expect(ids, `${sort} ${dir}`).toEqual(expected);
      }
    }
  });

  it("invoices of a status by total (ties on every rent amount)", { timeout: 120_000 }, async () => {
    const ids = await walk((cursor) => invoiceList({ status: "void", sort: { id: "total", desc: false }, limit: 50, cursor }));
    expect(ids).toEqual(
      await ordered(`SELECT id::text AS id FROM "RentInvoice" WHERE "tenantId" = $1 AND status = 'void' ORDER BY total ASC, id ASC`, [
        t.tenantId,
      ]),
    );
  });

  it("payments by paid date (a month's payments share one instant) and by amount, all of them", { timeout: 120_000 }, async () => {
    const byPaid = await walk((cursor) => paymentList({ limit: 100, cursor }));
    expect(byPaid).toEqual(
      await ordered(
        `SELECT id::text AS id FROM "Payment" WHERE "tenantId" = $1 AND purpose = 'rent' AND status = 'paid' ORDER BY "paidAt" DESC, id DESC`,
        [t.tenantId],
      ),
    );
    const byAmount = await walk((cursor) => paymentList({ sort: { id: "amount", desc: false }, limit: 100, cursor }));
    expect(byAmount).toEqual(
      await ordered(
        `SELECT id::text AS id FROM "Payment" WHERE "tenantId" = $1 AND purpose = 'rent' AND status = 'paid' ORDER BY amount, id`,
        [t.tenantId],
      ),
    );
  });

  it("never-paid payments (no paidAt) by their created date, and a method by paid date", { timeout: 120_000 }, async () => {
    const expired = await walk((cursor) => paymentList({ status: "expired", limit: 100, cursor }));
    expect(expired).toEqual(
      await ordered(
        `SELECT id::text AS id FROM "Payment" WHERE "tenantId" = $1 AND purpose = 'rent' AND status = 'expired' ORDER BY "createdAt" DESC, id DESC`,
        [t.tenantId],
      ),
    );
    expect(expired.length).toBeGreaterThan(300);
    const cash = await walk((cursor) => paymentList({ method: "cash", sort: { id: "paidAt", desc: false }, limit: 100, cursor }));
    expect(cash).toEqual(
      await ordered(
        `SELECT id::text AS id FROM "Payment" WHERE "tenantId" = $1 AND purpose = 'rent' AND status = 'paid' AND method = 'cash' ORDER BY "paidAt", id`,
        [t.tenantId],
      ),
    );
  });
});

describe("cursors", () => {
  it("a bare id (the previous cursor format) still continues after that row", async () => {
    const first = await invoiceList({ sort: { id: "dueDate", desc: true }, limit: 10 });
    const byId = await invoiceList({ sort: { id: "dueDate", desc: true }, limit: 10, cursor: first.items[9]!.id });
    const byCursor = await invoiceList({ sort: { id: "dueDate", desc: true }, limit: 10, cursor: first.nextCursor! });
    expect(byId.items.map((i) => i.id)).toEqual(byCursor.items.map((i) => i.id));
    const p1 = await paymentList({ limit: 10 });
    const p2 = await paymentList({ limit: 10, cursor: p1.items[9]!.id });
    expect(p2.items.map((i) => i.id)).toEqual((await paymentList({ limit: 10, cursor: p1.nextCursor! })).items.map((i) => i.id));
  });

  it("a forged, truncated, unknown or other-sort cursor is a clear 400, never a 500", async () => {
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    const first = await invoiceList({ sort: { id: "total", desc: true } });
    for (const cursor of ["x", "%%%", first.nextCursor!.slice(0, -4), `${first.nextCursor!}A`, randomUUID(), "a".repeat(2000)]) {
      await expectTRPCError(owner.rentInvoices.list({ sort: { id: "total", desc: true }, cursor }), "BAD_REQUEST");
      await expectTRPCError(owner.rentPayments.list({ cursor }), "BAD_REQUEST");
    }
    // a cursor of another sort or direction
    await expectTRPCError(owner.rentInvoices.list({ sort: { id: "dueDate", desc: true }, cursor: first.nextCursor! }), "BAD_REQUEST");
    await expectTRPCError(owner.rentInvoices.list({ sort: { id: "total", desc: false }, cursor: first.nextCursor! }), "BAD_REQUEST");
    const paid = await paymentList({});
    await expectTRPCError(owner.rentPayments.list({ status: "expired", cursor: paid.nextCursor! }), "BAD_REQUEST");
    // another workspace's invoice id as a cursor: unknown here
    const { rows } = await su.query(`SELECT id::text AS id FROM "RentInvoice" WHERE "tenantId" = $1 LIMIT 1`, [other.tenantId]);
    await expectTRPCError(owner.rentInvoices.list({ cursor: rows[0].id }), "BAD_REQUEST");
  });
});
