// The rent invoice engine against the real database: the run (rent, utilities from readings,
// recurring charges, unbilled charges, contract credit, missing readings skipped and caught up),
// two concurrent runs (each invoice once, numbers gap-free), the overdue job (overdue after grace,
// one late fee, one overdue notice, idempotent), reminders once per offset, and the
// rentInvoices router (list filters, get, void rules, manual run with progress, permissions).
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import {
  addMember,
  createContract,
  createProperty,
  createRenter,
  createTenant,
  createUnit,
  setSubscription,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { isReadOnlyWorkspace, runInvoicesForTenant } from "@/server/rent-invoices/invoice-run";
import { runOverdueForTenant } from "@/server/rent-invoices/rent-overdue";
import { settleBackgroundRuns } from "@/server/rent-invoices/rent-invoice-service";
import { settleKhqrPayment } from "@/server/payments/settlement";
import { flushDeliveries } from "@/server/notifications/queue";
import { invoiceFiltersFromSearchParams } from "@/lib/schemas/rent-invoices";
import { previousPeriod } from "@/lib/dates";
import { lateFeeAmount } from "@/lib/rentals/rent-periods";
import { renderRentPdf } from "@/server/pdf/rent-pdf";
import { RentInvoiceService } from "@/server/rent-invoices/rent-invoice-service";
import { buildTenantContext } from "@/server/core/tenant-context";
import { resolveHostScope } from "@/server/core/host-scope";
import { PORT, expectTRPCError, hostOf, signedIn, testMeta } from "./support/world";

const NOW = new Date("2026-03-01T03:00:00Z"); // 10:00 in Phnom Penh

async function tenantWithProperty(): Promise<{ t: CreatedTenant; propertyId: string }> {
  const t = await createTenant({ slug: uniqueSlug("inv") });
  const p = await createProperty({ tenantId: t.tenantId });
  return { t, propertyId: p.id };
}

async function reading(tenantId: string, unitId: string, kind: "electricity" | "water", period: string, value: number) {
  await new TenantDb(tenantId).run((tx) => tx.meterReading.create({ data: { tenantId, unitId, kind, period, reading: value } }));
}

async function invoicesOf(tenantId: string) {
  return new TenantDb(tenantId).run((tx) =>
    tx.rentInvoice.findMany({ include: { lines: { orderBy: { position: "asc" } } }, orderBy: { number: "asc" } }),
  );
}

async function messages(tenantId: string, prefix: string) {
  return new TenantDb(tenantId).run((tx) => tx.outboundMessage.findMany({ where: { dedupeKey: { startsWith: prefix } } }));
}

describe("invoice run", () => {
  it("bills rent, utilities from readings, recurring and unbilled charges, then the contract's credit", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const unit = await createUnit({ tenantId: t.tenantId, propertyId, code: "A-101" });
    const renter = await createRenter({ tenantId: t.tenantId, email: `renter-${t.slug}@example.test`, locale: "en" });
    const contract = await createContract({
      tenantId: t.tenantId,
      unitId: unit.id,
      renterId: renter.id,
      status: "active",
      startDate: "2026-01-01",
      rentAmount: 20_000,
      billingDay: 1,
      dueDays: 5,
      electricityRate: 25, // $0.25 per kWh
      waterRate: 50,
      recurringCharges: [{ description: "Parking", amount: 1_000 }],
      creditBalance: 3_000,
    });
    await reading(t.tenantId, unit.id, "electricity", "2026-02", 1_200);
    await reading(t.tenantId, unit.id, "electricity", "2026-03", 1_340);
    await reading(t.tenantId, unit.id, "water", "2026-02", 40);
    await reading(t.tenantId, unit.id, "water", "2026-03", 46);
    const charge = await new TenantDb(t.tenantId).run((tx) =>
      tx.rentCharge.create({
        data: { tenantId: t.tenantId, contractId: contract.id, kind: "other", description: "Key copy", amount: 500, currency: "USD" },
      }),
    );

    const r = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    expect(r).toMatchObject({ period: "2026-03", total: 1, issued: 1, skipped: 0, failed: 0 });
    expect(r.runId).not.toBeNull(); // an unattended run that issued something leaves a row

    const [inv] = await invoicesOf(t.tenantId);
    expect(inv).toBeDefined();
    expect(inv!.number).toBe("R-2026-000001");
    expect(inv!.period).toBe("2026-03");
    expect(inv!.dueDate.toISOString().slice(0, 10)).toBe("2026-03-06");
    expect(inv!.payToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(inv!.lines.map((l) => [l.kind, l.quantity, l.unitAmount, l.amount])).toEqual([
      ["rent", 1, 20_000, 20_000],
      ["electricity", 140, 25, 3_500],
      ["water", 6, 50, 300],
      ["charge", 1, 1_000, 1_000],
      ["charge", 1, 500, 500],
    ]);
    expect(inv!.lines[3]!.description).toBe("Parking");
    expect(inv!.total).toBe(25_300);
    expect(inv!.creditApplied).toBe(3_000);
    expect(inv!.amountPaid).toBe(3_000);
    expect(inv!.status).toBe("partially_paid");

    await new TenantDb(t.tenantId).run(async (tx) => {
      expect((await tx.contract.findUniqueOrThrow({ where: { id: contract.id } })).creditBalance).toBe(0);
      expect((await tx.rentCharge.findUniqueOrThrow({ where: { id: charge.id } })).billedInvoiceId).toBe(inv!.id);
      const audit = await tx.auditLog.findFirst({ where: { action: "rent.invoice.issued", targetId: inv!.id } });
      expect(audit).not.toBeNull();
    });
    // the renter is told, once, in English, with the pay link
    const issued = await messages(t.tenantId, "rent-invoice-issued:");
    expect(issued).toHaveLength(1);
    expect(issued[0]!.locale).toBe("en");
    expect((issued[0]!.variables as Record<string, string>).payLink).toContain(`/pay/${inv!.payToken}`);
    expect((issued[0]!.variables as Record<string, string>).number).toBe("R-2026-000001");
    // the e-mail asks for what is left after the credit: 253.00 − 30.00
    expect((issued[0]!.variables as Record<string, string>).amount).toBe("$223.00");

    // a second run of the same day bills nothing again
    const again = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    expect(again.total).toBe(0);
    expect(await invoicesOf(t.tenantId)).toHaveLength(1);
    await flushDeliveries();
  });

  it("credit larger than the invoice pays it in full and keeps the rest", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const c = await createContract({
      tenantId: t.tenantId,
      propertyId,
      status: "active",
      startDate: "2026-01-01",
      rentAmount: 10_000,
      creditBalance: 15_000,
    });
    await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    const [inv] = await invoicesOf(t.tenantId);
    expect(inv).toMatchObject({ status: "paid", amountPaid: 10_000, creditApplied: 10_000 });
    expect(inv!.paidAt).not.toBeNull();
    const after = await new TenantDb(t.tenantId).run((tx) => tx.contract.findUniqueOrThrow({ where: { id: c.id } }));
    expect(after.creditBalance).toBe(5_000);
  });

  it("waits for a missing reading, skips the first month of a meter, respects billing day and contract dates", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const metered = await createContract({
      tenantId: t.tenantId,
      propertyId,
      status: "active",
      startDate: "2026-01-01",
      electricityRate: 30,
    });
    const firstMonth = await createContract({ tenantId: t.tenantId, propertyId, status: "active", startDate: "2026-01-01", waterRate: 40 });
    const later = await createContract({ tenantId: t.tenantId, propertyId, status: "active", startDate: "2026-01-01", billingDay: 15 });
    const draft = await createContract({ tenantId: t.tenantId, propertyId, status: "draft", startDate: "2026-01-01" });
    const future = await createContract({ tenantId: t.tenantId, propertyId, status: "active", startDate: "2026-04-01" });
    await reading(t.tenantId, firstMonth.unitId, "water", "2026-03", 10); // no February reading

    const r1 = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    expect(r1.issued).toBe(1);
    expect(r1.skipped).toBe(1);
    expect(r1.entries).toEqual([
      expect.objectContaining({ contractId: metered.id, reason: "missing_reading", kind: "electricity" }),
      // issued without its water line, and the run says so (issue 17)
      expect.objectContaining({ contractId: firstMonth.id, reason: "no_opening_reading", kind: "water" }),
    ]);
    let invoices = await invoicesOf(t.tenantId);
    expect(invoices.map((i) => i.contractId)).toEqual([firstMonth.id]);
    expect(invoices[0]!.lines.map((l) => l.kind)).toEqual(["rent"]); // no previous reading → no water line
    const run1 = await new TenantDb(t.tenantId).run((tx) => tx.invoiceRun.findUniqueOrThrow({ where: { id: r1.runId! } }));
    expect(run1).toMatchObject({ status: "done", issued: 1, skipped: 1, runDate: "2026-03-01" });

    // the reading arrives; the next (hourly) run catches up, and on the 15th the other contract is billed
    await reading(t.tenantId, metered.unitId, "electricity", "2026-02", 500);
    await reading(t.tenantId, metered.unitId, "electricity", "2026-03", 520);
    const r2 = await runInvoicesForTenant(t.tenantId, { date: "2026-03-02", trigger: "job", now: NOW });
    expect(r2).toMatchObject({ issued: 1, skipped: 0 });
    const r3 = await runInvoicesForTenant(t.tenantId, { date: "2026-03-15", trigger: "job", now: NOW });
    expect(r3).toMatchObject({ issued: 1, skipped: 0 });
    invoices = await invoicesOf(t.tenantId);
    expect(invoices.map((i) => i.contractId).sort()).toEqual([firstMonth.id, metered.id, later.id].sort());
    expect(invoices.map((i) => i.number)).toEqual(["R-2026-000001", "R-2026-000002", "R-2026-000003"]);
    const meteredInv = invoices.find((i) => i.contractId === metered.id)!;
    expect(meteredInv.lines.find((l) => l.kind === "electricity")).toMatchObject({ quantity: 20, unitAmount: 30, amount: 600 });
    expect(invoices.some((i) => i.contractId === draft.id || i.contractId === future.id)).toBe(false);
  });

  it("two concurrent runs bill each contract once, with gap-free numbers", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const contracts = [];
    for (let i = 0; i < 6; i++) {
      contracts.push(
        await createContract({ tenantId: t.tenantId, propertyId, status: "active", startDate: "2026-01-01", rentAmount: 10_000 + i }),
      );
    }
    const [a, b] = await Promise.all([
      runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW }),
      runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW }),
    ]);
    expect(a.issued + b.issued).toBe(6);
    expect(a.failed + b.failed).toBe(0);
    // whatever one run billed, the other skipped as already invoiced
    for (const e of [...a.entries, ...b.entries]) expect(e.reason).toBe("already_invoiced");
    const invoices = await invoicesOf(t.tenantId);
    expect(invoices).toHaveLength(6);
    expect(new Set(invoices.map((i) => i.contractId)).size).toBe(6);
    expect(invoices.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `R-2026-${String(n).padStart(6, "0")}`));
    // the numbering is per tenant: another tenant starts at 1
    const other = await tenantWithProperty();
    await createContract({ tenantId: other.t.tenantId, propertyId: other.propertyId, status: "active", startDate: "2026-01-01" });
    await runInvoicesForTenant(other.t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    expect((await invoicesOf(other.t.tenantId)).map((i) => i.number)).toEqual(["R-2026-000001"]);
  });
});

describe("overdue job and reminders", () => {
  it("marks overdue after the grace days, charges one late fee, sends one notice; a re-run changes nothing", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const renter = await createRenter({ tenantId: t.tenantId, email: `late-${t.slug}@example.test` });
    const c = await createContract({
      tenantId: t.tenantId,
      propertyId,
      renterId: renter.id,
      status: "active",
      startDate: "2026-01-01",
      rentAmount: 20_000,
      dueDays: 5,
      lateFeeType: "percent",
      lateFeeValue: 500, // 5 %
      lateFeeGraceDays: 2,
    });
    await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW }); // due 2026-03-06
    const [inv] = await invoicesOf(t.tenantId);

    // within the grace days: nothing
    expect(await runOverdueForTenant(t.tenantId, { date: "2026-03-08", now: NOW })).toMatchObject({ markedOverdue: 0, lateFees: 0 });
    const first = await runOverdueForTenant(t.tenantId, { date: "2026-03-09", now: NOW });
    expect(first).toMatchObject({ markedOverdue: 1, lateFees: 1, overdueNotices: 1, errors: 0 });
    const second = await runOverdueForTenant(t.tenantId, { date: "2026-03-09", now: NOW });
    expect(second).toMatchObject({ markedOverdue: 0, lateFees: 0, overdueNotices: 0 });
    await runOverdueForTenant(t.tenantId, { date: "2026-03-10", now: NOW });

    await new TenantDb(t.tenantId).run(async (tx) => {
      const after = await tx.rentInvoice.findUniqueOrThrow({ where: { id: inv!.id } });
      expect(after.status).toBe("overdue");
      expect(after.overdueAt).not.toBeNull();
      const fees = await tx.rentCharge.findMany({ where: { contractId: c.id } });
      expect(fees).toHaveLength(1);
      expect(fees[0]).toMatchObject({ kind: "late_fee", amount: 1_000, lateFeeForId: inv!.id, billedInvoiceId: null });
    });
    expect(await messages(t.tenantId, `rent-overdue:${inv!.id}`)).toHaveLength(1);

    // the late fee goes on the next month's invoice
    await runInvoicesForTenant(t.tenantId, { date: "2026-04-01", trigger: "job", now: new Date("2026-04-01T03:00:00Z") });
    const april = (await invoicesOf(t.tenantId)).find((i) => i.period === "2026-04")!;
    expect(april.lines.map((l) => [l.kind, l.amount])).toEqual([
      ["rent", 20_000],
      ["late_fee", 1_000],
    ]);
    expect(april.total).toBe(21_000);
    await flushDeliveries();
  });

  it("a fixed late fee, and a paid invoice never goes overdue", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const c = await createContract({
      tenantId: t.tenantId,
      propertyId,
      status: "active",
      startDate: "2026-01-01",
      lateFeeType: "fixed",
      lateFeeValue: 700,
    });
    const paid = await createContract({
      tenantId: t.tenantId,
      propertyId,
      status: "active",
      startDate: "2026-01-01",
      creditBalance: 100_000,
    });
    await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    const r = await runOverdueForTenant(t.tenantId, { date: "2026-03-20", now: NOW });
    expect(r).toMatchObject({ markedOverdue: 1, lateFees: 1 });
    const invoices = await invoicesOf(t.tenantId);
    expect(invoices.find((i) => i.contractId === paid.id)!.status).toBe("paid");
    const fees = await new TenantDb(t.tenantId).run((tx) => tx.rentCharge.findMany({ where: { contractId: c.id } }));
    expect(fees.map((f) => f.amount)).toEqual([700]);
    expect(lateFeeAmount({ type: "percent", value: 250 }, 19_999)).toBe(500);
    expect(previousPeriod("2026-01")).toBe("2025-12");
  });

  it("sends each reminder once, on the tenant's offsets", async () => {
    const { t, propertyId } = await tenantWithProperty();
    await getDb().tenant.update({ where: { id: t.tenantId }, data: { rentReminderDays: [-3, 1, 7] } });
    const renter = await createRenter({ tenantId: t.tenantId, email: `remind-${t.slug}@example.test`, locale: "km" });
    await createContract({
      tenantId: t.tenantId,
      propertyId,
      renterId: renter.id,
      status: "active",
      startDate: "2026-01-01",
      dueDays: 10,
      lateFeeGraceDays: 30,
    });
    await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW }); // due 2026-03-11
    const [inv] = await invoicesOf(t.tenantId);

    expect((await runOverdueForTenant(t.tenantId, { date: "2026-03-07", now: NOW })).reminders).toBe(0);
    expect((await runOverdueForTenant(t.tenantId, { date: "2026-03-08", now: NOW })).reminders).toBe(1); // D-3
    expect((await runOverdueForTenant(t.tenantId, { date: "2026-03-08", now: NOW })).reminders).toBe(0);
    expect((await runOverdueForTenant(t.tenantId, { date: "2026-03-09", now: NOW })).reminders).toBe(0); // caught up D-3 already sent
    expect((await runOverdueForTenant(t.tenantId, { date: "2026-03-12", now: NOW })).reminders).toBe(1); // D+1
    // the D+7 day was missed; the day after still sends it, once
    expect((await runOverdueForTenant(t.tenantId, { date: "2026-03-19", now: NOW })).reminders).toBe(1);
    expect((await runOverdueForTenant(t.tenantId, { date: "2026-03-20", now: NOW })).reminders).toBe(0);
    const sent = await messages(t.tenantId, `rent-reminder:${inv!.id}:`);
    expect(sent.map((m) => m.dedupeKey).sort()).toEqual([
      `rent-reminder:${inv!.id}:D+1`,
      `rent-reminder:${inv!.id}:D+7`,
      `rent-reminder:${inv!.id}:D-3`,
    ]);
    expect(sent.every((m) => m.locale === "km" && m.key === "rent.reminder")).toBe(true);
    await flushDeliveries();
  });
});

describe("rentInvoices router", () => {
  it("lists with URL filters, shows one invoice, voids only without money, releases its charges", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const otherProperty = await createProperty({ tenantId: t.tenantId });
    const c1 = await createContract({ tenantId: t.tenantId, propertyId, status: "active", startDate: "2026-01-01", rentAmount: 10_000 });
    const c2 = await createContract({
      tenantId: t.tenantId,
      propertyId: otherProperty.id,
      status: "active",
      startDate: "2026-01-01",
      currency: "KHR",
      rentAmount: 400_000,
    });
    await new TenantDb(t.tenantId).run((tx) =>
      tx.rentCharge.create({
        data: { tenantId: t.tenantId, contractId: c1.id, kind: "other", description: "Repair", amount: 2_000, currency: "USD" },
      }),
    );
    await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));

    const all = await owner.rentInvoices.list({});
    expect(all.items).toHaveLength(2);
    const usd = await owner.rentInvoices.list({ currency: "USD" });
    expect(usd.items.map((i) => i.contractId)).toEqual([c1.id]);
    const byProperty = await owner.rentInvoices.list({ propertyId: otherProperty.id });
    expect(byProperty.items.map((i) => i.contractId)).toEqual([c2.id]);
    expect((await owner.rentInvoices.list({ period: "2026-02" })).items).toHaveLength(0);
    expect((await owner.rentInvoices.list({ status: "issued", period: "2026-03" })).items).toHaveLength(2);
    const paged = await owner.rentInvoices.list({ limit: 1, sort: { id: "number", desc: false } });
    expect(paged.nextCursor).not.toBeNull();
    const page2 = await owner.rentInvoices.list({ limit: 1, sort: { id: "number", desc: false }, cursor: paged.nextCursor! });
    expect(page2.items[0]!.number > paged.items[0]!.number).toBe(true);
    expect(invoiceFiltersFromSearchParams({ status: "overdue", currency: "khr", period: "2026-13", propertyId: "nope" })).toEqual({
      status: "overdue",
      currency: "KHR",
    });

    const usdInvoice = usd.items[0]!;
    const detail = await owner.rentInvoices.get({ invoiceId: usdInvoice.id });
    expect(detail.lines.map((l) => l.kind)).toEqual(["rent", "charge"]);
    expect(detail.canVoid).toBe(true);

    // money received → void refused
    const khr = byProperty.items[0]!;
    await new TenantDb(t.tenantId).run((tx) =>
      tx.rentInvoice.update({ where: { id: khr.id }, data: { amountPaid: 1_000, status: "partially_paid" } }),
    );
    await expectTRPCError(owner.rentInvoices.void({ invoiceId: khr.id, reason: "wrong" }), "PRECONDITION_FAILED", {
      key: "invoices.errors.voidPaid",
    });

    // an open KHQR attempt (the pay page's, or the PDF's 30-day QR) does not block the void: it closes with it
    const attempt = await new TenantDb(t.tenantId).run((tx) =>
      tx.payment.create({
        data: {
          tenantId: t.tenantId,
          purpose: "rent",
          rentInvoiceId: usdInvoice.id,
          method: "khqr",
          status: "pending",
          amount: usdInvoice.total,
          currency: "USD",
          receivingAccount: "void@test",
          md5: randomBytes(16).toString("hex"),
          expiresAt: new Date(NOW.getTime() + 30 * 86_400_000),
        },
      }),
    );
    const voided = await owner.rentInvoices.void({ invoiceId: usdInvoice.id, reason: "Wrong rent amount" });
    expect(voided.status).toBe("void");
    // money that still arrives for the closed attempt is not applied to the void invoice (the inbox keeps it for review)
    const late = await new TenantDb(t.tenantId).run((tx) =>
      settleKhqrPayment(
        tx,
        attempt.id,
        {
          hash: randomBytes(16).toString("hex"),
          fromAccountId: "renter@test",
          toAccountId: "void@test",
          currency: "USD",
          amountMinor: usdInvoice.total,
        },
        { now: NOW, meta: testMeta(), source: "callback" },
      ),
    );
    expect(late).toMatchObject({ outcome: "not_payable", status: "failed" });
    await new TenantDb(t.tenantId).run(async (tx) => {
      expect(await tx.payment.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({
        status: "failed",
        failureReason: "invoice voided",
      });
      expect(await tx.rentInvoice.findUniqueOrThrow({ where: { id: usdInvoice.id } })).toMatchObject({ status: "void", amountPaid: 0 });
    });
    await new TenantDb(t.tenantId).run(async (tx) => {
      const inv = await tx.rentInvoice.findUniqueOrThrow({ where: { id: usdInvoice.id } });
      expect(inv).toMatchObject({ status: "void", voidReason: "Wrong rent amount", payToken: null });
      const charges = await tx.rentCharge.findMany({ where: { contractId: c1.id } });
      expect(charges.map((ch) => ch.billedInvoiceId)).toEqual([null]);
      expect(await tx.auditLog.count({ where: { action: "rent.invoice.voided", targetId: usdInvoice.id } })).toBe(1);
    });
    await expectTRPCError(owner.rentInvoices.void({ invoiceId: usdInvoice.id, reason: "again" }), "PRECONDITION_FAILED");

    // the voided month can be billed again (uniqueness ignores void invoices); the released charge comes along.
    // An hour later: at the same instant both invoices' issuedAt would tie and their order be the database's whim.
    const later = new Date(NOW.getTime() + 3_600_000);
    const rerun = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: later });
    expect(rerun.issued).toBe(1);
    await new TenantDb(t.tenantId).run(async (tx) => {
      const march = await tx.rentInvoice.findMany({ where: { contractId: c1.id, period: "2026-03" }, orderBy: { issuedAt: "asc" } });
      expect(march.map((i) => i.status)).toEqual(["void", "issued"]);
      expect(march[1]!.number).not.toBe(march[0]!.number);
      expect(march[1]!.total).toBe(march[0]!.total);
      // and only once: a second re-run issues nothing
      const again = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: later });
      expect(again.issued).toBe(0);
    });

    // a viewer reads but cannot void or run
    const viewer = await addMember(t, { email: `viewer-${t.slug}@example.test`, role: "viewer" });
    const asViewer = await signedIn(viewer.userId, hostOf(t.slug));
    expect((await asViewer.rentInvoices.list({})).items).toHaveLength(3);
    await expectTRPCError(asViewer.rentInvoices.void({ invoiceId: khr.id, reason: "x" }), "FORBIDDEN");
    await expectTRPCError(asViewer.rentInvoices.startRun({ propertyId }), "FORBIDDEN");
  });

  it("a manual run for a property reports progress to its InvoiceRun and refuses a second concurrent run", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const other = await createProperty({ tenantId: t.tenantId });
    for (let i = 0; i < 3; i++) await createContract({ tenantId: t.tenantId, propertyId, status: "active", startDate: "2026-01-01" });
    const outside = await createContract({ tenantId: t.tenantId, propertyId: other.id, status: "active", startDate: "2026-01-01" });
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));

    const [first, second] = await Promise.allSettled([
      owner.rentInvoices.startRun({ propertyId }),
      owner.rentInvoices.startRun({ propertyId }),
    ]);
    const ok = [first, second].filter((r) => r.status === "fulfilled");
    const refused = [first, second].filter((r) => r.status === "rejected");
    // one starts; the other is refused while it runs (or, if the first already finished, runs and bills nothing)
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    await settleBackgroundRuns();

    const { runId } = (ok[0] as PromiseFulfilledResult<{ runId: string }>).value;
    const run = await owner.rentInvoices.run({ runId });
    expect(run).toMatchObject({ status: "done", propertyId, trigger: "manual" });
    const runs = await owner.rentInvoices.runs({ propertyId });
    const issuedTotal = runs.reduce((s, r) => s + r.issued, 0);
    expect(issuedTotal).toBe(3);
    const invoices = await invoicesOf(t.tenantId);
    expect(invoices).toHaveLength(3);
    expect(invoices.some((i) => i.contractId === outside.id)).toBe(false);
    expect(invoices.every((i) => ok.some((o) => (o as PromiseFulfilledResult<{ runId: string }>).value.runId === i.runId))).toBe(true);

    // one run at a time per property: a running row blocks the next start
    await new TenantDb(t.tenantId).run((tx) =>
      tx.invoiceRun.create({ data: { tenantId: t.tenantId, propertyId, runDate: "2026-03-01", trigger: "manual", status: "running" } }),
    );
    await expectTRPCError(owner.rentInvoices.startRun({ propertyId }), "CONFLICT", { key: "invoices.errors.runInProgress" });
    // another property is free
    await owner.rentInvoices.startRun({ propertyId: other.id });
    await settleBackgroundRuns();
    expect((await invoicesOf(t.tenantId)).some((i) => i.contractId === outside.id)).toBe(true);
  });

  it("adds a one-off charge to an active contract for the next invoice", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const c = await createContract({ tenantId: t.tenantId, propertyId, status: "active", startDate: "2026-01-01" });
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    await owner.rentInvoices.addCharge({ contractId: c.id, description: "Cleaning", amount: 1_500 });
    expect(await owner.rentInvoices.pendingCharges({ contractId: c.id })).toEqual([
      expect.objectContaining({ description: "Cleaning", amount: 1_500 }),
    ]);
    await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    expect(await owner.rentInvoices.pendingCharges({ contractId: c.id })).toEqual([]);
    const draft = await createContract({ tenantId: t.tenantId, propertyId, status: "draft" });
    await expectTRPCError(owner.rentInvoices.addCharge({ contractId: draft.id, description: "x", amount: 1 }), "PRECONDITION_FAILED", {
      key: "invoices.errors.contractNotActive",
    });
  });
});

describe("rent PDFs", () => {
  it("renders the invoice and, once money arrived, the receipt, with the Khmer font and the workspace as issuer", async () => {
    const { t, propertyId } = await tenantWithProperty();
    const renter = await createRenter({ tenantId: t.tenantId, nameKm: "ចាន់ ស្រីនាង", nameLatin: "Chan Sreyneang" });
    await createContract({
      tenantId: t.tenantId,
      propertyId,
      renterId: renter.id,
      status: "active",
      startDate: "2026-01-01",
      creditBalance: 5_000,
    });
    await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    const [inv] = await invoicesOf(t.tenantId);
    const scope = await resolveHostScope(`${hostOf(t.slug)}:${PORT}`);
    if (scope?.kind !== "tenant") throw new Error("no scope");
    const owner = await getDb().user.findUniqueOrThrow({ where: { id: t.owner.userId } });
    const ctx = await buildTenantContext(
      scope.tenant,
      {
        userId: owner.id,
        sessionId: "s",
        email: owner.email,
        name: owner.name,
        locale: null,
        isPlatformAdmin: false,
        mfaVerified: false,
        impersonatorUserId: null,
      },
      testMeta(),
    );
    const data = await new RentInvoiceService(ctx!).document(inv!.id);
    expect(data.creditApplied).toBe(5_000);
    for (const [kind, locale] of [
      ["invoice", "km"],
      ["receipt", "en"],
    ] as const) {
      const pdf = await renderRentPdf(data, kind, locale, scope.tenant);
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const text = pdf.toString("latin1");
      expect(text).toMatch(/NotoSansKhmer/);
      expect(pdf.length).toBeGreaterThan(5_000);
    }
  });

  it("the scheduled jobs skip a suspended workspace (read-only) and resume once it pays", async () => {
    const { t } = await tenantWithProperty();
    expect(await isReadOnlyWorkspace(t.tenantId)).toBe(false);
    await setSubscription(t.tenantId, { plan: "pro", status: "suspended" });
    expect(await isReadOnlyWorkspace(t.tenantId)).toBe(true);
    await setSubscription(t.tenantId, { plan: "pro", status: "active" });
    expect(await isReadOnlyWorkspace(t.tenantId)).toBe(false);
  });
});
