// The monthly invoice run at scale (issue 13): a workspace of 2,000 contracts billed in chunks with a
// handful of statements per chunk (not ~18 per contract), invoices identical to the per-contract
// path's for every contract shape, no delivery started by the run (its messages wait in the bounded
// delivery queue and the outbox), a crash inside a chunk followed by a rerun (each contract billed
// once, numbers contiguous), and the delivery queue's bounded concurrency and the `sending` lease.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logger } from "@/server/core/observability/logger";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { validateEnv } from "@/env";
import {
  createContract,
  createProperty,
  createRenter,
  createTenant,
  createUnit,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { runInvoicesForTenant } from "@/server/rent-invoices/invoice-run";
import { issueContractInvoice, type RunTenant } from "@/server/rent-invoices/contract-invoice";
import {
  deliverSoon,
  deliveryQueueState,
  flushDeliveries,
  pauseDeliveries,
  queueMessage,
  resetDeliveryStats,
  resumeDeliveries,
} from "@/server/notifications/queue";
import { MessageRetryService } from "@/server/notifications/message-retry.jobs";
import { SENDING_LEASE_MS } from "@/server/notifications/sender";
import { createTranslator } from "@/lib/i18n";
import { startVendorStub, type VendorStub } from "@/server/testing/stubs";

const NOW = new Date("2026-03-01T03:00:00Z"); // 10:00 in Phnom Penh
const MID = new Date("2026-03-15T03:00:00Z");

let stub: VendorStub;

// every statement this process sends through node-postgres (Prisma's driver adapter included) while recording
let recording: string[] | null = null;
type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const originalQuery = pg.Client.prototype.query as unknown as QueryFn;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === "string" ? first : (first as { text?: string } | null)?.text;
  if (recording && typeof text === "string") recording.push(text);
  return originalQuery.apply(this, args);
};

/** The statements `fn` sent, less transaction control and the tenant's set_config (the bench counts them the same way). */
async function workStatementsOf<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  recording = [];
  try {
    const result = await fn();
    return {
      result,
      statements: recording.filter(
        (s) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|DEALLOCATE)\b/i.test(s) && !/set_config\('app\./.test(s),
      ),
    };
  } finally {
    recording = null;
  }
}

beforeAll(async () => {
  stub = await startVendorStub();
  process.env.RESEND_API_KEY = "re_test_key";
  process.env.RESEND_BASE_URL = stub.url;
  validateEnv();
});

afterEach(async () => {
  resumeDeliveries();
  await flushDeliveries();
});

afterAll(async () => {
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  validateEnv();
  await stub?.close();
});

/** As the superuser: `n` units, renters (every `emailEvery`-th with an e-mail) and active contracts billed on the 1st, set-based. */
async function fillWorkspace(tenantId: string, n: number, emailEvery: number): Promise<void> {
  const su = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await su.connect();
  try {
    await su.query("BEGIN");
    const {
      rows: [property],
    } = await su.query<{ id: string }>(
      `INSERT INTO "Property" ("id", "tenantId", "name", "address", "type", "updatedAt")
       VALUES (uuidv7(), $1, 'Scale building', 'Street 1, Phnom Penh', 'apartment_building', now()) RETURNING id`,
      [tenantId],
    );
    await su.query(
      `INSERT INTO "Unit" ("id", "tenantId", "propertyId", "code", "floor", "baseRent", "currency", "status", "updatedAt")
       SELECT uuidv7(), $1, $2, 'S' || lpad(u::text, 5, '0'), 1, 10000 + u, 'USD', 'occupied', now() FROM generate_series(1, $3::int) AS u`,
      [tenantId, property!.id, n],
    );
    await su.query(
      `INSERT INTO "Renter" ("id", "tenantId", "nameKm", "nameLatin", "phone", "email", "locale", "updatedAt")
       SELECT uuidv7(), u."tenantId", 'អ្នកជួល ' || u.code, 'Renter ' || u.code, '+85512' || lpad(right(u.code, 5), 6, '0'),
              CASE WHEN right(u.code, 5)::int % $2::int = 0 THEN 'renter.' || lower(u.code) || '.' || left(u."tenantId"::text, 8) || '@example.test' END,
              'en', now()
       FROM "Unit" u WHERE u."tenantId" = $1`,
      [tenantId, emailEvery],
    );
    await su.query(
      `INSERT INTO "Contract" ("id", "tenantId", "unitId", "renterId", "status", "activeUnitId", "startDate", "rentAmount", "currency",
                               "depositAmount", "billingDay", "dueDays", "activatedAt", "updatedAt")
       SELECT uuidv7(), u."tenantId", u.id, r.id, 'active', u.id, DATE '2026-01-01', u."baseRent", 'USD', 0, 1, 5, TIMESTAMP '2026-01-01', now()
       FROM "Unit" u JOIN "Renter" r ON r."tenantId" = u."tenantId" AND r."nameLatin" = 'Renter ' || u.code
       WHERE u."tenantId" = $1 ORDER BY u.code`,
      [tenantId],
    );
    await su.query("COMMIT");
  } finally {
    await su.end();
  }
}

async function tenantWith(prefix: string): Promise<CreatedTenant> {
  return createTenant({ slug: uniqueSlug(prefix), name: `Scale ${prefix}` });
}

async function invoicesOf(tenantId: string) {
  return new TenantDb(tenantId).run((tx) =>
    tx.rentInvoice.findMany({ include: { lines: { orderBy: { position: "asc" } } }, orderBy: { number: "asc" } }),
  );
}

describe("the monthly run at scale", () => {
  it("bills 2,000 contracts in a few statements per chunk, starts no delivery, and its messages then leave a few at a time", async () => {
    const t = await tenantWith("scale");
    await fillWorkspace(t.tenantId, 2_000, 20); // 100 renters with an e-mail address
    pauseDeliveries();
    const { result: r, statements } = await workStatementsOf(() =>
      runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW }),
    );
    expect(r).toMatchObject({ total: 2_000, issued: 2_000, skipped: 0, failed: 0 });
    expect(r.runId).not.toBeNull();
    // the per-contract run sent ~18 statements per contract (36,000 here)
    expect(statements.length).toBeLessThan(2_000 / 5);

    const db = new TenantDb(t.tenantId);
    const invoices = await db.run((tx) =>
      tx.rentInvoice.findMany({ select: { number: true, contractId: true }, orderBy: { number: "asc" } }),
    );
    expect(invoices).toHaveLength(2_000);
    expect(new Set(invoices.map((i) => i.contractId)).size).toBe(2_000);
    expect(invoices.map((i) => i.number)).toEqual(Array.from({ length: 2_000 }, (_, i) => `R-2026-${String(i + 1).padStart(6, "0")}`));
    expect(await db.run((tx) => tx.rentInvoiceLine.count())).toBe(2_000);
    expect(await db.run((tx) => tx.auditLog.count({ where: { action: "rent.invoice.issued" } }))).toBe(2_000);
    expect(await db.run((tx) => tx.invoiceRun.findUniqueOrThrow({ where: { id: r.runId! } }))).toMatchObject({
      status: "done",
      issued: 2_000,
    });

    // the run sent nothing itself: its 100 messages are queued (each with its outbox event) and handed to the queue
    const messages = await db.run((tx) =>
      tx.outboundMessage.findMany({
        where: { dedupeKey: { startsWith: "rent-invoice-issued:" } },
        select: { id: true, status: true, attempts: true },
      }),
    );
    expect(messages).toHaveLength(100);
    expect(messages.every((m) => m.status === "queued" && m.attempts === 0)).toBe(true);
    expect(await db.run((tx) => tx.outboxEvent.count({ where: { tenantId: t.tenantId, name: "notifications/message.queued" } }))).toBe(100);
    expect(deliveryQueueState()).toMatchObject({ active: 0, pending: 100 });

    // released: never more than the queue's concurrency sending at once
    resetDeliveryStats();
    let mostSending = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const sending = await db.run((tx) => tx.outboundMessage.count({ where: { status: "sending" } }));
        mostSending = Math.max(mostSending, sending);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    resumeDeliveries();
    await flushDeliveries();
    sampling = false;
    await sampler;
    const { maxActive, concurrency } = deliveryQueueState();
    expect(concurrency).toBeLessThanOrEqual(4);
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(concurrency);
    expect(mostSending).toBeLessThanOrEqual(concurrency);
    const after = await db.run((tx) => tx.outboundMessage.groupBy({ by: ["status"], _count: true }));
    expect(after).toEqual([{ status: "sent", _count: 100 }]);
  }, 300_000);

  it("a crash inside a chunk loses and doubles nothing: the rerun bills the rest, each contract once, numbers contiguous", async () => {
    const t = await tenantWith("crash");
    await fillWorkspace(t.tenantId, 90, 3);
    const db = new TenantDb(t.tenantId);
    const runId = (
      await db.run((tx) =>
        tx.invoiceRun.create({ data: { tenantId: t.tenantId, runDate: "2026-03-01", trigger: "manual", status: "running" } }),
      )
    ).id;
    const crash = new Error("process killed");
    await expect(
      runInvoicesForTenant(t.tenantId, {
        date: "2026-03-01",
        trigger: "manual",
        runId,
        now: NOW,
        chunkSize: 25,
        onChunkWritten: (k) => {
          if (k === 2) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    // chunks 0 and 1 are committed with their progress; chunk 2 rolled back whole
    expect(await db.run((tx) => tx.rentInvoice.count())).toBe(50);
    expect(await db.run((tx) => tx.invoiceRun.findUniqueOrThrow({ where: { id: runId } }))).toMatchObject({
      status: "failed",
      total: 90,
      processed: 50,
      issued: 50,
    });

    const rerun = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW, chunkSize: 25 });
    expect(rerun).toMatchObject({ total: 40, issued: 40, skipped: 0, failed: 0 });
    const again = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW, chunkSize: 25 });
    expect(again.total).toBe(0);

    const invoices = await invoicesOf(t.tenantId);
    expect(invoices).toHaveLength(90);
    expect(new Set(invoices.map((i) => i.contractId)).size).toBe(90);
    expect(invoices.map((i) => i.number)).toEqual(Array.from({ length: 90 }, (_, i) => `R-2026-${String(i + 1).padStart(6, "0")}`));
    expect(invoices.every((i) => i.lines.length === 1)).toBe(true);
    // one e-mail per invoice whose renter has an address, and one audit row per invoice
    const withEmail = await db.run((tx) => tx.renter.count({ where: { email: { not: null } } }));
    const messages = await db.run((tx) => tx.outboundMessage.findMany({ select: { dedupeKey: true } }));
    expect(messages).toHaveLength(withEmail);
    expect(new Set(messages.map((m) => m.dedupeKey)).size).toBe(withEmail);
    expect(await db.run((tx) => tx.auditLog.count({ where: { action: "rent.invoice.issued" } }))).toBe(90);
  }, 120_000);
});

describe("the chunked run's invoices are the per-contract path's", () => {
  /** The same contracts, units, renters, readings and charges in a workspace; returns the contract ids in creation order. */
  async function shapes(t: CreatedTenant): Promise<string[]> {
    const tenantId = t.tenantId;
    const p = await createProperty({ tenantId });
    const ids: string[] = [];
    const unit = async (code: string, currency: "USD" | "KHR" = "USD") =>
      (await createUnit({ tenantId, propertyId: p.id, code, currency })).id;
    const renter = async (email: string | null, locale: "en" | "km") =>
      (
        await createRenter({
          tenantId,
          nameKm: `អ្នកជួល ${email ?? "គ្មាន"}`,
          nameLatin: `Renter ${email ?? "none"}`,
          phone: "+85512345678",
          email: email ? `${email}-${t.slug}@example.test` : null,
          locale,
        })
      ).id;
    const reading = (unitId: string, kind: "electricity" | "water", period: string, value: number) =>
      new TenantDb(tenantId).run((tx) => tx.meterReading.create({ data: { tenantId, unitId, kind, period, reading: value } }));
    const charge = (contractId: string, kind: "late_fee" | "other", description: string, amount: number, currency = "USD") =>
      new TenantDb(tenantId).run((tx) => tx.rentCharge.create({ data: { tenantId, contractId, kind, description, amount, currency } }));

    // utilities, recurring charge, a one-off charge, partial credit, e-mail in English
    const u1 = await unit("A-101");
    const c1 = await createContract({
      tenantId,
      unitId: u1,
      renterId: await renter("utilities", "en"),
      status: "active",
      startDate: "2026-01-01",
      rentAmount: 20_000,
      dueDays: 5,
      electricityRate: 25,
      waterRate: 50,
      recurringCharges: [{ description: "Parking", amount: 1_000 }],
      creditBalance: 3_000,
    });
    await reading(u1, "electricity", "2026-02", 1_200);
    await reading(u1, "electricity", "2026-03", 1_340);
    await reading(u1, "water", "2026-02", 40);
    await reading(u1, "water", "2026-03", 46);
    await charge(c1.id, "other", "Key copy", 500);
    ids.push(c1.id);
    // a late fee of last month, e-mail in Khmer
    const c2 = await createContract({
      tenantId,
      unitId: await unit("A-102"),
      renterId: await renter("late", "km"),
      status: "active",
      startDate: "2026-01-01",
      rentAmount: 15_000,
      lateFeeType: "percent",
      lateFeeValue: 500,
    });
    await charge(c2.id, "late_fee", "Late fee R-2026-000009", 750);
    ids.push(c2.id);
    // KHR, credit covering everything: paid, no e-mail
    const c3 = await createContract({
      tenantId,
      unitId: await unit("B-201", "KHR"),
      renterId: await renter("khr", "km"),
      status: "active",
      startDate: "2026-01-01",
      currency: "KHR",
      rentAmount: 1_200_000,
      creditBalance: 2_000_000,
    });
    await charge(c3.id, "other", "USD charge stays for a USD invoice", 900, "USD");
    ids.push(c3.id);
    // KHR without e-mail, first reading of a meter only (no utility line)
    const u4 = await unit("B-202", "KHR");
    const c4 = await createContract({
      tenantId,
      unitId: u4,
      renterId: await renter(null, "km"),
      status: "active",
      startDate: "2026-01-01",
      currency: "KHR",
      rentAmount: 800_000,
      electricityRate: 1_000,
    });
    await reading(u4, "electricity", "2026-03", 500);
    ids.push(c4.id);
    // missing reading: waits
    const c5 = await createContract({
      tenantId,
      unitId: await unit("C-301"),
      renterId: await renter("missing", "en"),
      status: "active",
      startDate: "2026-01-01",
      waterRate: 100,
    });
    ids.push(c5.id);
    // reading decreased: waits
    const u6 = await unit("C-302");
    const c6 = await createContract({
      tenantId,
      unitId: u6,
      renterId: await renter("decreased", "en"),
      status: "active",
      startDate: "2026-01-01",
      electricityRate: 30,
    });
    await reading(u6, "electricity", "2026-02", 900);
    await reading(u6, "electricity", "2026-03", 800);
    ids.push(c6.id);
    // billed mid-month (day 15), long due days
    const c7 = await createContract({
      tenantId,
      unitId: await unit("D-401"),
      renterId: await renter("mid", "en"),
      status: "active",
      startDate: "2026-01-01",
      billingDay: 15,
      dueDays: 10,
      rentAmount: 33_300,
    });
    ids.push(c7.id);
    return ids;
  }

  /** What an invoice is, without the ids and tokens that differ between workspaces by construction. */
  async function content(t: CreatedTenant, contracts: string[]) {
    const db = new TenantDb(t.tenantId);
    return db.run(async (tx) => {
      const charges = await tx.rentCharge.findMany({ orderBy: { createdAt: "asc" } });
      const chargeIx = (id: unknown) => charges.findIndex((c) => c.id === id);
      const invoices = await tx.rentInvoice.findMany({ include: { lines: { orderBy: { position: "asc" } } }, orderBy: { number: "asc" } });
      const invIx = (id: string | null) => invoices.findIndex((i) => i.id === id);
      const audits = await tx.auditLog.findMany({ where: { action: "rent.invoice.issued" } });
      const messages = await tx.outboundMessage.findMany({ where: { dedupeKey: { startsWith: "rent-invoice-issued:" } } });
      const contractRows = await tx.contract.findMany({ select: { id: true, creditBalance: true } });
      return {
        invoices: invoices.map((i) => ({
          contract: contracts.indexOf(i.contractId),
          number: i.number,
          period: i.period,
          status: i.status,
          currency: i.currency,
          total: i.total,
          amountPaid: i.amountPaid,
          creditApplied: i.creditApplied,
          issuedAt: i.issuedAt,
          dueDate: i.dueDate,
          paidAt: i.paidAt,
          runId: i.runId,
          payToken: /^[A-Za-z0-9_-]{43}$/.test(i.payToken ?? ""),
          lines: i.lines.map((l) => ({
            kind: l.kind,
            description: l.description,
            quantity: l.quantity,
            unitAmount: l.unitAmount,
            amount: l.amount,
            position: l.position,
            meta:
              l.meta && typeof l.meta === "object" && "chargeId" in l.meta
                ? { chargeId: chargeIx((l.meta as { chargeId: string }).chargeId) }
                : l.meta,
          })),
          audit: audits
            .filter((a) => a.targetId === i.id)
            .map((a) => ({
              actorUserId: a.actorUserId,
              actorEmail: a.actorEmail,
              targetType: a.targetType,
              ip: a.ip,
              requestId: a.requestId,
              metadata: { ...(a.metadata as object), contractId: contracts.indexOf((a.metadata as { contractId: string }).contractId) },
            })),
          messages: messages
            .filter((m) => m.dedupeKey === `rent-invoice-issued:${i.id}`)
            .map((m) => ({
              key: m.key,
              locale: m.locale,
              to: m.to.replace(t.slug, "<slug>"),
              status: m.status,
              variables: Object.fromEntries(
                Object.entries(m.variables as Record<string, string>).map(([k, v]) => [
                  k,
                  k === "payLink" ? v.replace(t.slug, "<slug>").replace(i.payToken!, "<token>") : v,
                ]),
              ),
            })),
        })),
        charges: charges.map((c) => ({ description: c.description, billedOn: invIx(c.billedInvoiceId) })),
        credit: contracts.map((id) => contractRows.find((c) => c.id === id)!.creditBalance),
      };
    });
  }

  it("for utilities, late fees, credit, KHR and USD, skips and a mid-month billing day", async () => {
    const a = await createTenant({ slug: uniqueSlug("same"), name: "Same Rentals" });
    const b = await createTenant({ slug: uniqueSlug("same"), name: "Same Rentals" });
    const ca = await shapes(a);
    const cb = await shapes(b);
    pauseDeliveries();

    // a: the per-contract path (what the run did before chunks), in contract id order, each in its own transaction
    const tenantA = (await getDb().tenant.findUniqueOrThrow({
      where: { id: a.tenantId },
      select: { id: true, slug: true, name: true, locale: true, timezone: true },
    })) as RunTenant;
    const t = createTranslator(tenantA.locale === "en" ? "en" : "km");
    const skippedA: string[] = [];
    for (const [date, now, due] of [
      ["2026-03-01", NOW, [0, 1, 2, 3, 4, 5]],
      ["2026-03-15", MID, [4, 5, 6]],
    ] as const) {
      for (const ix of [...due].sort((x, y) => (ca[x]! < ca[y]! ? -1 : 1))) {
        try {
          const issued = await new TenantDb(a.tenantId).run((tx) =>
            issueContractInvoice(tx, tenantA, ca[ix]!, "2026-03", { date, trigger: "job", now }, now, t),
          );
          // an invoice issued without a utility (no reading the month before) is reported too
          for (const _kind of issued.withoutUtilities) skippedA.push(`${date}:${ix}:no_opening_reading`);
        } catch (e) {
          skippedA.push(`${date}:${ix}:${(e as { reason?: string }).reason}`);
        }
      }
    }

    // b: the chunked run (its chunks, not the contract-by-contract fallback)
    const warn = vi.spyOn(logger, "warn");
    const skippedB: string[] = [];
    for (const [date, now] of [
      ["2026-03-01", NOW],
      ["2026-03-15", MID],
    ] as const) {
      const r = await runInvoicesForTenant(b.tenantId, { date, trigger: "job", now, chunkSize: 3 });
      expect(r.failed).toBe(0);
      for (const e of r.entries) skippedB.push(`${date}:${cb.indexOf(e.contractId)}:${e.reason}`);
    }

    expect(warn.mock.calls.filter((c) => String(c[1]).includes("chunk failed"))).toEqual([]);
    warn.mockRestore();
    expect(skippedB.sort()).toEqual(skippedA.sort());
    expect(skippedB).toEqual(
      expect.arrayContaining(["2026-03-01:4:missing_reading", "2026-03-01:5:reading_decreased", "2026-03-15:4:missing_reading"]),
    );
    const A = await content(a, ca);
    const B = await content(b, cb);
    expect(A.invoices).toHaveLength(5);
    expect(B).toEqual(A);
    // and the shapes are what they claim to be
    const byContract = (ix: number) => B.invoices.find((i) => i.contract === ix)!;
    expect(byContract(0).lines.map((l) => l.kind)).toEqual(["rent", "electricity", "water", "charge", "charge"]);
    expect(byContract(1).lines.map((l) => l.kind)).toEqual(["rent", "late_fee"]);
    expect(byContract(2)).toMatchObject({ currency: "KHR", status: "paid", messages: [] });
    expect(byContract(6)).toMatchObject({ dueDate: new Date("2026-03-25T00:00:00Z") });
    expect(B.invoices.some((i) => i.messages.length === 1 && i.messages[0]!.locale === "km")).toBe(true);
  }, 120_000);
});

describe("in-process deliveries", () => {
  it("leave at most the queue's concurrency at a time; a `sending` row past its lease goes back to queued", async () => {
    const t = await tenantWith("drain");
    const db = new TenantDb(t.tenantId);
    const ids: string[] = [];
    await db.run(async (tx) => {
      for (let i = 0; i < 16; i++) {
        const { id } = await queueMessage(tx, {
          tenantId: t.tenantId,
          key: "rent.invoice_issued",
          to: `drain-${i}-${t.slug}@example.test`,
          locale: "en",
          dedupeKey: `drain-test:${i}`,
          variables: { workspace: "W", renter: "R", number: `N${i}`, amount: "$1.00", due: "1 Mar 2026", payLink: "http://x.test/pay/t" },
        });
        ids.push(id);
      }
    });
    resetDeliveryStats();
    deliverSoon(ids);
    expect(deliveryQueueState().active).toBeLessThanOrEqual(4);
    await flushDeliveries();
    expect(deliveryQueueState().maxActive).toBeLessThanOrEqual(4);
    const statuses = await db.run((tx) => tx.outboundMessage.findMany({ where: { id: { in: ids } }, select: { status: true } }));
    expect(statuses.every((s) => s.status === "sent")).toBe(true);

    // a sender died mid-send: one claim whose lease ran out, one still leased
    const [stuck, leased] = await db.run(async (tx) => {
      const make = async (i: number, leaseEnds: Date) =>
        (
          await tx.outboundMessage.create({
            data: {
              tenantId: t.tenantId,
              key: "rent.invoice_issued",
              locale: "en",
              to: `lease-${i}-${t.slug}@example.test`,
              dedupeKey: `lease-test:${i}`,
              variables: {},
              status: "sending",
              attempts: 1,
              nextAttemptAt: leaseEnds,
            },
          })
        ).id;
      return [await make(1, new Date(NOW.getTime() - 1)), await make(2, new Date(NOW.getTime() + SENDING_LEASE_MS))];
    });
    const released = await new MessageRetryService(() => NOW).releaseExpiredLeases();
    expect(released).toBeGreaterThanOrEqual(1);
    const rows = await db.run((tx) => tx.outboundMessage.findMany({ where: { id: { in: [stuck!, leased!] } } }));
    expect(rows.find((r) => r.id === stuck)).toMatchObject({ status: "queued", attempts: 1 });
    expect(rows.find((r) => r.id === leased)).toMatchObject({ status: "sending", attempts: 1 });
  }, 60_000);
});
