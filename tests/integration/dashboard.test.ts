// The workspace dashboard (dashboard.summary, DashboardService) on known data: occupancy of
// non-archived units, rent billed/outstanding for this month, money collected this month, overdue
// count and amount, contracts ending within 60 days, and 12 months of billed vs collected — every
// money figure per currency, months and "today" in the tenant's timezone (Asia/Phnom_Penh, UTC+7).
// Data is written with plain inserts through the tenant handle, so the figures do not depend on
// the other rental services.
import { beforeAll, describe, expect, it } from "vitest";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { DashboardService, type DashboardSummary } from "@/server/dashboard/dashboard-service";
import { dayIn, lastPeriods } from "@/lib/dates";
import { expectTRPCError, hostOf, ownerContext, signedIn } from "./support/world";

// 2026-03-31 18:30 UTC is 2026-04-01 01:30 in Phnom Penh: the server's month is March, the tenant's April.
const NOW = new Date("2026-03-31T18:30:00Z");
const day = (s: string) => new Date(`${s}T00:00:00Z`);

async function serviceFor(t: CreatedTenant): Promise<DashboardService> {
  return new DashboardService(await ownerContext(t));
}

let invoiceNo = 0;
async function invoice(
  tx: DbTx,
  tenantId: string,
  contractId: string,
  data: {
    period: string;
    status: "draft" | "issued" | "partially_paid" | "paid" | "overdue" | "void";
    currency: string;
    total: number;
    amountPaid?: number;
  },
) {
  invoiceNo += 1;
  return tx.rentInvoice.create({
    data: {
      tenantId,
      contractId,
      number: `R-2026-${String(invoiceNo).padStart(6, "0")}`,
      period: data.period,
      status: data.status,
      currency: data.currency,
      total: data.total,
      amountPaid: data.amountPaid ?? 0,
      dueDate: day(`${data.period}-05`),
      paidAt: data.status === "paid" ? NOW : null,
    },
  });
}

async function payment(
  tx: DbTx,
  tenantId: string,
  rentInvoiceId: string,
  data: { amount: number; currency: string; paidAt: Date | null; status?: "paid" | "pending" | "refunded" },
) {
  return tx.payment.create({
    data: {
      tenantId,
      purpose: "rent",
      rentInvoiceId,
      method: "cash",
      status: data.status ?? "paid",
      amount: data.amount,
      currency: data.currency,
      paidAt: data.paidAt,
    },
  });
}

describe("dashboard figures on known data", () => {
  let t: CreatedTenant;
  let summary: DashboardSummary;
  const ids = { endingSoon: "", endingLater: "" };

  beforeAll(async () => {
    t = await createTenant({ slug: uniqueSlug("dash") });
    const tenantId = t.tenantId;
    await new TenantDb(tenantId).run(async (tx) => {
      const property = await tx.property.create({ data: { tenantId, name: "Sokha Apartments", type: "apartment_building" } });
      const unit = (code: string, status: "vacant" | "occupied" | "maintenance", archived = false) =>
        tx.unit.create({
          data: { tenantId, propertyId: property.id, code, baseRent: 25000, currency: "USD", status, archivedAt: archived ? NOW : null },
        });
      const u1 = await unit("101", "occupied");
      const u2 = await unit("102", "occupied");
      const u3 = await unit("103", "occupied");
      const u4 = await unit("104", "vacant");
      await unit("105", "maintenance");
      await unit("106", "occupied", true); // archived: not counted
      const renter = await tx.renter.create({ data: { tenantId, nameKm: "សុខ ដារ៉ា", nameLatin: "Sok Dara", phone: "+85512345678" } });
      const contract = (unitId: string, status: "active" | "ended", currency: string, endDate: string | null) =>
        tx.contract.create({
          data: {
            tenantId,
            unitId,
            renterId: renter.id,
            status,
            activeUnitId: status === "active" ? unitId : null,
            startDate: day("2025-06-01"),
            endDate: endDate ? day(endDate) : null,
            rentAmount: currency === "USD" ? 25000 : 400000,
            currency,
            billingDay: 1,
          },
        });
      // tenant's today is 2026-04-01: 60 days later is 2026-05-31
      const c1 = await contract(u1.id, "active", "USD", "2026-04-30"); // ending soon
      const c2 = await contract(u2.id, "active", "KHR", "2026-05-31"); // ending soon (last day of the window)
      const c3 = await contract(u3.id, "active", "USD", "2026-06-01"); // ends after the window
      await contract(u4.id, "ended", "USD", "2026-04-10"); // not active: not listed
      ids.endingSoon = c1.id;
      ids.endingLater = c3.id;

      // April 2026 (this month): billed USD 100.00 + 200.00 (50.00 paid), KHR 400,000 paid; void and draft are not billed
      await invoice(tx, tenantId, c1.id, { period: "2026-04", status: "issued", currency: "USD", total: 10000 });
      const a2 = await invoice(tx, tenantId, c3.id, {
        period: "2026-04",
        status: "partially_paid",
        currency: "USD",
        total: 20000,
        amountPaid: 5000,
      });
      const a3 = await invoice(tx, tenantId, c2.id, {
        period: "2026-04",
        status: "paid",
        currency: "KHR",
        total: 400000,
        amountPaid: 400000,
      });
      await invoice(tx, tenantId, c1.id, { period: "2025-12", status: "void", currency: "USD", total: 9999 });
      await invoice(tx, tenantId, c3.id, { period: "2025-12", status: "draft", currency: "USD", total: 7777 });
      // March: two overdue invoices (one partly paid) and one paid
      const m1 = await invoice(tx, tenantId, c1.id, { period: "2026-03", status: "overdue", currency: "USD", total: 15000 });
      const m2 = await invoice(tx, tenantId, c2.id, {
        period: "2026-03",
        status: "overdue",
        currency: "KHR",
        total: 200000,
        amountPaid: 50000,
      });
      await invoice(tx, tenantId, c3.id, { period: "2026-03", status: "paid", currency: "USD", total: 25000, amountPaid: 25000 });
      // a year ago: outside the 12-month window (May 2025 is the first month shown)
      const old = await invoice(tx, tenantId, c1.id, {
        period: "2025-04",
        status: "paid",
        currency: "USD",
        total: 30000,
        amountPaid: 30000,
      });

      // 2026-03-31 17:30 UTC = 1 April 00:30 local → April; 16:30 UTC = 31 March 23:30 local → March
      await payment(tx, tenantId, a2.id, { amount: 5000, currency: "USD", paidAt: new Date("2026-03-31T17:30:00Z") });
      await payment(tx, tenantId, a3.id, { amount: 400000, currency: "KHR", paidAt: new Date("2026-03-31T18:00:00Z") });
      await payment(tx, tenantId, m2.id, { amount: 50000, currency: "KHR", paidAt: new Date("2026-03-31T16:30:00Z") });
      await payment(tx, tenantId, m1.id, { amount: 25000, currency: "USD", paidAt: new Date("2026-03-10T03:00:00Z") });
      await payment(tx, tenantId, m1.id, { amount: 1234, currency: "USD", paidAt: null, status: "pending" }); // not collected
      await payment(tx, tenantId, m1.id, { amount: 4321, currency: "USD", paidAt: new Date("2026-03-31T17:45:00Z"), status: "refunded" }); // not collected
      await payment(tx, tenantId, old.id, { amount: 30000, currency: "USD", paidAt: new Date("2025-04-15T03:00:00Z") }); // outside the window
    });
    summary = await (await serviceFor(t)).summary(NOW);
  });

  it("reads today and the month in the tenant's timezone", () => {
    expect(dayIn(NOW, "Asia/Phnom_Penh")).toBe("2026-04-01");
    expect(dayIn(NOW, "UTC")).toBe("2026-03-31");
    expect(summary).toMatchObject({ timezone: "Asia/Phnom_Penh", today: "2026-04-01", period: "2026-04" });
  });

  it("counts occupancy over non-archived units", () => {
    expect(summary.occupancy).toEqual({ total: 5, occupied: 3, vacant: 1, maintenance: 1, rate: 60 });
  });

  it("gives rent due this month per currency, billed and still outstanding", () => {
    expect(summary.rentDue).toEqual([
      { currency: "KHR", count: 1, billed: 400000, outstanding: 0 },
      { currency: "USD", count: 2, billed: 30000, outstanding: 25000 },
    ]);
  });

  it("gives money collected this month per currency (paid payments only, by the local month)", () => {
    expect(summary.collected).toEqual([
      { currency: "KHR", count: 1, amount: 400000 },
      { currency: "USD", count: 1, amount: 5000 },
    ]);
  });

  it("gives the overdue count and unpaid amount per currency", () => {
    expect(summary.overdue).toEqual([
      { currency: "KHR", count: 1, amount: 150000 },
      { currency: "USD", count: 1, amount: 15000 },
    ]);
  });

  it("lists active contracts ending within 60 days, soonest first", () => {
    expect(summary.ending.withinDays).toBe(60);
    expect(summary.ending.count).toBe(2);
    expect(summary.ending.items.map((i) => i.endDate)).toEqual(["2026-04-30", "2026-05-31"]);
    expect(summary.ending.items[0]).toMatchObject({
      contractId: ids.endingSoon,
      unitCode: "101",
      propertyName: "Sokha Apartments",
      renterNameKm: "សុខ ដារ៉ា",
      renterNameLatin: "Sok Dara",
    });
    expect(summary.ending.items.map((i) => i.contractId)).not.toContain(ids.endingLater);
  });

  it("charts 12 months of billed vs collected, one series per currency, never summed across currencies", () => {
    expect(lastPeriods("2026-04", 12)).toEqual([
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
    ]);
    expect(summary.chart.map((s) => s.currency)).toEqual(["KHR", "USD"]);
    const usd = summary.chart.find((s) => s.currency === "USD")!;
    const khr = summary.chart.find((s) => s.currency === "KHR")!;
    expect(usd.months).toHaveLength(12);
    expect(usd.months[0]).toEqual({ period: "2025-05", billed: 0, collected: 0 });
    expect(usd.months.find((m) => m.period === "2025-12")).toEqual({ period: "2025-12", billed: 0, collected: 0 });
    expect(usd.months.find((m) => m.period === "2026-03")).toEqual({ period: "2026-03", billed: 40000, collected: 25000 });
    expect(usd.months.find((m) => m.period === "2026-04")).toEqual({ period: "2026-04", billed: 30000, collected: 5000 });
    expect(khr.months.find((m) => m.period === "2026-03")).toEqual({ period: "2026-03", billed: 200000, collected: 50000 });
    expect(khr.months.find((m) => m.period === "2026-04")).toEqual({ period: "2026-04", billed: 400000, collected: 400000 });
  });

  it("shows nothing of this tenant to another tenant", async () => {
    const other = await createTenant({ slug: uniqueSlug("dash-b") });
    const s = await (await serviceFor(other)).summary(NOW);
    expect(s.occupancy.total).toBe(0);
    expect(s.rentDue).toEqual([]);
    expect(s.collected).toEqual([]);
    expect(s.overdue).toEqual([]);
    expect(s.ending).toEqual({ withinDays: 60, count: 0, items: [] });
    expect(s.chart).toEqual([]);
  });

  it("answers dashboard.summary for members with reports.view and refuses others", async () => {
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    const live = await owner.dashboard.summary();
    expect(live.occupancy).toEqual({ total: 5, occupied: 3, vacant: 1, maintenance: 1, rate: 60 });
    expect(live.overdue.map((o) => o.currency)).toEqual(["KHR", "USD"]);
    expect(live.today).toBe(dayIn(new Date(), "Asia/Phnom_Penh"));

    const viewer = await addMember(t, { email: `viewer@${t.slug}.test`, role: "viewer" });
    await expect((await signedIn(viewer.userId, hostOf(t.slug))).dashboard.summary()).resolves.toMatchObject({ occupancy: { total: 5 } });

    // a custom role without reports.view
    const role = await new TenantDb(t.tenantId).run(async (tx) => {
      const r = await tx.role.create({ data: { tenantId: t.tenantId, key: "front-desk", name: "Front desk" } });
      await tx.rolePermission.create({ data: { tenantId: t.tenantId, roleId: r.id, permissionCode: "workspace.view" } });
      return r;
    });
    const desk = await addMember(
      { tenantId: t.tenantId, roles: { ...t.roles, viewer: role.id } },
      { email: `desk@${t.slug}.test`, role: "viewer" },
    );
    await expectTRPCError((await signedIn(desk.userId, hostOf(t.slug))).dashboard.summary(), "FORBIDDEN");
  });
});
