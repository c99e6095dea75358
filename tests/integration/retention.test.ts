// Retention, enforced (docs/PRIVACY_RETENTION.md): the daily retention job removes audit rows,
// finished messages and processed webhook callbacks past their windows (one configuration,
// env.ts retentionSchema), in batches, and never touches invoices, payments, messages still on
// their way or callbacks waiting for review. The clock is fixed in 2001 and every row is dated
// relative to it, so the purge (which is global) cannot reach other tests' rows.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RetentionService, retentionPolicy } from "@/server/ops/retention.jobs";
import { createContract, createRentInvoice, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";

const NOW = new Date("2001-06-15T04:00:00Z");
const DAY = 24 * 3600_000;
const ago = (days: number, plusMs = 0) => new Date(NOW.getTime() - days * DAY + plusMs);

let su: pg.Client;
let t: CreatedTenant;
let invoiceId: string;

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await su.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

async function audit(label: string, at: Date, n = 1): Promise<void> {
  await su.query(
    `INSERT INTO "AuditLog" ("id", "tenantId", "actorEmail", "action", "targetType", "targetId", "createdAt")
     SELECT gen_random_uuid(), $1, 'retention@test', 'retention.test', $2, g::text, $3 FROM generate_series(1, $4::int) g`,
    [t.tenantId, label, at, n],
  );
}
async function message(label: string, status: string, at: Date): Promise<void> {
  await su.query(
    `INSERT INTO "OutboundMessage" ("id", "tenantId", "key", "channel", "locale", "to", "dedupeKey", "variables", "subject", "status", "createdAt", "updatedAt")
     VALUES (gen_random_uuid(), $1, 'retention.test', 'email', 'en', $2, gen_random_uuid()::text, '{}', 'Subject', $3, $4, $4)`,
    [t.tenantId, `${label}@retention.test`, status, at],
  );
}
async function webhook(label: string, valid: boolean, status: string, at: Date): Promise<void> {
  await su.query(
    `INSERT INTO "WebhookEvent" ("id", "provider", "idempotencyKey", "headers", "rawBody", "signatureValid", "status", "receivedAt")
     VALUES (gen_random_uuid(), 'retention-test', $1, '{}', '{}', $2, $3, $4)`,
    [`${label}-${t.slug}`, valid, status, at],
  );
}

beforeAll(async () => {
  su = new pg.Client({ connectionString: inject("DATABASE_MIGRATION_URL") });
  await su.connect();
  t = await createTenant({ slug: uniqueSlug("ret") });
  const contract = await createContract({ tenantId: t.tenantId, status: "active" });
  const invoice = await createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "1999-01" });
  invoiceId = invoice.id;
  // financial records from long before every window
  await su.query(`UPDATE "RentInvoice" SET "issuedAt" = $2, "createdAt" = $2 WHERE id = $1`, [invoiceId, ago(3000)]);
});

afterAll(async () => {
  await su.end();
});

describe("retention", () => {
  it("removes what is past its window and keeps the rest, financial records always", async () => {
    const policy = retentionPolicy({});
    expect(policy).toEqual({
      RETENTION_AUDIT_DAYS: 730,
      RETENTION_MESSAGE_DAYS: 365,
      RETENTION_WEBHOOK_DAYS: 365,
      RETENTION_REJECTED_WEBHOOK_DAYS: 30,
    });
    await audit("old", ago(730, -60_000), 12_000); // more than two purge batches
    await audit("young", ago(730, 60_000));
    await message("old-sent", "sent", ago(366));
    await message("old-bounced", "bounced", ago(400));
    await message("old-queued", "queued", ago(900));
    await message("old-sending", "sending", ago(900));
    await message("young-sent", "sent", ago(364));
    await webhook("old-processed", true, "processed", ago(366));
    await webhook("old-review", true, "needs_review", ago(900));
    await webhook("old-received", true, "received", ago(900));
    await webhook("young-processed", true, "processed", ago(300));

    const removed = await new RetentionService(() => NOW, policy).run();
    expect(removed).toEqual({ auditRows: 12_000, messages: 2, webhooks: 1 });

    expect(await count(`SELECT count(*) AS n FROM "AuditLog" WHERE "tenantId" = $1 AND "targetType" = 'old'`, [t.tenantId])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM "AuditLog" WHERE "tenantId" = $1 AND "targetType" = 'young'`, [t.tenantId])).toBe(1);
    const { rows: msgs } = await su.query<{ to: string }>(`SELECT "to" FROM "OutboundMessage" WHERE "tenantId" = $1 ORDER BY 1`, [
      t.tenantId,
    ]);
    expect(msgs.map((m) => m.to.split("@")[0])).toEqual(["old-queued", "old-sending", "young-sent"]);
    const { rows: hooks } = await su.query<{ k: string }>(
      `SELECT split_part("idempotencyKey", '-' || $1, 1) AS k FROM "WebhookEvent" WHERE provider = 'retention-test' AND "idempotencyKey" LIKE '%' || $1 ORDER BY 1`,
      [t.slug],
    );
    expect(hooks.map((h) => h.k)).toEqual(["old-received", "old-review", "young-processed"]);
    expect(await count(`SELECT count(*) AS n FROM "RentInvoice" WHERE id = $1`, [invoiceId])).toBe(1);

    // idempotent: a second run removes nothing more
    expect(await new RetentionService(() => NOW, policy).run()).toEqual({ auditRows: 0, messages: 0, webhooks: 0 });
  });

  it("takes its windows from the environment, within safe bounds", async () => {
    const policy = retentionPolicy({ RETENTION_AUDIT_DAYS: "400", RETENTION_MESSAGE_DAYS: "90" });
    expect(policy.RETENTION_AUDIT_DAYS).toBe(400);
    await su.query(`DELETE FROM "AuditLog" WHERE "tenantId" = $1`, [t.tenantId]);
    await su.query(`DELETE FROM "OutboundMessage" WHERE "tenantId" = $1`, [t.tenantId]);
    await audit("env-old", ago(401));
    await audit("env-young", ago(399));
    await message("env-old", "delivered", ago(91));
    const removed = await new RetentionService(() => NOW, policy).run();
    expect(removed).toEqual({ auditRows: 1, messages: 1, webhooks: 0 });
    expect(await count(`SELECT count(*) AS n FROM "AuditLog" WHERE "tenantId" = $1 AND "targetType" LIKE 'env-%'`, [t.tenantId])).toBe(1);

    expect(() => retentionPolicy({ RETENTION_AUDIT_DAYS: "30" })).toThrow();
    expect(() => retentionPolicy({ RETENTION_MESSAGE_DAYS: "forever" })).toThrow();
    expect(() => retentionPolicy({ RETENTION_REJECTED_WEBHOOK_DAYS: "0" })).toThrow();
  });
});
