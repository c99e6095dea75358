// prisma/seed.ts: demo data for development, never in production, safe to run twice.
// The seed uses the fixed slugs acme/globex; no other test file uses them.
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { verifyPassword } from "@/server/auth/password";
import { TenantDb } from "@/server/db/tenant-db";
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_PROPERTY, seed } from "@/prisma/seed";

const SLUGS = ["acme", "globex"];

async function demoState() {
  const tenants = await getDb().tenant.findMany({ where: { slug: { in: SLUGS } }, orderBy: { slug: "asc" } });
  const perTenant = await platformDb.run(async (tx) =>
    Promise.all(
      tenants.map(async (t) => ({
        slug: t.slug,
        roles: await tx.role.count({ where: { tenantId: t.id } }),
        members: (
          await tx.membership.findMany({ where: { tenantId: t.id }, include: { role: true, user: true }, orderBy: { id: "asc" } })
        ).map((m) => `${m.user.email}:${m.role.key}:${m.status}`),
      })),
    ),
  );
  const admins = await getDb().user.findMany({ where: { email: "admin@phteah.test" } });
  return { tenantIds: tenants.map((t) => t.id), perTenant, admins: admins.map((a) => ({ id: a.id, isPlatformAdmin: a.isPlatformAdmin })) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("seed", () => {
  it("refuses to run with NODE_ENV=production, before writing anything", async () => {
    const before = await getDb().user.count({ where: { email: "admin@phteah.test" } });
    vi.stubEnv("NODE_ENV", "production");
    await expect(seed()).rejects.toThrow(/Refusing to seed demo data: NODE_ENV=production/);
    vi.unstubAllEnvs();
    expect(await getDb().user.count({ where: { email: "admin@phteah.test" } })).toBe(before);
  });

  it("creates the demo workspaces and logins, and is idempotent", async () => {
    await seed();
    const first = await demoState();
    expect(first.perTenant).toEqual(
      SLUGS.map((slug) => ({
        slug,
        roles: 5,
        members: expect.arrayContaining([
          `owner@${slug}.test:owner:active`,
          `manager@${slug}.test:manager:active`,
          `viewer@${slug}.test:viewer:active`,
        ]),
      })),
    );
    for (const t of first.perTenant) expect(t.members).toHaveLength(3);
    expect(first.admins).toEqual([{ id: expect.any(String), isPlatformAdmin: true }]);

    // every advertised demo login has the demo password
    for (const login of DEMO_LOGINS) {
      const user = await getDb().user.findUniqueOrThrow({ where: { email: login.email } });
      expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD), login.email).toBe(true);
    }

    await seed();
    expect(await demoState()).toEqual(first);
  });

  it("gives acme a 20-unit building with renters, contracts, readings, invoices and payments, once", async () => {
    await seed();
    const acme = await getDb().tenant.findUniqueOrThrow({ where: { slug: "acme" } });
    const rentals = () =>
      new TenantDb(acme.id).run(async (tx) => {
        const property = await tx.property.findFirstOrThrow({ where: { name: DEMO_PROPERTY } });
        const units = await tx.unit.findMany({ where: { propertyId: property.id }, orderBy: { code: "asc" } });
        const contracts = await tx.contract.findMany({ where: { unit: { propertyId: property.id } }, include: { renter: true } });
        const readings = await tx.meterReading.groupBy({
          by: ["period", "kind"],
          _count: { _all: true },
          orderBy: [{ period: "asc" }, { kind: "asc" }],
        });
        const invoices = await tx.rentInvoice.findMany({ orderBy: { number: "asc" }, include: { lines: true, payments: true } });
        const lateFees = await tx.rentCharge.findMany({ where: { kind: "late_fee" } });
        return { property, units, contracts, readings, invoices, lateFees };
      });
    const r = await rentals();
    expect(r.property.type).toBe("apartment_building");
    expect(r.units).toHaveLength(20);
    expect(r.units.filter((u) => u.status === "occupied")).toHaveLength(17);
    expect(r.units.filter((u) => u.status === "vacant").map((u) => u.code)).toEqual(["204", "402"]);
    expect(r.units.filter((u) => u.status === "maintenance").map((u) => u.code)).toEqual(["303"]);

    // one active contract per occupied unit; renters with Khmer and Latin names and +855 phones
    expect(r.contracts).toHaveLength(17);
    expect(r.contracts.every((c) => c.status === "active" && c.activeUnitId === c.unitId)).toBe(true);
    expect(new Set(r.contracts.map((c) => c.unitId))).toEqual(new Set(r.units.filter((u) => u.status === "occupied").map((u) => u.id)));
    expect(r.contracts.filter((c) => c.currency === "KHR")).toHaveLength(1);
    for (const c of r.contracts) {
      expect(c.renter.nameKm).toMatch(/[\u1780-\u17FF]/);
      expect(c.renter.nameLatin).toMatch(/^[A-Za-z ]+$/);
      expect(c.renter.phone).toMatch(/^\+855[1-9]\d{7,8}$/);
    }
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: acme.timezone }).format(new Date());
    const in60 = new Date(Date.parse(`${today}T00:00:00Z`) + 60 * 86_400_000);
    expect(r.contracts.filter((c) => c.endDate! >= new Date(`${today}T00:00:00Z`) && c.endDate! <= in60).length).toBeGreaterThanOrEqual(2);

    // two months of readings for every occupied unit, both meters
    expect(r.readings).toHaveLength(4);
    for (const g of r.readings) expect(g._count._all).toBe(17);

    // invoices: paid (cash, transfer, KHQR), partly paid, overdue with a late fee waiting, and issued this month
    const statuses = r.invoices.map((i) => i.status);
    for (const s of ["paid", "partially_paid", "overdue", "issued"] as const) expect(statuses).toContain(s);
    expect(new Set(r.invoices.flatMap((i) => i.payments.map((p) => p.method)))).toEqual(new Set(["cash", "bank_transfer", "khqr"]));
    expect(r.invoices.some((i) => i.currency === "KHR")).toBe(true);
    for (const i of r.invoices) {
      expect(i.total).toBe(i.lines.reduce((sum, l) => sum + l.amount, 0));
      expect(i.amountPaid).toBe(i.payments.filter((p) => p.status === "paid").reduce((sum, p) => sum + p.amount, 0));
      expect(i.payToken === null).toBe(i.status === "paid");
    }
    expect(r.lateFees.map((f) => f.lateFeeForId).sort()).toEqual(
      r.invoices
        .filter((i) => i.status === "overdue")
        .map((i) => i.id)
        .sort(),
    );
    // numbers are the tenant's gap-free rent sequence, and the counter knows them (the invoice run continues after them)
    const byYear = new Map<string, number[]>();
    for (const i of r.invoices) {
      const [, year, n] = /^R-(\d{4})-(\d{6})$/.exec(i.number)!;
      byYear.set(year!, [...(byYear.get(year!) ?? []), Number(n)]);
    }
    for (const [year, ns] of byYear) {
      expect(ns).toEqual(ns.map((_, k) => k + 1));
      const counter = await getDb().invoiceCounter.findUniqueOrThrow({
        where: { scope_year: { scope: `rent:${acme.id}`, year: Number(year) } },
      });
      expect(counter.last).toBe(ns.length);
    }

    // a second run adds nothing
    await seed();
    const again = await rentals();
    expect(again.units.map((u) => u.id)).toEqual(r.units.map((u) => u.id));
    expect(again.contracts).toHaveLength(17);
    expect(again.invoices.map((i) => i.id)).toEqual(r.invoices.map((i) => i.id));
  });
});
