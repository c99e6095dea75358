// Meter readings through the tRPC procedures against the real database: one reading at a time,
// a whole building's month grid saved in one transaction (all or nothing, every bad cell named),
// and the rule that readings never go down (below the previous month or above the next).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import {
  addMember,
  createContract,
  createProperty,
  createRenter,
  createTenant,
  createUnit,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { expectTRPCError, hostOf, signedIn, type Caller } from "./support/world";

let tenant: CreatedTenant;
let owner: Caller;
let viewer: Caller;
const db = () => new TenantDb(tenant.tenantId);

async function readingsOf(unitId: string) {
  return db().run((tx) =>
    tx.meterReading.findMany({
      where: { unitId },
      select: { kind: true, period: true, reading: true },
      orderBy: [{ kind: "asc" }, { period: "asc" }],
    }),
  );
}

beforeAll(async () => {
  tenant = await createTenant({ slug: uniqueSlug("rdg") });
  const v = await addMember(tenant, { email: `viewer@${tenant.slug}.test`, role: "viewer" });
  owner = await signedIn(tenant.owner.userId, hostOf(tenant.slug));
  viewer = await signedIn(v.userId, hostOf(tenant.slug));
});

describe("one reading", () => {
  it("records and corrects a reading, with usage against the previous month", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    expect(await owner.readings.upsert({ unitId: unit.id, kind: "electricity", period: "2026-01", reading: 1000 })).toMatchObject({
      reading: 1000,
      usage: null,
    });
    expect(await owner.readings.upsert({ unitId: unit.id, kind: "electricity", period: "2026-02", reading: 1120 })).toMatchObject({
      usage: 120,
    });
    expect(await owner.readings.upsert({ unitId: unit.id, kind: "electricity", period: "2026-02", reading: 1130 })).toMatchObject({
      usage: 130,
    });
    expect(await readingsOf(unit.id)).toEqual([
      { kind: "electricity", period: "2026-01", reading: 1000 },
      { kind: "electricity", period: "2026-02", reading: 1130 },
    ]);
    const audit = await db().run((tx) => tx.auditLog.count({ where: { action: "reading.saved" } }));
    expect(audit).toBeGreaterThanOrEqual(3);
  });

  it("refuses negative use: below the previous month, above the next month, or a negative number", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    await owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-01", reading: 50 });
    await owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-03", reading: 80 });
    await expectTRPCError(owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-02", reading: 49 }), "BAD_REQUEST", {
      key: "readings.errors.belowPrevious",
    });
    await expectTRPCError(owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-02", reading: 81 }), "BAD_REQUEST", {
      key: "readings.errors.aboveNext",
    });
    // the previous month counts even when a month is skipped
    await expectTRPCError(owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-05", reading: 79 }), "BAD_REQUEST", {
      key: "readings.errors.belowPrevious",
    });
    await expectTRPCError(owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-02", reading: -1 }), "BAD_REQUEST");
    await expectTRPCError(owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-13", reading: 60 }), "BAD_REQUEST");
    // electricity is its own meter
    await owner.readings.upsert({ unitId: unit.id, kind: "electricity", period: "2026-02", reading: 10 });
    await owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-02", reading: 50 });
    await owner.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-02", reading: 80 });
    expect((await readingsOf(unit.id)).filter((r) => r.kind === "water").map((r) => r.reading)).toEqual([50, 80, 80]);
  });

  it("needs properties.manage to write and finds no unit of another tenant", async () => {
    const unit = await createUnit({ tenantId: tenant.tenantId });
    await expectTRPCError(viewer.readings.upsert({ unitId: unit.id, kind: "water", period: "2026-01", reading: 1 }), "FORBIDDEN");
    await expectTRPCError(owner.readings.upsert({ unitId: randomUUID(), kind: "water", period: "2026-01", reading: 1 }), "NOT_FOUND");
  });
});

describe("the month grid of a building", () => {
  it("shows every unit with previous and current readings, and saves the whole month at once", async () => {
    const property = await createProperty({ tenantId: tenant.tenantId });
    const units = [];
    for (const code of ["A-102", "A-101", "B-201"])
      units.push(await createUnit({ tenantId: tenant.tenantId, propertyId: property.id, code, floor: code.startsWith("B") ? 2 : 1 }));
    const [a102, a101, b201] = units as [(typeof units)[0], (typeof units)[0], (typeof units)[0]];
    const renter = await createRenter({ tenantId: tenant.tenantId, nameLatin: "Mao Sokha" });
    await createContract({ tenantId: tenant.tenantId, unitId: a101.id, renterId: renter.id, status: "active" });
    await createUnit({ tenantId: tenant.tenantId, code: "elsewhere" });
    await owner.readings.saveGrid({
      propertyId: property.id,
      period: "2026-01",
      entries: [
        { unitId: a101.id, kind: "electricity", reading: 500 },
        { unitId: a101.id, kind: "water", reading: 30 },
        { unitId: a102.id, kind: "electricity", reading: 700 },
      ],
    });

    const grid = await viewer.readings.grid({ propertyId: property.id, period: "2026-02" });
    expect(grid.rows.map((r) => r.code)).toEqual(["A-101", "A-102", "B-201"]);
    expect(grid.rows[0]).toMatchObject({
      renterName: "Mao Sokha",
      meters: {
        electricity: { reading: null, previous: 500, previousPeriod: "2026-01", next: null },
        water: { reading: null, previous: 30 },
      },
    });
    expect(grid.rows[2]!.meters.electricity.previous).toBeNull();

    const saved = await owner.readings.saveGrid({
      propertyId: property.id,
      period: "2026-02",
      entries: [
        { unitId: a101.id, kind: "electricity", reading: 620 },
        { unitId: a101.id, kind: "water", reading: 34 },
        { unitId: a102.id, kind: "electricity", reading: 700 },
        { unitId: b201.id, kind: "electricity", reading: 5 },
      ],
    });
    expect(saved).toEqual({ ok: true, saved: 4, unchanged: 0 });
    const again = await owner.readings.saveGrid({
      propertyId: property.id,
      period: "2026-02",
      entries: [
        { unitId: a101.id, kind: "electricity", reading: 620 },
        { unitId: a101.id, kind: "water", reading: 35 },
      ],
    });
    expect(again).toEqual({ ok: true, saved: 1, unchanged: 1 });
    const after = await owner.readings.grid({ propertyId: property.id, period: "2026-02" });
    expect(after.rows[0]!.meters).toMatchObject({ electricity: { reading: 620 }, water: { reading: 35 } });
  });

  it("writes nothing when any cell is wrong and names every bad cell", async () => {
    const property = await createProperty({ tenantId: tenant.tenantId });
    const u1 = await createUnit({ tenantId: tenant.tenantId, propertyId: property.id, code: "1" });
    const u2 = await createUnit({ tenantId: tenant.tenantId, propertyId: property.id, code: "2" });
    await owner.readings.saveGrid({
      propertyId: property.id,
      period: "2026-03",
      entries: [
        { unitId: u1.id, kind: "electricity", reading: 100 },
        { unitId: u2.id, kind: "electricity", reading: 200 },
        { unitId: u2.id, kind: "water", reading: 20 },
      ],
    });
    await owner.readings.saveGrid({ propertyId: property.id, period: "2026-05", entries: [{ unitId: u2.id, kind: "water", reading: 25 }] });

    const result = await owner.readings.saveGrid({
      propertyId: property.id,
      period: "2026-04",
      entries: [
        { unitId: u1.id, kind: "electricity", reading: 150 },
        { unitId: u2.id, kind: "electricity", reading: 199 },
        { unitId: u2.id, kind: "water", reading: 26 },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.unitId, e.kind, e.key])).toEqual([
      [u2.id, "electricity", "readings.errors.belowPrevious"],
      [u2.id, "water", "readings.errors.aboveNext"],
    ]);
    expect(result.errors[0]!.params).toEqual({ previous: 200, period: "2026-03" });
    // the good cell was not written either
    expect((await readingsOf(u1.id)).map((r) => r.period)).toEqual(["2026-03"]);
  });

  it("refuses units of another property, duplicates, and readers without properties.manage", async () => {
    const property = await createProperty({ tenantId: tenant.tenantId });
    const mine = await createUnit({ tenantId: tenant.tenantId, propertyId: property.id });
    const other = await createUnit({ tenantId: tenant.tenantId });
    await expectTRPCError(
      owner.readings.saveGrid({ propertyId: property.id, period: "2026-01", entries: [{ unitId: other.id, kind: "water", reading: 1 }] }),
      "NOT_FOUND",
    );
    await expectTRPCError(
      owner.readings.saveGrid({
        propertyId: property.id,
        period: "2026-01",
        entries: [
          { unitId: mine.id, kind: "water", reading: 1 },
          { unitId: mine.id, kind: "water", reading: 2 },
        ],
      }),
      "BAD_REQUEST",
    );
    await expectTRPCError(
      viewer.readings.saveGrid({ propertyId: property.id, period: "2026-01", entries: [{ unitId: mine.id, kind: "water", reading: 1 }] }),
      "FORBIDDEN",
    );
    expect(await readingsOf(other.id)).toEqual([]);
    expect(await readingsOf(mine.id)).toEqual([]);
  });
});
