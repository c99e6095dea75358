// The bench data set, generated through the schema with set-based SQL (INSERT … SELECT
// generate_series) as the superuser: one big workspace (2,000 units, 1,933 active contracts,
// ~310,000 invoices over 155 months), 999 small ones (5–35 units, 35 months each), ~520,000
// payments and 1,000,000 audit rows, and a huge one with 20,000 active contracts and one month of
// history (the 20,000-contract monthly run). `scale` 0.1 (--quick) divides every count by ten.
// Everything is dated relative to `anchor` (the first day of the month the bench runs in, UTC):
// history covers the months before it, and the monthly-run benchmark bills the anchor month.
import pg from "pg";

export interface Sizes {
  tenants: number;
  bigUnits: number;
  bigActive: number;
  bigMonths: number;
  smallMonths: number;
  payments: number;
  audit: number;
  bigAuditShare: number;
  hugeActive: number;
}

export function sizesFor(scale: number): Sizes {
  return {
    tenants: Math.round(1000 * scale),
    bigUnits: Math.round(2000 * scale),
    bigActive: Math.round(1933 * scale),
    bigMonths: 155,
    smallMonths: 35,
    payments: Math.round(520_000 * scale),
    audit: Math.round(1_000_000 * scale),
    bigAuditShare: 0.3,
    hugeActive: Math.round(20_000 * scale),
  };
}

export interface DataSet {
  sizes: Sizes;
  anchor: string; // YYYY-MM-01
  bigTenantId: string;
  bigSlug: string;
  hugeTenantId: string;
  counts: {
    invoices: number;
    bigInvoices: number;
    payments: number;
    bigPayments: number;
    audit: number;
    contracts: number;
    hugeContracts: number;
  };
  ms: number;
}

const step = async (c: pg.Client, label: string, sql: string, params: unknown[] = [], log = true): Promise<void> => {
  const t = Date.now();
  const r = await c.query(sql, params);
  if (log) console.log(`  · ${label}: ${r.rowCount ?? 0} rows, ${((Date.now() - t) / 1000).toFixed(1)} s`);
};

/** Generates the small workspaces and the data of every workspace. The big and huge tenants (with their owners, roles and subscriptions) exist already. */
export async function generate(
  migrationUrl: string,
  big: { tenantId: string; slug: string },
  huge: { tenantId: string; slug: string },
  sizes: Sizes,
  anchor: string,
): Promise<DataSet> {
  const t0 = Date.now();
  const c = new pg.Client({ connectionString: migrationUrl });
  await c.connect();
  try {
    await c.query(`SELECT setseed(0.42)`);
    await c.query(`SET synchronous_commit = off`);
    await c.query(
      `CREATE TABLE bench_tenant (id uuid PRIMARY KEY, slug text, units int, months int, big boolean, n int, huge boolean NOT NULL DEFAULT false)`,
    );
    await c.query(`INSERT INTO bench_tenant VALUES ($1, $2, $3, $4, true, 0)`, [big.tenantId, big.slug, sizes.bigUnits, sizes.bigMonths]);
    await c.query(`INSERT INTO bench_tenant VALUES ($1, $2, $3, 1, false, -1, true)`, [huge.tenantId, huge.slug, sizes.hugeActive]);
    await step(
      c,
      "small workspaces",
      `INSERT INTO bench_tenant SELECT uuidv7(), 'bench-' || n, 5 + (n * 7919) % 31, $1, false, n FROM generate_series(1, $2::int - 1) AS n`,
      [sizes.smallMonths, sizes.tenants],
    );
    await step(
      c,
      "Tenant",
      `INSERT INTO "Tenant" ("id", "slug", "name", "locale", "currency", "bakongAccountId", "updatedAt")
       SELECT id, slug, 'Bench ' || n, CASE WHEN n % 3 = 0 THEN 'en' ELSE 'km' END, CASE WHEN n % 4 = 0 THEN 'KHR' ELSE 'USD' END, slug || '@aclb', now()
       FROM bench_tenant WHERE NOT big AND NOT huge`,
    );
    await c.query(`UPDATE "Tenant" SET "bakongAccountId" = $2 WHERE id = $1`, [big.tenantId, `${big.slug}@aclb`]);
    await c.query(`UPDATE "Tenant" SET "bakongAccountId" = $2 WHERE id = $1`, [huge.tenantId, `${huge.slug}@aclb`]);
    // one property per 100 units
    await step(
      c,
      "Property",
      `INSERT INTO "Property" ("id", "tenantId", "name", "address", "type", "updatedAt")
       SELECT uuidv7(), bt.id, 'Building ' || p, 'Street ' || p || ', Phnom Penh',
              (ARRAY['apartment_building','boarding_house','house','shop'])[1 + p % 4], now()
       FROM bench_tenant bt, generate_series(1, 1 + (bt.units - 1) / 100) AS p`,
    );
    // units: ~85 % USD, 15 % KHR (rents 80–600 USD, 300,000–2,400,000 riel)
    await step(
      c,
      "Unit",
      `INSERT INTO "Unit" ("id", "tenantId", "propertyId", "code", "floor", "baseRent", "currency", "status", "updatedAt")
       SELECT uuidv7(), bt.id, p.id, 'U' || lpad(u::text, 5, '0'), 1 + u % 8,
              CASE WHEN u % 7 = 0 THEN 300000 + (u * 7717 % 22) * 100000 ELSE 8000 + (u * 7717 % 53) * 1000 END,
              CASE WHEN u % 7 = 0 THEN 'KHR' ELSE 'USD' END, 'occupied', now()
       FROM bench_tenant bt
       CROSS JOIN generate_series(1, bt.units) AS u
       JOIN LATERAL (SELECT id FROM "Property" WHERE "tenantId" = bt.id AND name = 'Building ' || (1 + (u - 1) / 100)) p ON true`,
    );
    await step(
      c,
      "Renter",
      `INSERT INTO "Renter" ("id", "tenantId", "nameKm", "nameLatin", "phone", "email", "locale", "updatedAt")
       SELECT uuidv7(), u."tenantId", 'អ្នកជួល ' || u.code, 'Renter ' || u.code, '+8551' || lpad((abs(hashtext(u.id::text)) % 100000000)::text, 8, '0'),
              CASE WHEN random() < 0.7 THEN 'renter.' || lower(u.code) || '.' || left(u."tenantId"::text, 8) || '@example.com' END,
              CASE WHEN random() < 0.8 THEN 'km' ELSE 'en' END, now()
       FROM "Unit" u`,
    );
    // one contract per unit: in the big workspace exactly bigActive are active (the rest ended last month),
    // in the small ones ~97 % active. Billing days 1–28, no metered utilities (the run needs no readings).
    await step(
      c,
      "Contract",
      `WITH u AS (
         SELECT u.*, r.id AS "renterId", bt.big, bt.huge, bt.months, row_number() OVER (PARTITION BY u."tenantId" ORDER BY u.code) AS k
         FROM "Unit" u JOIN bench_tenant bt ON bt.id = u."tenantId" JOIN "Renter" r ON r."tenantId" = u."tenantId" AND r."nameLatin" = 'Renter ' || u.code
       )
       INSERT INTO "Contract" ("id", "tenantId", "unitId", "renterId", "status", "activeUnitId", "startDate", "endDate", "rentAmount", "currency",
                               "depositAmount", "billingDay", "dueDays", "lateFeeType", "lateFeeValue", "activatedAt", "endedAt", "updatedAt")
       SELECT uuidv7(), u."tenantId", u.id, u."renterId", s.status, CASE WHEN s.status = 'active' THEN u.id END,
              ($1::date - make_interval(months => u.months))::date,
              CASE WHEN s.status = 'ended' THEN ($1::date - 1) END,
              u."baseRent", u.currency, u."baseRent", 1, 5,
              (ARRAY['none','fixed','percent'])[1 + k % 3], CASE k % 3 WHEN 1 THEN 500 WHEN 2 THEN 300 ELSE 0 END,
              $1::date - make_interval(months => u.months), CASE WHEN s.status = 'ended' THEN $1::date - 1 END, now()
       FROM u CROSS JOIN LATERAL (SELECT CASE WHEN (u.big AND k > $2) OR (NOT u.big AND NOT u.huge AND k % 31 = 30) THEN 'ended' ELSE 'active' END AS status) s`,
      [anchor, sizes.bigActive],
    );
    await c.query(`UPDATE "Unit" u SET status = 'vacant' WHERE NOT EXISTS (SELECT 1 FROM "Contract" c WHERE c."activeUnitId" = u.id)`);
    // invoices: one per contract and month before the anchor. Last month: 62 % paid, 15 % partially paid,
    // 18 % overdue, 5 % issued; the month before: 88 % paid, 9 % overdue, 3 % void; older: 96 % paid,
    // 2.5 % void, 1.5 % overdue (bad debts). Unpaid invoices keep a pay link.
    await step(
      c,
      "RentInvoice",
      `WITH src AS (
         SELECT c.id AS "contractId", c."tenantId", u."propertyId", c."rentAmount", c.currency, c."billingDay", m,
                (date_trunc('month', $1::date) - make_interval(months => m))::date AS first, random() AS r, random() AS r2
         FROM "Contract" c JOIN bench_tenant bt ON bt.id = c."tenantId" JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
         CROSS JOIN generate_series(1, bt.months) AS m
       ), st AS (
         SELECT src.*, (CASE
           WHEN m = 1 THEN CASE WHEN r < 0.62 THEN 'paid' WHEN r < 0.77 THEN 'partially_paid' WHEN r < 0.95 THEN 'overdue' ELSE 'issued' END
           WHEN m = 2 THEN CASE WHEN r < 0.88 THEN 'paid' WHEN r < 0.97 THEN 'overdue' ELSE 'void' END
           ELSE CASE WHEN r < 0.96 THEN 'paid' WHEN r < 0.985 THEN 'void' ELSE 'overdue' END END) AS status,
           src."rentAmount" + CASE WHEN r2 < 0.4 THEN (r2 * 5000)::int ELSE 0 END AS total,
           first + ("billingDay" - 1) + interval '2 hours' AS issued
         FROM src
       )
       INSERT INTO "RentInvoice" ("id", "tenantId", "contractId", "propertyId", "number", "period", "status", "currency", "total", "amountPaid", "issuedAt",
                                  "dueDate", "paidAt", "overdueAt", "voidedAt", "voidReason", "payToken", "createdAt", "updatedAt")
       SELECT uuidv7(), "tenantId", "contractId", "propertyId",
              'R-' || extract(year FROM issued)::int || '-' || lpad(row_number() OVER (PARTITION BY "tenantId", extract(year FROM issued) ORDER BY issued, "contractId")::text, 6, '0'),
              to_char(first, 'YYYY-MM'), status, currency, total,
              CASE status WHEN 'paid' THEN total WHEN 'partially_paid' THEN total / 2 ELSE 0 END,
              issued, (issued + interval '5 days')::date,
              CASE WHEN status = 'paid' THEN issued + make_interval(days => (r2 * 9)::int, hours => (r * 10)::int) END,
              CASE WHEN status = 'overdue' THEN issued + interval '6 days' END,
              CASE WHEN status = 'void' THEN issued + interval '1 day' END,
              CASE WHEN status = 'void' THEN 'bench: wrong amount' END,
              CASE WHEN status IN ('issued', 'partially_paid', 'overdue') THEN
                rtrim(translate(encode(decode(md5(random()::text) || md5(random()::text), 'hex'), 'base64'), '+/', '-_'), '=') END,
              issued, issued
       FROM st`,
      [anchor],
    );
    await step(
      c,
      "InvoiceCounter",
      `INSERT INTO "InvoiceCounter" ("scope", "year", "last")
       SELECT 'rent:' || "tenantId", split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int) FROM "RentInvoice" GROUP BY 1, 2`,
    );
    // payments: about `payments` rows over the paid and partly paid invoices; 62 % KHQR, 28 % cash,
    // 10 % bank transfer; 8 % of the KHQR attempts expired (the paid attempt is another row)
    const { rows: paidRows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM "RentInvoice" WHERE status IN ('paid', 'partially_paid')`,
    );
    const share = Math.min(1, sizes.payments / Number(paidRows[0]!.n));
    await step(
      c,
      "Payment",
      `WITH i AS (
         SELECT ri.*, random() AS r, t."bakongAccountId" FROM "RentInvoice" ri JOIN "Tenant" t ON t.id = ri."tenantId"
         WHERE ri.status IN ('paid', 'partially_paid') AND random() < $1
       )
       INSERT INTO "Payment" ("id", "tenantId", "purpose", "rentInvoiceId", "propertyId", "method", "status", "amount", "currency", "receivingAccount",
                              "md5", "bakongHash", "fromAccountId", "reference", "expiresAt", "paidAt", "createdAt", "updatedAt")
       SELECT uuidv7(), "tenantId", 'rent', id, "propertyId", m.method, m.status, "amountPaid", currency,
              CASE WHEN m.method = 'khqr' THEN "bakongAccountId" END,
              CASE WHEN m.method = 'khqr' THEN md5(id::text || 'qr') END,
              CASE WHEN m.method = 'khqr' AND m.status = 'paid' THEN md5(id::text || 'hash') END,
              CASE WHEN m.method = 'khqr' THEN 'payer' || (r * 1000)::int || '@aclb' END,
              CASE WHEN m.method <> 'khqr' THEN 'REF-' || left(id::text, 8) END,
              CASE WHEN m.method = 'khqr' THEN "issuedAt" + interval '1 day' END,
              CASE WHEN m.status = 'paid' THEN coalesce("paidAt", "issuedAt" + interval '3 days') END,
              "issuedAt" + interval '1 day', "issuedAt" + interval '1 day'
       FROM i CROSS JOIN LATERAL (SELECT CASE WHEN r < 0.62 THEN 'khqr' WHEN r < 0.90 THEN 'cash' ELSE 'bank_transfer' END AS method,
                                         CASE WHEN r < 0.05 THEN 'expired' ELSE 'paid' END AS status) m`,
      [share],
    );
    // audit: bigAuditShare of the rows in the big workspace, the rest spread over the small ones, one every 2 minutes back from the anchor
    await step(
      c,
      "AuditLog",
      `WITH small AS (SELECT array_agg(id ORDER BY n) AS ids FROM bench_tenant WHERE NOT big AND NOT huge)
       INSERT INTO "AuditLog" ("id", "tenantId", "actorUserId", "actorEmail", "action", "targetType", "targetId", "ip", "userAgent", "requestId", "metadata", "createdAt")
       SELECT uuidv7(), CASE WHEN i < $2 OR cardinality(small.ids) = 0 THEN $1::uuid ELSE small.ids[1 + i % cardinality(small.ids)] END,
              NULL, 'staff' || (i % 7) || '@bench.test',
              (ARRAY['rent.invoice.issued', 'rent.payment.recorded', 'contract.activated', 'auth.login.succeeded', 'renter.updated'])[1 + i % 5],
              'rent_invoice', 'ri-' || i, '10.0.' || (i % 250) || '.' || (i % 200), 'Mozilla/5.0 (X11; Linux x86_64) bench', gen_random_uuid()::text,
              jsonb_build_object('after', jsonb_build_object('status', 'issued', 'total', i % 100000), 'note', 'row ' || i),
              $3::timestamp - i * interval '2 minutes'
       FROM small, generate_series(0, $4::int - 1) AS i`,
      [big.tenantId, Math.round(sizes.audit * sizes.bigAuditShare), anchor, sizes.audit],
    );
    const t = Date.now();
    await c.query(`VACUUM ANALYZE`);
    console.log(`  · VACUUM ANALYZE: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const { rows } = await c.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM "RentInvoice") AS invoices, (SELECT count(*) FROM "RentInvoice" WHERE "tenantId" = $1) AS "bigInvoices",
              (SELECT count(*) FROM "Payment") AS payments, (SELECT count(*) FROM "Payment" WHERE "tenantId" = $1) AS "bigPayments",
              (SELECT count(*) FROM "AuditLog") AS audit, (SELECT count(*) FROM "Contract" WHERE "tenantId" = $1 AND status = 'active') AS contracts,
              (SELECT count(*) FROM "Contract" WHERE "tenantId" = $2 AND status = 'active') AS "hugeContracts"`,
      [big.tenantId, huge.tenantId],
    );
    const r = rows[0]!;
    return {
      sizes,
      anchor,
      bigTenantId: big.tenantId,
      bigSlug: big.slug,
      hugeTenantId: huge.tenantId,
      counts: {
        invoices: Number(r.invoices),
        bigInvoices: Number(r.bigInvoices),
        payments: Number(r.payments),
        bigPayments: Number(r.bigPayments),
        audit: Number(r.audit),
        contracts: Number(r.contracts),
        hugeContracts: Number(r.hugeContracts),
      },
      ms: Date.now() - t0,
    };
  } finally {
    await c.end();
  }
}
