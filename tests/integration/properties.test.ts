// Properties, units and property photos through the real router (properties.*): CRUD with
// audit, plan limits on properties and units (PlanGate counters, also under concurrency),
// unit status rules (occupied belongs to contracts), archive rules, photo attach/cover/remove
// (removal frees storage), list filters/sort/keyset paging and permissions.
import { mkdtemp, rm, writeFile, mkdir, access } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createTenant, setSubscription, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { AppError } from "@/server/core/errors";
import { TenantDb } from "@/server/db/tenant-db";
import { unitFiltersFromSearchParams } from "@/lib/schemas/properties";
import { minorToDecimal, parseMoney } from "@/lib/money";
import { SAMPLE_PNG } from "@/server/testing/sample-files";
import { expectTRPCError, hostOf, signedIn, uniqueEmail, type Caller } from "./support/world";

let storageDir: string;
beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "phteah-props-"));
  process.env.FILE_STORAGE_DIR = storageDir;
});
afterAll(async () => {
  delete process.env.FILE_STORAGE_DIR;
  await rm(storageDir, { recursive: true, force: true });
});

async function workspace(prefix: string, plan: "free" | "starter" | "pro" = "pro") {
  const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan, status: "active" } });
  return { t, owner: await signedIn(t.owner.userId, hostOf(t.slug)) };
}

/** A stored property_photo file (bytes on disk + row), as POST /api/files leaves it. */
async function storedPhoto(t: CreatedTenant, purpose = "property_photo"): Promise<{ id: string; storageKey: string }> {
  const id = randomUUID();
  const storageKey = `${t.tenantId}/${id}`;
  await mkdir(path.join(storageDir, t.tenantId), { recursive: true });
  await writeFile(path.join(storageDir, storageKey), SAMPLE_PNG);
  await new TenantDb(t.tenantId).run((tx) =>
    tx.file.create({
      data: {
        id,
        tenantId: t.tenantId,
        visibility: "public",
        purpose,
        storageKey,
        originalName: "p.png",
        mimeType: "image/png",
        sizeBytes: 3 * 1024 * 1024,
        checksumSha256: "0".repeat(64),
      },
    }),
  );
  return { id, storageKey };
}

const audits = (t: CreatedTenant, action: string) =>
  new TenantDb(t.tenantId).run((tx) => tx.auditLog.findMany({ where: { action }, orderBy: { createdAt: "asc" } }));

describe("properties", () => {
  it("create, get, update with audit (before/after); names are unique per workspace, case-insensitively", async () => {
    const { t, owner } = await workspace("prop");
    const created = await owner.properties.create({ name: "  Riverside  ", address: "St 271, Phnom Penh", type: "apartment_building" });
    expect(created.name).toBe("Riverside");
    const got = await owner.properties.get({ propertyId: created.id });
    expect(got).toMatchObject({
      name: "Riverside",
      address: "St 271, Phnom Penh",
      type: "apartment_building",
      notes: "",
      photos: [],
      units: { total: 0 },
    });
    await expectTRPCError(owner.properties.create({ name: "riverside", type: "house" }), "CONFLICT", {
      key: "properties.errors.nameTaken",
    });

    await owner.properties.update({
      propertyId: created.id,
      name: "Riverside Tower",
      address: "St 271",
      type: "apartment_building",
      notes: "Gate code 1234",
    });
    expect(await owner.properties.get({ propertyId: created.id })).toMatchObject({ name: "Riverside Tower", notes: "Gate code 1234" });
    const [createdAudit] = await audits(t, "property.created");
    expect(createdAudit).toMatchObject({ targetType: "Property", targetId: created.id, actorUserId: t.owner.userId });
    const [updated] = await audits(t, "property.updated");
    expect(updated!.metadata).toMatchObject({
      before: { name: "Riverside", notes: "" },
      after: { name: "Riverside Tower", notes: "Gate code 1234" },
    });

    await expectTRPCError(owner.properties.create({ name: " ", type: "house" }), "BAD_REQUEST");
    await expectTRPCError(owner.properties.get({ propertyId: randomUUID() }), "NOT_FOUND", { key: "properties.errors.notFound" });
  });

  it("lists with search, type filter, sort both ways and keyset paging; units counted per status", async () => {
    const { owner } = await workspace("plist");
    const names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"];
    const ids: Record<string, string> = {};
    for (const name of names)
      ids[name] = (await owner.properties.create({ name, type: name === "Echo" ? "shop" : "house", address: `${name} street` })).id;
    await owner.properties.createUnit({ propertyId: ids.Alpha!, code: "1", baseRent: 10000 });
    await owner.properties.createUnit({ propertyId: ids.Alpha!, code: "2", baseRent: 10000, status: "maintenance" });

    const page1 = await owner.properties.list({ limit: 2 });
    expect(page1.items.map((p) => p.name)).toEqual(["Alpha", "Bravo"]);
    expect(page1.items[0]!.units).toEqual({ total: 2, vacant: 1, occupied: 0, maintenance: 1 });
    const page2 = await owner.properties.list({ limit: 2, cursor: page1.nextCursor! });
    const page3 = await owner.properties.list({ limit: 2, cursor: page2.nextCursor! });
    expect([...page2.items, ...page3.items].map((p) => p.name)).toEqual(["Charlie", "Delta", "Echo"]);
    expect(page3.nextCursor).toBeNull();
    expect((await owner.properties.list({ sort: { id: "name", desc: true }, limit: 2 })).items.map((p) => p.name)).toEqual([
      "Echo",
      "Delta",
    ]);
    expect((await owner.properties.list({ type: "shop" })).items.map((p) => p.name)).toEqual(["Echo"]);
    expect((await owner.properties.list({ search: "charlie st" })).items.map((p) => p.name)).toEqual(["Charlie"]);
    expect((await owner.properties.options()).map((p) => p.name)).toEqual(names);
  });

  it("archive: refused while a unit is occupied; otherwise archives the property and its units, which leave the lists", async () => {
    const { t, owner } = await workspace("parch");
    const p = await owner.properties.create({ name: "Block B", type: "boarding_house" });
    const u1 = await owner.properties.createUnit({ propertyId: p.id, code: "B1", baseRent: 8000 });
    await owner.properties.createUnit({ propertyId: p.id, code: "B2", baseRent: 8000 });
    // a contract activation marks a unit occupied (slice C); simulated here
    await new TenantDb(t.tenantId).run((tx) => tx.unit.update({ where: { id: u1.id }, data: { status: "occupied" } }));
    await expectTRPCError(owner.properties.archive({ propertyId: p.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.hasOccupiedUnits",
    });
    await new TenantDb(t.tenantId).run((tx) => tx.unit.update({ where: { id: u1.id }, data: { status: "vacant" } }));

    expect(await owner.properties.archive({ propertyId: p.id })).toMatchObject({ unitsArchived: 2 });
    expect((await owner.properties.list({})).items).toEqual([]);
    expect((await owner.properties.list({ archived: true })).items.map((x) => x.id)).toEqual([p.id]);
    expect((await owner.properties.units({})).items).toEqual([]);
    await expectTRPCError(owner.properties.update({ propertyId: p.id, name: "X", type: "house" }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.archived",
    });
    await expectTRPCError(owner.properties.createUnit({ propertyId: p.id, code: "B3", baseRent: 1 }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.archived",
    });
    expect(await audits(t, "property.archived")).toHaveLength(1);
  });

  it("only properties.manage may write; a viewer reads", async () => {
    const { t, owner } = await workspace("pperm");
    const p = await owner.properties.create({ name: "Shop row", type: "shop" });
    const viewerId = (await addMember(t, { email: uniqueEmail("v", t.slug), role: "viewer" })).userId;
    const viewer = await signedIn(viewerId, hostOf(t.slug));
    expect((await viewer.properties.list({})).items).toHaveLength(1);
    expect((await viewer.properties.units({ propertyId: p.id })).items).toEqual([]);
    await expectTRPCError(viewer.properties.create({ name: "Nope", type: "house" }), "FORBIDDEN");
    await expectTRPCError(viewer.properties.createUnit({ propertyId: p.id, code: "1", baseRent: 1 }), "FORBIDDEN");
    await expectTRPCError(viewer.properties.archive({ propertyId: p.id }), "FORBIDDEN");
    const accountantId = (await addMember(t, { email: uniqueEmail("acc", t.slug), role: "accountant" })).userId;
    await expectTRPCError((await signedIn(accountantId, hostOf(t.slug))).properties.list({}), "FORBIDDEN");
  });
});

describe("plan limits (PlanGate counters)", () => {
  it("Free allows 1 property; archiving one frees its slot; billing usage counts them", async () => {
    const { owner } = await workspace("plimit", "free");
    const first = await owner.properties.create({ name: "Only one", type: "house" });
    await expectTRPCError(owner.properties.create({ name: "Second", type: "house" }), "FORBIDDEN", {
      code: "LIMIT_EXCEEDED",
      key: "billing.errors.limitExceeded",
    });
    expect((await owner.billing.overview()).usage).toMatchObject({ properties: 1, units: 0 });
    await owner.properties.archive({ propertyId: first.id });
    await owner.properties.create({ name: "Second", type: "house" });
  });

  it("Free allows 5 units across properties; archived units free slots", async () => {
    const { owner } = await workspace("ulimit", "free");
    const p = await owner.properties.create({ name: "Five rooms", type: "boarding_house" });
    const units = [];
    for (let i = 1; i <= 5; i++) units.push(await owner.properties.createUnit({ propertyId: p.id, code: `R${i}`, baseRent: 5000 }));
    await expectTRPCError(owner.properties.createUnit({ propertyId: p.id, code: "R6", baseRent: 5000 }), "FORBIDDEN", {
      code: "LIMIT_EXCEEDED",
    });
    expect((await owner.billing.overview()).usage).toMatchObject({ units: 5 });
    await owner.properties.archiveUnit({ unitId: units[0]!.id });
    await owner.properties.createUnit({ propertyId: p.id, code: "R6", baseRent: 5000 });
  });

  it("parallel creates cannot pass the limit together", async () => {
    const { owner, t } = await workspace("pconc", "free");
    const results = await Promise.allSettled(["P1", "P2", "P3", "P4"].map((name) => owner.properties.create({ name, type: "house" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await new TenantDb(t.tenantId).run((tx) => tx.property.count())).toBe(1);
    const p = (await owner.properties.list({})).items[0]!;
    const unitResults = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => owner.properties.createUnit({ propertyId: p.id, code: `U${i}`, baseRent: 100 })),
    );
    expect(unitResults.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(await new TenantDb(t.tenantId).run((tx) => tx.unit.count())).toBe(5);
  });
});

describe("units", () => {
  let owner: Caller;
  let t: CreatedTenant;
  let riverside: string;
  let garden: string;

  beforeAll(async () => {
    ({ t, owner } = await workspace("units"));
    riverside = (await owner.properties.create({ name: "Riverside", type: "apartment_building" })).id;
    garden = (await owner.properties.create({ name: "Garden", type: "boarding_house" })).id;
  });

  it("create/update with audit; codes unique per property; occupied cannot be set or cleared by hand", async () => {
    const u = await owner.properties.createUnit({
      propertyId: riverside,
      code: "A-101",
      floor: 1,
      sizeSqm: 32.5,
      baseRent: 15000,
      currency: "USD",
    });
    expect(u).toMatchObject({
      code: "A-101",
      floor: 1,
      sizeSqm: 32.5,
      baseRent: 15000,
      currency: "USD",
      status: "vacant",
      propertyName: "Riverside",
    });
    await expectTRPCError(owner.properties.createUnit({ propertyId: riverside, code: "a-101", baseRent: 1 }), "CONFLICT", {
      key: "properties.errors.codeTaken",
    });
    // the same code in another property is fine
    await owner.properties.createUnit({ propertyId: garden, code: "A-101", baseRent: 400000, currency: "KHR" });
    // occupied is not a status staff may pick
    await expectTRPCError(
      owner.properties.createUnit({ propertyId: riverside, code: "A-102", baseRent: 1, status: "occupied" as never }),
      "BAD_REQUEST",
    );
    const edited = await owner.properties.updateUnit({
      unitId: u.id,
      code: "A-101",
      floor: 1,
      sizeSqm: 33,
      baseRent: 16000,
      currency: "USD",
      status: "maintenance",
    });
    expect(edited).toMatchObject({ baseRent: 16000, status: "maintenance" });
    const [audit] = await audits(t, "unit.updated");
    expect(audit!.metadata).toMatchObject({
      before: { baseRent: 15000, status: "vacant" },
      after: { baseRent: 16000, status: "maintenance" },
    });

    await new TenantDb(t.tenantId).run((tx) => tx.unit.update({ where: { id: u.id }, data: { status: "occupied" } }));
    const stillOccupied = await owner.properties.updateUnit({
      unitId: u.id,
      code: "A-101",
      baseRent: 17000,
      currency: "USD",
      status: "vacant",
    });
    expect(stillOccupied).toMatchObject({ status: "occupied", baseRent: 17000 });
    await expectTRPCError(owner.properties.archiveUnit({ unitId: u.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.unitHeld",
    });
    await expectTRPCError(owner.properties.unit({ unitId: randomUUID() }), "NOT_FOUND");
    await expectTRPCError(owner.properties.createUnit({ propertyId: randomUUID(), code: "X", baseRent: 1 }), "NOT_FOUND");
    await expectTRPCError(owner.properties.createUnit({ propertyId: riverside, code: "X", baseRent: -1 }), "BAD_REQUEST");
  });

  it("filters by status and property (the /units URL), searches, sorts by rent", async () => {
    const w = await workspace("ufilter");
    const a = (await w.owner.properties.create({ name: "North", type: "house" })).id;
    const b = (await w.owner.properties.create({ name: "South", type: "house" })).id;
    await w.owner.properties.createUnit({ propertyId: a, code: "N1", baseRent: 300 });
    await w.owner.properties.createUnit({ propertyId: a, code: "N2", baseRent: 100, status: "maintenance" });
    await w.owner.properties.createUnit({ propertyId: b, code: "S1", baseRent: 200 });
    const codes = async (input: Parameters<Caller["properties"]["units"]>[0]) =>
      (await w.owner.properties.units(input)).items.map((u) => u.code);
    expect(await codes({})).toEqual(["N1", "N2", "S1"]);
    expect(await codes({ status: "vacant" })).toEqual(["N1", "S1"]);
    expect(await codes({ propertyId: a, status: "maintenance" })).toEqual(["N2"]);
    expect(await codes({ search: "south" })).toEqual(["S1"]);
    expect(await codes({ sort: { id: "baseRent", desc: true } })).toEqual(["N1", "S1", "N2"]);
    const first = await w.owner.properties.units({ limit: 2 });
    expect(first.items.map((u) => u.code)).toEqual(["N1", "N2"]);
    expect((await w.owner.properties.units({ limit: 2, cursor: first.nextCursor! })).items.map((u) => u.code)).toEqual(["S1"]);
    expect(unitFiltersFromSearchParams(new URLSearchParams(`status=vacant&propertyId=${a}`))).toEqual({ status: "vacant", propertyId: a });
    expect(unitFiltersFromSearchParams({ status: "gone", propertyId: "../x", archived: "yes" })).toEqual({});
    expect(unitFiltersFromSearchParams(new URLSearchParams("status=vacant&archived=1"))).toEqual({ status: "vacant", archived: true });
  });
});

describe("restore (properties.restore, properties.restoreUnit)", () => {
  const unitState = (t: CreatedTenant, ids: string[]) =>
    new TenantDb(t.tenantId).run((tx) =>
      tx.unit.findMany({ where: { id: { in: ids } }, select: { code: true, status: true, archivedAt: true }, orderBy: { code: "asc" } }),
    );

  it("brings back the property and exactly the units archived with it; a unit archived earlier stays until restored on its own", async () => {
    const { t, owner } = await workspace("prest");
    const p = await owner.properties.create({ name: "Block C", type: "boarding_house" });
    const c1 = await owner.properties.createUnit({ propertyId: p.id, code: "C1", baseRent: 9000 });
    const c2 = await owner.properties.createUnit({ propertyId: p.id, code: "C2", baseRent: 9000, status: "maintenance" });
    const early = await owner.properties.createUnit({ propertyId: p.id, code: "C3", baseRent: 9000, status: "maintenance" });
    await owner.properties.archiveUnit({ unitId: early.id });
    // not archived yet: nothing to restore
    await expectTRPCError(owner.properties.restore({ propertyId: p.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.notArchived",
    });
    await expectTRPCError(owner.properties.restoreUnit({ unitId: c1.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.unitNotArchived",
    });
    expect(await owner.properties.archive({ propertyId: p.id })).toMatchObject({ unitsArchived: 2 });
    // a unit of an archived property comes back with its property, not on its own
    await expectTRPCError(owner.properties.restoreUnit({ unitId: c1.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.propertyArchived",
    });
    await expectTRPCError(owner.properties.restoreUnit({ unitId: early.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.propertyArchived",
    });
    expect((await owner.properties.units({ archived: true, propertyId: p.id })).items.map((u) => [u.code, u.propertyArchived])).toEqual([
      ["C1", true],
      ["C2", true],
      ["C3", true],
    ]);
    const archivedAt = (await owner.properties.get({ propertyId: p.id })).archivedAt;

    expect(await owner.properties.restore({ propertyId: p.id })).toEqual({ id: p.id, name: "Block C", unitsRestored: 2 });
    expect((await owner.properties.list({})).items.map((x) => x.id)).toEqual([p.id]);
    expect((await owner.properties.list({ archived: true })).items).toEqual([]);
    expect((await owner.properties.get({ propertyId: p.id })).units).toEqual({ total: 2, vacant: 1, occupied: 0, maintenance: 1 });
    // statuses as they were; C3 (archived on its own, earlier) is still archived
    const [s1, s2, s3] = await unitState(t, [c1.id, c2.id, early.id]);
    expect([s1, s2]).toEqual([
      { code: "C1", status: "vacant", archivedAt: null },
      { code: "C2", status: "maintenance", archivedAt: null },
    ]);
    expect(s3!.archivedAt).not.toBeNull();
    expect((await owner.properties.units({ archived: true })).items.map((u) => [u.code, u.propertyArchived])).toEqual([["C3", false]]);
    const [restoredAudit] = await audits(t, "property.restored");
    expect(restoredAudit).toMatchObject({ targetType: "Property", targetId: p.id, actorUserId: t.owner.userId });
    expect(restoredAudit!.metadata).toEqual({
      before: { archivedAt: archivedAt!.toISOString() },
      after: { archivedAt: null, unitsRestored: 2, unitIds: expect.arrayContaining([c1.id, c2.id]) as unknown },
    });
    expect((restoredAudit!.metadata as { after: { unitIds: string[] } }).after.unitIds).toHaveLength(2);
    // restoring twice is refused
    await expectTRPCError(owner.properties.restore({ propertyId: p.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "properties.errors.notArchived",
    });

    // now its property is back, C3 can come back on its own, in maintenance as it was
    expect(await owner.properties.restoreUnit({ unitId: early.id })).toMatchObject({
      code: "C3",
      status: "maintenance",
      archivedAt: null,
      propertyArchived: false,
    });
    expect((await owner.properties.units({ propertyId: p.id })).items.map((u) => u.code)).toEqual(["C1", "C2", "C3"]);
    const [unitAudit] = await audits(t, "unit.restored");
    expect(unitAudit).toMatchObject({ targetType: "Unit", targetId: early.id });
    expect(unitAudit!.metadata).toMatchObject({ before: { status: "maintenance" }, after: { archivedAt: null, status: "maintenance" } });
    await expectTRPCError(owner.properties.restoreUnit({ unitId: early.id }), "PRECONDITION_FAILED", {
      key: "properties.errors.unitNotArchived",
    });

    await expectTRPCError(owner.properties.restore({ propertyId: randomUUID() }), "NOT_FOUND", { key: "properties.errors.notFound" });
    await expectTRPCError(owner.properties.restoreUnit({ unitId: randomUUID() }), "NOT_FOUND", { key: "properties.errors.unitNotFound" });
    // another workspace's archived property and unit are not found
    const other = await workspace("prest2");
    const op = await other.owner.properties.create({ name: "Elsewhere", type: "house" });
    const ou = await other.owner.properties.createUnit({ propertyId: op.id, code: "E1", baseRent: 1 });
    await other.owner.properties.archiveUnit({ unitId: ou.id });
    await other.owner.properties.archive({ propertyId: op.id });
    await expectTRPCError(owner.properties.restore({ propertyId: op.id }), "NOT_FOUND");
    await expectTRPCError(owner.properties.restoreUnit({ unitId: ou.id }), "NOT_FOUND");
    expect((await other.owner.properties.get({ propertyId: op.id })).archivedAt).not.toBeNull();
  });

  it("over the plan's property limit: LIMIT_EXCEEDED naming the plan, and nothing changes", async () => {
    const { t, owner } = await workspace("prestlim", "free");
    const first = await owner.properties.create({ name: "First", type: "house" });
    const firstUnit = await owner.properties.createUnit({ propertyId: first.id, code: "F1", baseRent: 100 });
    await owner.properties.archive({ propertyId: first.id });
    const second = await owner.properties.create({ name: "Second", type: "house" });
    const error = await expectTRPCError(owner.properties.restore({ propertyId: first.id }), "FORBIDDEN", {
      code: "LIMIT_EXCEEDED",
      key: "billing.errors.limitExceeded",
    });
    expect((error.cause as AppError).params).toMatchObject({ limit: "properties", max: 1, used: 1, plan: "Free" });
    expect((await owner.properties.list({})).items.map((x) => x.id)).toEqual([second.id]);
    expect((await unitState(t, [firstUnit.id]))[0]!.archivedAt).not.toBeNull();
    expect(await audits(t, "property.restored")).toEqual([]);
    // freeing the slot lets it back
    await owner.properties.archive({ propertyId: second.id });
    expect(await owner.properties.restore({ propertyId: first.id })).toMatchObject({ unitsRestored: 1 });
    expect((await owner.billing.overview()).usage).toMatchObject({ properties: 1, units: 1 });
  });

  it("over the plan's unit limit (the units archived with the property, as a whole): LIMIT_EXCEEDED and nothing changes", async () => {
    const { t, owner } = await workspace("prestulim", "starter");
    const back = await owner.properties.create({ name: "Back house", type: "boarding_house" });
    const backUnits = [];
    for (const code of ["K1", "K2", "K3"]) backUnits.push(await owner.properties.createUnit({ propertyId: back.id, code, baseRent: 100 }));
    await owner.properties.archive({ propertyId: back.id });
    // Starter allows 60 units: fill 58 elsewhere, so 3 more do not fit while 2 would
    const front = await owner.properties.create({ name: "Front house", type: "apartment_building" });
    await new TenantDb(t.tenantId).run((tx) =>
      tx.unit.createMany({
        data: Array.from({ length: 58 }, (_, i) => ({ tenantId: t.tenantId, propertyId: front.id, code: `F${i}`, baseRent: 100 })),
      }),
    );
    const error = await expectTRPCError(owner.properties.restore({ propertyId: back.id }), "FORBIDDEN", {
      code: "LIMIT_EXCEEDED",
      key: "billing.errors.limitExceeded",
    });
    expect((error.cause as AppError).params).toMatchObject({ limit: "units", max: 60, used: 58, plan: "Starter" });
    expect((await owner.properties.get({ propertyId: back.id })).archivedAt).not.toBeNull();
    expect(
      (
        await unitState(
          t,
          backUnits.map((u) => u.id),
        )
      ).every((u) => u.archivedAt !== null),
    ).toBe(true);
    expect(await audits(t, "property.restored")).toEqual([]);

    // a single unit: 58 + 1 fits; a unit of another property archived on its own
    const f0 = (await owner.properties.units({ propertyId: front.id, search: "F0" })).items.find((u) => u.code === "F0")!;
    await owner.properties.archiveUnit({ unitId: f0.id });
    // 57 + 3 = 60 fits now
    expect(await owner.properties.restore({ propertyId: back.id })).toMatchObject({ unitsRestored: 3 });
    // and F0 no longer fits (60 of 60)
    await expectTRPCError(owner.properties.restoreUnit({ unitId: f0.id }), "FORBIDDEN", { code: "LIMIT_EXCEEDED" });
    expect((await owner.properties.unit({ unitId: f0.id })).archivedAt).not.toBeNull();
    expect(await audits(t, "unit.restored")).toEqual([]);
    await owner.properties.archiveUnit({ unitId: backUnits[0]!.id });
    expect(await owner.properties.restoreUnit({ unitId: f0.id })).toMatchObject({ code: "F0", archivedAt: null });
    expect((await owner.billing.overview()).usage).toMatchObject({ units: 60 });
  });

  it("a viewer (no properties.manage) is FORBIDDEN; a read-only (suspended) workspace refuses both", async () => {
    const { t, owner } = await workspace("prestperm");
    const p = await owner.properties.create({ name: "Kept", type: "house" });
    const u = await owner.properties.createUnit({ propertyId: p.id, code: "1", baseRent: 1 });
    const lone = await owner.properties.createUnit({ propertyId: p.id, code: "2", baseRent: 1 });
    await owner.properties.archiveUnit({ unitId: lone.id });
    const q = await owner.properties.create({ name: "Gone", type: "house" });
    await owner.properties.archive({ propertyId: q.id });
    const viewerId = (await addMember(t, { email: uniqueEmail("v", t.slug), role: "viewer" })).userId;
    const viewer = await signedIn(viewerId, hostOf(t.slug));
    await expectTRPCError(viewer.properties.restore({ propertyId: q.id }), "FORBIDDEN", { key: "errors.missingPermission" });
    await expectTRPCError(viewer.properties.restoreUnit({ unitId: lone.id }), "FORBIDDEN", { key: "errors.missingPermission" });

    await setSubscription(t.tenantId, { plan: "pro", status: "suspended" });
    await expectTRPCError(owner.properties.restore({ propertyId: q.id }), "FORBIDDEN", { key: "errors.workspaceReadOnly" });
    await expectTRPCError(owner.properties.restoreUnit({ unitId: lone.id }), "FORBIDDEN", { key: "errors.workspaceReadOnly" });
    await setSubscription(t.tenantId, { plan: "pro", status: "active" });
    await owner.properties.restore({ propertyId: q.id });
    await owner.properties.restoreUnit({ unitId: lone.id });
    expect((await owner.properties.units({})).items.map((x) => x.id).sort()).toEqual([u.id, lone.id].sort());
  });
});

describe("property photos", () => {
  it("attach (own property_photo files only), cover order, remove deletes the file and frees storage", async () => {
    const { t, owner } = await workspace("photo");
    const p = await owner.properties.create({ name: "Photo house", type: "house" });
    const f1 = await storedPhoto(t);
    const f2 = await storedPhoto(t);
    const logo = await storedPhoto(t, "tenant_logo");
    const ph1 = await owner.properties.addPhoto({ propertyId: p.id, fileId: f1.id });
    const ph2 = await owner.properties.addPhoto({ propertyId: p.id, fileId: f2.id });
    expect(ph1.url).toBe(`/files/public/${f1.id}`);
    await expectTRPCError(owner.properties.addPhoto({ propertyId: p.id, fileId: f1.id }), "CONFLICT", {
      key: "properties.errors.photoAttached",
    });
    await expectTRPCError(owner.properties.addPhoto({ propertyId: p.id, fileId: logo.id }), "BAD_REQUEST", {
      key: "files.errors.wrongPurpose",
    });
    await expectTRPCError(owner.properties.addPhoto({ propertyId: p.id, fileId: randomUUID() }), "NOT_FOUND");
    // another workspace's file
    const other = await workspace("photo2");
    const foreign = await storedPhoto(other.t);
    await expectTRPCError(owner.properties.addPhoto({ propertyId: p.id, fileId: foreign.id }), "NOT_FOUND");

    expect((await owner.properties.get({ propertyId: p.id })).photos.map((x) => x.id)).toEqual([ph1.id, ph2.id]);
    await owner.properties.makeCover({ photoId: ph2.id });
    expect((await owner.properties.get({ propertyId: p.id })).photos.map((x) => x.id)).toEqual([ph2.id, ph1.id]);
    expect((await owner.properties.list({})).items[0]!.coverUrl).toBe(`/files/public/${f2.id}`);

    expect((await owner.billing.overview()).usage.storageMb).toBe(9);
    await owner.properties.removePhoto({ photoId: ph2.id });
    expect((await owner.properties.get({ propertyId: p.id })).photos.map((x) => x.id)).toEqual([ph1.id]);
    expect(await new TenantDb(t.tenantId).run((tx) => tx.file.findFirst({ where: { id: f2.id } }))).toBeNull();
    await expect(access(path.join(storageDir, f2.storageKey))).rejects.toThrow();
    expect((await owner.billing.overview()).usage.storageMb).toBe(6);
    expect(await audits(t, "property.photo_added")).toHaveLength(2);
    expect(await audits(t, "property.photo_removed")).toHaveLength(1);
  });
});

describe("money input", () => {
  it("parses what people type into minor units and back", () => {
    expect(parseMoney("150", "USD")).toBe(15000);
    expect(parseMoney("150.5", "USD")).toBe(15050);
    expect(parseMoney("$1,200.25", "USD")).toBe(120025);
    expect(parseMoney("600,000", "KHR")).toBe(600000);
    expect(parseMoney("1.5", "KHR")).toBeNull();
    expect(parseMoney("12.345", "USD")).toBeNull();
    expect(parseMoney("-3", "USD")).toBeNull();
    expect(minorToDecimal(15050, "USD")).toBe("150.50");
    expect(minorToDecimal(600000, "KHR")).toBe("600000");
  });
});
