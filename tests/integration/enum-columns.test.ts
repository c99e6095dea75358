// Closed sets of values are text columns with a CHECK constraint, never PostgreSQL enums
// (migration 20261206124650_enums_to_text; docs/ARCHITECTURE.md, "Row-level security and leakproof
// operators"). Under RLS only LEAKPROOF operators can be index conditions and enum_eq is not one:
// an enum filter was applied after reading the whole workspace. This file proves that (a) no
// column is an enum, (b) each CHECK constraint lists exactly the tuple of lib/enums.ts (a value
// added in one place only fails here), (c) a value outside the set is refused, and (d) as the app
// role with RLS on, `status = 'paid'` is an index condition and a page reads about a page of rows.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENUM_COLUMNS } from "@/lib/enums";
import { createTenant, uniqueSlug } from "@/server/testing/factories";
import { explainAsApp, scanReads, type PlanNode } from "./support/sql-plans";

const su = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
let tenantId = "";

const CONTRACTS = 50;
const MONTHS = 100; // 5,000 invoices

/**
 * One property, CONTRACTS units, renters and active contracts, MONTHS invoices each: the newest 60
 * months a mix of issued, partially paid, overdue, void and draft, the older ones paid (as a real
 * history is), so a scan by due date that filters `paid` after the fact must read thousands of rows.
 */
async function fill(): Promise<void> {
  await su.query(
    `INSERT INTO "Property" ("id", "tenantId", "name", "type", "updatedAt") VALUES (uuidv7(), $1, 'Enum Building', 'house', now())`,
    [tenantId],
  );
  await su.query(
    `INSERT INTO "Unit" ("id", "tenantId", "propertyId", "code", "baseRent", "currency", "status", "updatedAt")
     SELECT uuidv7(), $1, p.id, 'E-' || lpad(u::text, 3, '0'), 10000, 'USD', 'occupied', now()
       FROM generate_series(1, $2::int) AS u, (SELECT id FROM "Property" WHERE "tenantId" = $1) p`,
    [tenantId, CONTRACTS],
  );
  await su.query(
    `INSERT INTO "Renter" ("id", "tenantId", "nameLatin", "phone", "updatedAt")
     SELECT uuidv7(), "tenantId", 'Renter ' || code, '+85512' || lpad(right(code, 3), 6, '0'), now() FROM "Unit" WHERE "tenantId" = $1`,
    [tenantId],
  );
  await su.query(
    `INSERT INTO "Contract" ("id", "tenantId", "unitId", "renterId", "status", "activeUnitId", "startDate", "rentAmount", "currency",
                             "billingDay", "updatedAt")
     SELECT uuidv7(), u."tenantId", u.id, r.id, 'active', u.id, DATE '2010-01-01', 10000, 'USD', 1, now()
       FROM "Unit" u JOIN "Renter" r ON r."tenantId" = u."tenantId" AND r."nameLatin" = 'Renter ' || u.code
      WHERE u."tenantId" = $1`,
    [tenantId],
  );
  await su.query(
    `WITH src AS (
       SELECT c.id AS "contractId", c."tenantId", m, (DATE '2026-01-01' - make_interval(months => m))::date AS first,
              CASE WHEN m >= 60 THEN 'paid'
                   ELSE (ARRAY['issued', 'partially_paid', 'overdue', 'void', 'draft'])[1 + (m + hashtext(c.id::text) & 4095) % 5] END AS status
         FROM "Contract" c CROSS JOIN generate_series(0, $2::int - 1) AS m
        WHERE c."tenantId" = $1
     )
     INSERT INTO "RentInvoice" ("id", "tenantId", "contractId", "number", "period", "status", "currency", "total", "amountPaid",
                                "issuedAt", "dueDate", "paidAt", "updatedAt")
     SELECT uuidv7(), "tenantId", "contractId", 'E-' || lpad(row_number() OVER (ORDER BY first, "contractId")::text, 7, '0'),
            to_char(first, 'YYYY-MM'), status, 'USD', 10000,
            CASE status WHEN 'paid' THEN 10000 WHEN 'partially_paid' THEN 5000 ELSE 0 END,
            first, (first + 5)::date, CASE WHEN status = 'paid' THEN first + interval '3 days' END, now()
       FROM src`,
    [tenantId, MONTHS],
  );
  await su.query(`ANALYZE "RentInvoice"`);
}

/** Every node of a plan, depth first. */
function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

beforeAll(async () => {
  await su.connect();
  tenantId = (await createTenant({ slug: uniqueSlug("enums") })).tenantId;
  await fill();
}, 120_000);

afterAll(async () => {
  await su.end();
});

describe("closed sets are text + CHECK, not PostgreSQL enums", () => {
  it("no column of the app schema has an enum type, and no enum type is left", async () => {
    const { rows: columns } = await su.query(
      `SELECT c.table_name, c.column_name, c.udt_name
         FROM information_schema.columns c JOIN pg_type t ON t.typname = c.udt_name
        WHERE c.table_schema = 'public' AND t.typtype = 'e'`,
    );
    expect(columns).toEqual([]);
    const { rows: types } = await su.query(`SELECT typname FROM pg_type WHERE typtype = 'e' AND typnamespace = 'public'::regnamespace`);
    expect(types).toEqual([]);
  });

  it("each column of lib/enums.ts is text and its CHECK constraint lists exactly the tuple", async () => {
    const keys = Object.keys(ENUM_COLUMNS) as Array<keyof typeof ENUM_COLUMNS>;
    expect(keys.length).toBeGreaterThanOrEqual(30);
    for (const key of keys) {
      const [table, column] = key.split(".") as [string, string];
      const { rows: col } = await su.query<{ data_type: string }>(
        `SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2`,
        [table, column],
      );
      expect(col, key).toEqual([{ data_type: "text" }]);
      const { rows: con } = await su.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = format('%I', $1::text)::regclass AND conname = $2`,
        [table, `${table}_${column}_check`],
      );
      expect(con, `${key}: constraint ${table}_${column}_check`).toHaveLength(1);
      const def = con[0]!.def;
      // the constraint tests this column and nothing else
      expect(def, key).toMatch(new RegExp(`^CHECK \\(\\("?${column}"? = `));
      const listed = [...def.matchAll(/'([^']*)'::text/g)].map((m) => m[1]);
      expect(listed, key).toEqual([...ENUM_COLUMNS[key]]);
    }
  });

  it("a value outside the set is refused; one inside is accepted", async () => {
    const cases: Array<[string, string, string]> = [
      ["Tenant", "status", `"id" = '${tenantId}'`],
      ["Property", "type", `"tenantId" = '${tenantId}'`],
      ["Unit", "status", `"tenantId" = '${tenantId}'`],
      ["Contract", "lateFeeType", `"tenantId" = '${tenantId}'`],
      ["RentInvoice", "status", `"tenantId" = '${tenantId}' AND "status" = 'draft'`],
    ];
    for (const [table, column, where] of cases) {
      await su.query("BEGIN");
      try {
        await expect(su.query(`UPDATE "${table}" SET "${column}" = 'bogus' WHERE ${where}`), `${table}.${column}`).rejects.toMatchObject({
          code: "23514",
          constraint: `${table}_${column}_check`,
        });
      } finally {
        await su.query("ROLLBACK");
      }
    }
    await su.query("BEGIN");
    try {
      const r = await su.query(`UPDATE "Unit" SET "status" = 'maintenance' WHERE "tenantId" = $1`, [tenantId]);
      expect(r.rowCount).toBe(CONTRACTS);
    } finally {
      await su.query("ROLLBACK");
    }
  });

  it("as the app role (RLS on), status = 'paid' is an index condition and a page reads about a page", async () => {
    const { rows } = await su.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "RentInvoice" WHERE "tenantId" = $1 AND "status" = 'paid'`,
      [tenantId],
    );
    expect(rows[0]!.n).toBe(CONTRACTS * (MONTHS - 60));
    const plan = await explainAsApp(
      tenantId,
      `SELECT id FROM "RentInvoice" WHERE "tenantId" = $1 AND status = 'paid' ORDER BY "dueDate" DESC, id DESC LIMIT 26`,
      [tenantId],
    );
    const scans = scanReads(plan).filter((s) => s.relation === "RentInvoice");
    expect(scans.length, JSON.stringify(plan)).toBeGreaterThan(0);
    expect(scans.map((s) => s.node)).not.toContain("Seq Scan");
    // about a page: 26 rows (LIMIT), not the 2,000 paid or the 5,000 of the workspace
    for (const s of scans) expect(s.read, JSON.stringify(s)).toBeLessThanOrEqual(60);
    const withStatus = nodes(plan).filter(
      (n) => n["Relation Name"] === "RentInvoice" && typeof n["Index Cond"] === "string" && /\bstatus = 'paid'/.test(n["Index Cond"]),
    );
    expect(withStatus.length, JSON.stringify(plan)).toBeGreaterThan(0);
    const filtered = nodes(plan).filter((n) => typeof n.Filter === "string" && /\bstatus\b/.test(n.Filter));
    expect(filtered, JSON.stringify(plan)).toEqual([]);
  });
});
