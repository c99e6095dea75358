// Issue 17: a contract's first invoice used to leave out its utilities silently when the meter had
// no reading for the month before, while the run said "1 issued · 0 skipped". The run now says which
// contracts were billed without which utility and why (stored with the run, read by the run page),
// on both billing paths (the chunked run and the contract-by-contract fallback), and an opening
// reading (the readings grid, the month before the first billed month) makes the utility billed.
import { describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { createContract, createProperty, createTenant, uniqueSlug } from "@/server/testing/factories";
import { runInvoicesForTenant } from "@/server/rent-invoices/invoice-run";
import { flushDeliveries } from "@/server/notifications/queue";
import { createTranslator } from "@/lib/i18n";
import { hostOf, signedIn } from "./support/world";

const NOW = new Date("2026-03-01T03:00:00Z");

async function reading(tenantId: string, unitId: string, kind: "electricity" | "water", period: string, value: number) {
  await new TenantDb(tenantId).run((tx) => tx.meterReading.create({ data: { tenantId, unitId, kind, period, reading: value } }));
}

async function setup() {
  const t = await createTenant({ slug: uniqueSlug("first") });
  const p = await createProperty({ tenantId: t.tenantId });
  const contract = await createContract({
    tenantId: t.tenantId,
    propertyId: p.id,
    status: "active",
    startDate: "2026-02-20",
    electricityRate: 25,
    waterRate: 50,
  });
  // the landlord typed this month's readings only
  await reading(t.tenantId, contract.unitId, "electricity", "2026-03", 2_150);
  await reading(t.tenantId, contract.unitId, "water", "2026-03", 45);
  return { t, propertyId: p.id, contract };
}

describe("a first invoice without the month-before reading", () => {
  it.each([
    ["the chunked run", undefined],
    ["chunks of one contract", 1],
  ] as const)("is issued, and %s says which utilities were left out and why, stored with the run", async (_label, chunkSize) => {
    const { t, contract } = await setup();
    const r = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW, ...(chunkSize ? { chunkSize } : {}) });
    expect(r).toMatchObject({ issued: 1, skipped: 0, failed: 0 });
    const notes = [
      { contractId: contract.id, unit: expect.any(String), reason: "no_opening_reading", kind: "electricity" },
      { contractId: contract.id, unit: expect.any(String), reason: "no_opening_reading", kind: "water" },
    ];
    expect(r.entries).toEqual(notes);

    const [invoice] = await new TenantDb(t.tenantId).run((tx) => tx.rentInvoice.findMany({ include: { lines: true } }));
    expect(invoice!.lines.map((l) => l.kind)).toEqual(["rent"]);

    // stored with the run, and what the run page reads (the run and the recent runs)
    const row = await new TenantDb(t.tenantId).run((tx) => tx.invoiceRun.findUniqueOrThrow({ where: { id: r.runId! } }));
    expect(row).toMatchObject({ issued: 1, skipped: 0, errors: notes.map((n) => ({ ...n, unit: expect.any(String) })) });
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    expect((await owner.rentInvoices.run({ runId: r.runId! })).entries).toEqual(notes);
    expect((await owner.rentInvoices.runs({ limit: 10 }))[0]!.entries).toEqual(notes);
    await flushDeliveries();
  });

  it("the run page's words for it exist in English and Khmer", () => {
    for (const locale of ["en", "km"] as const) {
      const t = createTranslator(locale);
      const text = t("invoices.noteReasons.no_opening_reading", { kind: t("invoices.kinds.water") });
      expect(text).not.toContain("invoices.");
      expect(text).toContain(t("invoices.kinds.water"));
      expect(t("invoices.withoutUtilitiesTitle")).not.toContain("invoices.");
      expect(t("invoices.enterOpeningReading")).not.toContain("invoices.");
    }
    expect(createTranslator("km")("invoices.withoutUtilitiesTitle")).toMatch(/[\u1780-\u17FF]/u);
  });

  it("an opening reading entered in the readings grid (the month before) bills the first month's use, with no note", async () => {
    const { t, propertyId, contract } = await setup();
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    // the grid shows no reading for the month before: the landlord enters the opening reading there
    const grid = await owner.readings.grid({ propertyId, period: "2026-03" });
    expect(grid.rows[0]!.meters.electricity).toMatchObject({ reading: 2_150, previous: null });
    const saved = await owner.readings.saveGrid({
      propertyId,
      period: "2026-02",
      entries: [
        { unitId: contract.unitId, kind: "electricity", reading: 2_000 },
        { unitId: contract.unitId, kind: "water", reading: 40 },
      ],
    });
    expect(saved).toMatchObject({ ok: true, saved: 2 });

    const r = await runInvoicesForTenant(t.tenantId, { date: "2026-03-01", trigger: "job", now: NOW });
    expect(r).toMatchObject({ issued: 1, skipped: 0, failed: 0, entries: [] });
    const [invoice] = await new TenantDb(t.tenantId).run((tx) =>
      tx.rentInvoice.findMany({ include: { lines: { orderBy: { position: "asc" } } } }),
    );
    expect(invoice!.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([
      ["rent", 1, expect.any(Number)],
      ["electricity", 150, 150 * 25],
      ["water", 5, 5 * 50],
    ]);
    await flushDeliveries();
  });
});
