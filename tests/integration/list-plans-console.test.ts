// The console's billing lists at scale (issue 13): thousands of subscription payments, rent payments,
// webhook events and subscription invoices across many workspaces, written set-based as the
// superuser. For each filter × sort × (first page, deep cursor) the list's main statement, exactly as
// the service sent it, is EXPLAINed (ANALYZE) as the app role with the platform setting under forced
// row-level security: no scan node may read more than a few pages of rows, and none is a Seq Scan of
// the big table. Walking every page returns each row once, in order, ties included. No timing is
// asserted (speed lives in bench/).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTenant, type CreatedTenant } from "@/server/testing/factories";
import { AdminPaymentService } from "@/server/payments/payments.admin";
import { AdminWebhookService } from "@/server/payments/webhooks.admin";
import { AdminInvoiceService } from "@/server/subscriptions/subscription-invoices.admin";
import { adminInvoicesSchema, adminPaymentsSchema, webhookListSchema } from "@/lib/schemas/billing";
import { testMeta } from "./support/world";
import { captureStatements, explainAsApp, scanReads } from "./support/sql-plans";
import { ownDatabaseForThisFile } from "./support/own-database";

const PAYMENTS = 40_000; // subscription payments
const EVENTS = 40_000;
const INVOICES = 20_000;
const PAGE = 25;
/** most rows any scan node may read: a few pages (the page + 1, and ties of the cursor's key) */
const MAX_READ = PAGE * 4;

let tenants: CreatedTenant[];
let su: pg.Client;

// the console's lists span every workspace: only this file's rows, and statistics of its own
ownDatabaseForThisFile("plans_console");
// dozens of EXPLAIN ANALYZE per test on a loaded machine: more than the integration default
vi.setConfig({ testTimeout: 90_000 });

/** Runs one list call, finds its main statement (the one reading `table`) and checks its plan. */
async function checkPlan(table: string, call: () => Promise<{ nextCursor: string | null }>): Promise<string | null> {
  const { result, statements } = await captureStatements(call);
  const main = statements.filter((s) => s.text.includes(`FROM "${table}" `) && /LIMIT \$\d+::int/.test(s.text));
  expect(main, `one keyset statement on ${table}`).toHaveLength(1);
  const before = statements.slice(0, statements.indexOf(main[0]!)).filter((st) => /set_config\('enable_/.test(st.text));
  const plan = await explainAsApp("platform", main[0]!.text, main[0]!.values, before);
  const scans = scanReads(plan);
  for (const s of scans) {
    expect(s.node === "Seq Scan" && s.relation === table, `Seq Scan on ${table}`).toBe(false);
    expect(s.read, `${s.node} on ${s.relation} (${s.index ?? "-"}) reads ${s.read} rows`).toBeLessThanOrEqual(MAX_READ);
  }
  return result.nextCursor;
}

/** The cursor of the page about 60 % deep (walking with big pages). */
async function deepCursor<T extends { nextCursor: string | null }>(
  list: (cursor: string | undefined, limit: number) => Promise<T>,
  total: number,
) {
  let cursor: string | undefined;
  const pages = Math.floor((total * 0.6) / 100);
  for (let i = 0; i < pages; i++) cursor = (await list(cursor, 100)).nextCursor ?? undefined;
  return cursor;
}

beforeAll(async () => {
  tenants = [];
  for (let i = 0; i < 4; i++) tenants.push(await createTenant({ subscription: { plan: "starter" } }));
  su = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await su.connect();
  const ids = tenants.map((t) => t.tenantId);
  // more rows than autovacuum's own ANALYZE samples (30,000): it must not replace the full statistics taken below
  await su.query(`ALTER TABLE "Payment" SET (autovacuum_enabled = false); ALTER TABLE "WebhookEvent" SET (autovacuum_enabled = false)`);
  // subscription payments: four statuses, three methods, one in 50 flagged; 7 share each createdAt (ties)
  await su.query(
    `INSERT INTO "Payment" ("id", "tenantId", "purpose", "method", "status", "amount", "currency", "reference", "flaggedAt", "paidAt", "createdAt", "updatedAt")
     SELECT uuidv7(), ($1::uuid[])[1 + i % 4], 'subscription',
            (ARRAY['khqr', 'cash', 'bank_transfer'])[1 + i % 3], (ARRAY['paid', 'pending', 'expired', 'failed'])[1 + (i / 2) % 4],
            1900, 'USD', 'ref-' || i, CASE WHEN i % 50 = 0 THEN TIMESTAMP '2026-02-01' END, CASE WHEN (i / 2) % 4 = 0 THEN TIMESTAMP '2026-02-01' END,
            TIMESTAMP '2026-01-01' + ((i / 7) * interval '1 minute'), TIMESTAMP '2026-01-01'
       FROM generate_series(0, $2::int - 1) AS i`,
    [ids, PAYMENTS],
  );
  await su.query(
    `INSERT INTO "WebhookEvent" ("id", "tenantId", "provider", "idempotencyKey", "headers", "rawBody", "signatureValid", "status", "receivedAt")
     SELECT uuidv7(), ($1::uuid[])[1 + i % 4], (ARRAY['bakong', 'resend'])[1 + i % 2], 'evt-' || i, '{}'::jsonb, '{}', true,
            (ARRAY['processed', 'ignored', 'failed', 'needs_review'])[1 + (i / 2) % 4], TIMESTAMP '2026-01-01' + ((i / 5) * interval '1 minute')
       FROM generate_series(0, $2::int - 1) AS i`,
    [ids, EVENTS],
  );
  await su.query(
    `INSERT INTO "SubscriptionInvoice" ("id", "tenantId", "subscriptionId", "number", "kind", "planId", "planName", "interval", "periodStart",
                                        "periodEnd", "amount", "currency", "lines", "status", "issuedAt", "dueAt", "updatedAt")
     SELECT uuidv7(), s."tenantId", s.id, 'SCALE-' || s."tenantId" || '-' || i, 'renewal', s."planId", 'Starter', 'month',
            TIMESTAMP '2000-01-01' + i * interval '1 day', TIMESTAMP '2000-01-02' + i * interval '1 day', 1900, 'USD', '[]'::jsonb,
            (ARRAY['open', 'paid', 'void'])[1 + i % 3], TIMESTAMP '2026-01-01' + ((i / 4) * interval '1 minute'),
            TIMESTAMP '2026-02-01', now()
       FROM "Subscription" s, generate_series(0, $2::int / 4 - 1) AS i
      WHERE s."tenantId" = ANY($1::uuid[])`,
    [ids, INVOICES],
  );
  // statistics of every table of this database, taken once the data is in: the plans below do not depend on autovacuum's timing;
  // a sample of 300,000 rows (statistics target 1000): ANALYZE reads every row of these tables, so the
  // statistics, and the plans, are the same on every run
  await su.query(`SET default_statistics_target = 1000; ANALYZE`);
}, 120_000);

afterAll(async () => {
  await su?.end();
});

const admin = () => ({ userId: tenants[0]!.owner.userId, email: tenants[0]!.owner.email });

describe("console payments list", () => {
  const svc = () => new AdminPaymentService(admin(), testMeta());
  const filters = [{}, { status: "paid" }, { status: "pending" }, { method: "cash" }] as const;
  for (const f of filters) {
    for (const sort of ["desc", "asc"] as const) {
      it(`${JSON.stringify(f)} ${sort}: first page and a deep cursor read about a page`, async () => {
        const list = (cursor: string | undefined, limit = PAGE) => svc().payments(adminPaymentsSchema.parse({ ...f, sort, cursor, limit }));
        await checkPlan("Payment", () => list(undefined));
        const deep = await deepCursor(list, PAYMENTS / (Object.keys(f).length ? 4 : 1));
        expect(deep).toBeTruthy();
        await checkPlan("Payment", () => list(deep));
      });
    }
  }

  it("walks every subscription payment once, in order, ties included", async () => {
    const seen: { id: string; createdAt: Date }[] = [];
    let cursor: string | undefined;
    do {
      const page = await svc().payments(adminPaymentsSchema.parse({ cursor, limit: 97, status: "paid" }));
      seen.push(...page.items.map((r) => ({ id: r.id, createdAt: r.createdAt })));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const { rows } = await su.query<{ id: string }>(
      `SELECT id::text FROM "Payment" WHERE purpose = 'subscription' AND status = 'paid' ORDER BY "createdAt" DESC, id DESC`,
    );
    expect(rows.length).toBeGreaterThan(1000);
    expect(seen.map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });

  it("refuses a forged cursor as bad input", async () => {
    await expect(svc().payments(adminPaymentsSchema.parse({ cursor: "not-a-cursor" }))).rejects.toMatchObject({ code: "VALIDATION" });
  });
});

describe("console webhook inbox", () => {
  const svc = () => new AdminWebhookService(admin(), testMeta());
  const filters = [{}, { provider: "bakong" }, { status: "failed" }, { provider: "resend", status: "processed" }] as const;
  for (const f of filters) {
    it(`${JSON.stringify(f)}: first page and a deep cursor read about a page`, async () => {
      const list = (cursor: string | undefined, limit = PAGE) => svc().webhooks(webhookListSchema.parse({ ...f, cursor, limit }));
      await checkPlan("WebhookEvent", () => list(undefined));
      const deep = await deepCursor(list, EVENTS / (Object.keys(f).length * 2 || 1));
      expect(deep).toBeTruthy();
      await checkPlan("WebhookEvent", () => list(deep));
    });
  }

  it("walks every event once, in order, ties included", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await svc().webhooks(webhookListSchema.parse({ cursor, limit: 100, provider: "bakong" }));
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const { rows } = await su.query<{ id: string }>(
      `SELECT id::text FROM "WebhookEvent" WHERE provider = 'bakong' ORDER BY "receivedAt" DESC, id DESC`,
    );
    expect(seen).toEqual(rows.map((r) => r.id));
  });
});

describe("console invoices list", () => {
  const svc = () => new AdminInvoiceService(admin(), testMeta());
  const filters = [{}, { status: "paid" }] as const;
  for (const f of filters) {
    for (const sort of ["desc", "asc"] as const) {
      it(`${JSON.stringify(f)} ${sort}: first page and a deep cursor read about a page`, async () => {
        const list = (cursor: string | undefined, limit = PAGE) => svc().invoices(adminInvoicesSchema.parse({ ...f, sort, cursor, limit }));
        await checkPlan("SubscriptionInvoice", () => list(undefined));
        const deep = await deepCursor(list, INVOICES / (Object.keys(f).length ? 3 : 1));
        expect(deep).toBeTruthy();
        await checkPlan("SubscriptionInvoice", () => list(deep));
      });
    }
  }

  it("walks every invoice once, in order, ties included", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await svc().invoices(adminInvoicesSchema.parse({ cursor, limit: 100, sort: "asc" }));
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const { rows } = await su.query<{ id: string }>(`SELECT id::text FROM "SubscriptionInvoice" ORDER BY "issuedAt" ASC, id ASC`);
    expect(seen).toEqual(rows.map((r) => r.id));
  });
});
