// The migration lint of `npm run db:check` (scripts/db/migration-lint.ts): each rule catches its
// statement on an existing table, leaves a table created in the same migration alone, and a marker
// with a reason lets a statement through while a marker without one is itself a finding.
import { mkdtemp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatFinding,
  lintMigrations,
  lintMigrationSql,
  RELEASED_MIGRATIONS,
  RULES,
  splitStatements,
  type RuleId,
} from "@/scripts/db/migration-lint";

const FILE = "prisma/migrations/20990101000000_x/migration.sql";
const rulesOf = (sql: string) => lintMigrationSql(sql, FILE).map((f) => f.rule);

const CASES: Record<RuleId, { bad: string; fine: string }> = {
  "drop-table": { bad: `DROP TABLE "Renter";`, fine: `CREATE TABLE "X" ("id" UUID);` },
  "drop-column": {
    bad: `ALTER TABLE "Renter" DROP COLUMN "phone";`,
    fine: `ALTER TABLE "Renter" DROP CONSTRAINT "Renter_phone_check";`,
  },
  "rename-table": { bad: `ALTER TABLE "Renter" RENAME TO "Tenant2";`, fine: `ALTER TABLE "Renter" RENAME CONSTRAINT "a" TO "b";` },
  "rename-column": {
    bad: `ALTER TABLE "Renter" RENAME COLUMN "phone" TO "mobile";`,
    fine: `ALTER TABLE "Renter" ADD COLUMN "mobile" TEXT;`,
  },
  truncate: { bad: `TRUNCATE "AuditLog";`, fine: `DELETE FROM "AuditLog" WHERE "createdAt" < now() - interval '10 years';` },
  "column-type": {
    bad: `ALTER TABLE "Unit" ALTER COLUMN "baseRent" TYPE BIGINT;`,
    fine: `ALTER TABLE "Unit" ALTER COLUMN "baseRent" SET DEFAULT 0;`,
  },
  "set-not-null": {
    bad: `ALTER TABLE "RentInvoice" ALTER COLUMN "propertyId" SET NOT NULL;`,
    fine: `ALTER TABLE "RentInvoice" ALTER COLUMN "propertyId" DROP NOT NULL;`,
  },
  "add-column-not-null": {
    bad: `ALTER TABLE "Renter" ADD COLUMN "kind" TEXT NOT NULL;`,
    fine: `ALTER TABLE "Renter" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'person';`,
  },
  "volatile-default": {
    bad: `ALTER TABLE "Renter" ADD COLUMN "token" UUID DEFAULT gen_random_uuid();`,
    fine: `ALTER TABLE "Renter" ADD COLUMN "seenAt" TIMESTAMP(3) DEFAULT now();`,
  },
  "non-concurrent-index": {
    bad: `CREATE INDEX "Renter_phone_idx" ON "Renter"("tenantId", "phone");`,
    fine: `CREATE INDEX CONCURRENTLY "Renter_phone_idx" ON "Renter"("tenantId", "phone");`,
  },
  "validating-constraint": {
    bad: `ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_status_check" CHECK ("status" IN ('active', 'closed'));`,
    fine: `ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_status_check" CHECK ("status" IN ('active', 'closed')) NOT VALID;`,
  },
};

describe("migration lint rules", () => {
  it("has a case for every rule", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(RULES).sort());
  });

  for (const [rule, { bad, fine }] of Object.entries(CASES)) {
    it(`${rule}: catches its statement and names file, line and statement`, () => {
      const sql = `-- a comment\n\n${bad}\n`;
      const findings = lintMigrationSql(sql, FILE);
      expect(findings.map((f) => f.rule)).toEqual([rule]);
      expect(findings[0]).toMatchObject({ file: FILE, line: 3, statement: bad.replace(/;$/, "") });
      expect(formatFinding(findings[0]!)).toContain(`${FILE}:3: [${rule}]`);
      expect(formatFinding(findings[0]!)).toContain(bad.replace(/;$/, ""));
    });
    it(`${rule}: lets the safe form through`, () => {
      expect(rulesOf(fine)).toEqual([]);
    });
    it(`${rule}: a marker with a reason lets it through`, () => {
      expect(rulesOf(`-- migration-lint: allow ${rule} because the previous release stopped using it in 0.2\n${bad}`)).toEqual([]);
    });
    it(`${rule}: a marker without a reason is a finding, and does not allow`, () => {
      expect(rulesOf(`-- migration-lint: allow ${rule}\n${bad}`)).toEqual(["marker", rule]);
      expect(rulesOf(`-- migration-lint: allow ${rule} because\n${bad}`)).toEqual(["marker", rule]);
      expect(rulesOf(`-- migration-lint: allow ${rule} because ok\n${bad}`)).toEqual(["marker", rule]);
    });
  }

  it("leaves tables created in the same migration alone (indexes, NOT NULL, constraints, type)", () => {
    const sql = `
      CREATE TABLE "Fresh" ("id" UUID NOT NULL, "n" INT, CONSTRAINT "Fresh_pkey" PRIMARY KEY ("id"));
      CREATE INDEX "Fresh_n_idx" ON "Fresh"("n");
      CREATE UNIQUE INDEX "Fresh_n_key" ON public."Fresh"("n");
      ALTER TABLE "Fresh" ALTER COLUMN "n" SET NOT NULL, ALTER COLUMN "n" TYPE BIGINT;
      ALTER TABLE "Fresh" ADD COLUMN "k" TEXT NOT NULL, ADD COLUMN "u" UUID DEFAULT gen_random_uuid();
      ALTER TABLE "Fresh" ADD CONSTRAINT "Fresh_n_fkey" FOREIGN KEY ("n") REFERENCES "Unit"("id");
      ALTER TABLE "Fresh" ENABLE ROW LEVEL SECURITY;
      ALTER TABLE "Fresh" FORCE ROW LEVEL SECURITY;`;
    expect(rulesOf(sql)).toEqual([]);
  });

  it("checks every action of a multi-action ALTER TABLE", () => {
    const sql = `ALTER TABLE "Tenant" ADD COLUMN "a" TEXT, DROP COLUMN "b", ALTER COLUMN "c" SET DATA TYPE TEXT, ADD COLUMN "d" INT NOT NULL;`;
    expect(rulesOf(sql).sort()).toEqual(["add-column-not-null", "column-type", "drop-column"]);
  });

  it("treats serial columns as volatile defaults and unique constraints as index builds", () => {
    expect(rulesOf(`ALTER TABLE "Renter" ADD COLUMN "seq" BIGSERIAL;`)).toEqual(["volatile-default"]);
    expect(rulesOf(`ALTER TABLE "Renter" ADD CONSTRAINT "Renter_x_key" UNIQUE ("x");`)).toEqual(["non-concurrent-index"]);
    expect(rulesOf(`ALTER TABLE "Renter" ADD CONSTRAINT "Renter_x_key" UNIQUE USING INDEX "Renter_x_idx";`)).toEqual([]);
  });

  it("refuses CONCURRENTLY beside other statements (the file runs as one transaction); no marker allows it", () => {
    const sql = `-- migration-lint: allow non-concurrent-index because none\nCREATE INDEX CONCURRENTLY "a" ON "Renter"("x");\nCREATE TABLE "Y" ("id" INT);`;
    expect(rulesOf(sql)).toContain("concurrently-in-transaction");
    expect(rulesOf(`-- alone, with comments\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "a" ON "Renter"("x");\n-- end`)).toEqual([]);
  });

  it("a marker applies to the next statement only, several rules per marker", () => {
    const sql = [
      `-- migration-lint: allow drop-column, column-type because the column moved to "RenterContact" in the previous release`,
      `ALTER TABLE "Renter" DROP COLUMN "phone", ALTER COLUMN "note" TYPE VARCHAR(200);`,
      `ALTER TABLE "Renter" DROP COLUMN "email";`,
    ].join("\n");
    const findings = lintMigrationSql(sql, FILE);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([["drop-column", 3]]);
  });

  it("allow-all covers every statement of the file for its rule", () => {
    const sql = [
      `-- migration-lint: allow-all non-concurrent-index because RentInvoice is built in the maintenance window (docs/OPERATIONS.md)`,
      `CREATE INDEX "a" ON "RentInvoice"("x");`,
      `CREATE INDEX "b" ON "RentInvoice"("y");`,
      `DROP TABLE "Old";`,
    ].join("\n");
    expect(rulesOf(sql)).toEqual(["drop-table"]);
  });

  it("flags stale, unknown and malformed markers", () => {
    expect(rulesOf(`-- migration-lint: allow drop-table because it was used once upon a time\nCREATE TABLE "Z" ("id" INT);`)).toEqual([
      "marker",
    ]);
    expect(rulesOf(`-- migration-lint: allow-all drop-table because it was used once upon a time\nCREATE TABLE "Z" ("id" INT);`)).toEqual([
      "marker",
    ]);
    expect(rulesOf(`-- migration-lint: allow drop-everything because reasons are long enough\nDROP TABLE "A";`)).toEqual([
      "marker",
      "drop-table",
    ]);
    expect(rulesOf(`-- migration-lint: please\nDROP TABLE "A";`)).toEqual(["marker", "drop-table"]);
  });

  it("splits statements around quotes, dollar-quoted bodies and comments, keeping line numbers", () => {
    const sql = [
      `CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;`,
      `/* DROP TABLE "A"; */ SELECT 'x;y', "a;b";`,
      `-- DROP TABLE "B";`,
      `SELECT 2`,
    ].join("\n");
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([1, 2, 4]);
    expect(statements[1]!.sql).toBe(`SELECT 'x;y', "a;b"`);
    expect(rulesOf(sql)).toEqual([]);
  });
});

describe("migration lint over a migrations folder", () => {
  it("lints only the migrations newer than the previous release, and names the file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "phteah-lint-"));
    try {
      await mkdir(path.join(dir, "20200101000000_old"));
      await writeFile(path.join(dir, "20200101000000_old", "migration.sql"), `DROP TABLE "Ancient";`);
      await mkdir(path.join(dir, "20990101000000_new"));
      await writeFile(path.join(dir, "20990101000000_new", "migration.sql"), `-- why\nALTER TABLE "Renter" DROP COLUMN "phone";\n`);
      const r = await lintMigrations(dir, ["20200101000000_old"]);
      expect(r.linted).toEqual(["20990101000000_new"]);
      expect(r.findings.map(formatFinding)).toEqual([
        `prisma/migrations/20990101000000_new/migration.sql:2: [drop-column] ${RULES["drop-column"]}\n    ALTER TABLE "Renter" DROP COLUMN "phone"`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the previous release's migrations all exist, in order", async () => {
    const r = await lintMigrations();
    const folders = await readdir(path.join(process.cwd(), "prisma/migrations"));
    expect(folders).toEqual(expect.arrayContaining([...RELEASED_MIGRATIONS]));
    expect([...RELEASED_MIGRATIONS].sort()).toEqual([...RELEASED_MIGRATIONS]);
    expect(r.linted.every((m) => m > RELEASED_MIGRATIONS.at(-1)!)).toBe(true);
  });
});
