// The two walls of tenant isolation, against the real database: TenantDb scopes every model
// call (wall one) and PostgreSQL row-level security filters whatever gets past it (wall two).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { Prisma } from "@/server/db/generated/client";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { uniqueEmail } from "./support/world";

let a: CreatedTenant;
let b: CreatedTenant;
let aMembershipIds: string[];
let bMembershipIds: string[];

beforeAll(async () => {
  [a, b] = await Promise.all([createTenant({ slug: uniqueSlug("dba") }), createTenant({ slug: uniqueSlug("dbb") })]);
  const [a2, b2, b3] = await Promise.all([
    addMember(a, { email: uniqueEmail("m", a.slug), role: "viewer" }),
    addMember(b, { email: uniqueEmail("m", b.slug), role: "viewer" }),
    addMember(b, { email: uniqueEmail("n", b.slug), role: "manager" }),
  ]);
  aMembershipIds = [a.owner.membershipId, a2.membershipId].sort();
  bMembershipIds = [b.owner.membershipId, b2.membershipId, b3.membershipId].sort();
});

describe("wall one: the scoped handle", () => {
  it("returns only its tenant's rows, even when asked for another tenant's", async () => {
    const rows = await new TenantDb(a.tenantId).run((tx) =>
      tx.membership.findMany({ where: { tenantId: b.tenantId }, orderBy: { id: "asc" } }),
    );
    expect(rows.map((r) => r.id)).toEqual(aMembershipIds);
    const byId = await new TenantDb(a.tenantId).run((tx) => tx.membership.findUnique({ where: { id: bMembershipIds[0]! } }));
    expect(byId).toBeNull();
    expect(await new TenantDb(a.tenantId).run((tx) => tx.membership.count())).toBe(2);
  });

  it("each tenant keeps its own scope when handles of several tenants run interleaved and concurrently (shared per-tenant clients)", async () => {
    // new handles per call, as requests make them; the scoped clients behind them are shared per tenant
    const reads = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const [own, other] = i % 2 === 0 ? [a, b] : [b, a];
        return new TenantDb(own.tenantId).run((tx) =>
          tx.membership.findMany({ where: { tenantId: other.tenantId }, orderBy: { id: "asc" } }),
        );
      }),
    );
    reads.forEach((rows, i) => expect(rows.map((r) => r.id)).toEqual(i % 2 === 0 ? aMembershipIds : bMembershipIds));
  });

  it("cannot update or delete another tenant's rows by id", async () => {
    const db = new TenantDb(a.tenantId);
    const result = await db.run(async (tx) => ({
      updated: await tx.role.updateMany({ where: { id: b.roles.viewer }, data: { name: "hijacked" } }),
      deleted: await tx.membership.deleteMany({ where: { id: { in: bMembershipIds } } }),
    }));
    expect(result).toEqual({ updated: { count: 0 }, deleted: { count: 0 } });
    await expect(db.run((tx) => tx.role.update({ where: { id: b.roles.viewer }, data: { name: "hijacked" } }))).rejects.toMatchObject({
      code: "P2025",
    });
    const bRole = await new TenantDb(b.tenantId).run((tx) => tx.role.findUniqueOrThrow({ where: { id: b.roles.viewer } }));
    expect(bRole.name).toBe("Viewer");
  });

  it("refuses to create or move rows into another tenant", async () => {
    const db = new TenantDb(a.tenantId);
    await expect(db.run((tx) => tx.role.create({ data: { tenantId: b.tenantId, key: "x", name: "X" } }))).rejects.toThrow(/another tenant/);
    await expect(
      db.run((tx) => tx.membership.update({ where: { id: a.owner.membershipId }, data: { tenantId: b.tenantId } })),
    ).rejects.toThrow(/another tenant/);
    expect(await platformDb.run((tx) => tx.role.count({ where: { tenantId: b.tenantId, key: "x" } }))).toBe(0);
  });

  it("rolls back the whole run when one statement fails", async () => {
    const key = `tmp-${randomUUID().slice(0, 8)}`;
    await expect(
      new TenantDb(a.tenantId).run(async (tx) => {
        await tx.role.create({ data: { tenantId: a.tenantId, key, name: key } });
        await tx.role.create({ data: { tenantId: a.tenantId, key, name: key } }); // unique (tenantId, key)
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    expect(await new TenantDb(a.tenantId).run((tx) => tx.role.count({ where: { key } }))).toBe(0);
  });

  it("needs a tenant id", () => {
    expect(() => new TenantDb("acme")).toThrow(/uuid/);
    expect(() => new TenantDb("")).toThrow(/uuid/);
  });
});

describe("wall two: row-level security under raw SQL (wall one bypassed)", () => {
  it("shows only the transaction's tenant to a raw query inside TenantDb.run", async () => {
    const rows = await new TenantDb(a.tenantId).run(
      (tx) => tx.$queryRaw<{ id: string; tenantId: string }[]>`SELECT id::text, "tenantId"::text FROM "Membership" ORDER BY id`,
    );
    expect(rows.map((r) => r.id)).toEqual(aMembershipIds);
    expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([a.tenantId]));
    const asked = await new TenantDb(a.tenantId).run(
      (tx) => tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Membership" WHERE "tenantId" = ${b.tenantId}::uuid`,
    );
    expect(asked).toEqual([{ n: 0 }]);
  });

  it("rejects a raw insert or update into another tenant", async () => {
    await expect(
      new TenantDb(a.tenantId).run(
        (tx) =>
          tx.$executeRaw`INSERT INTO "Role" (id, "tenantId", key, name, "updatedAt") VALUES (gen_random_uuid(), ${b.tenantId}::uuid, 'raw', 'Raw', now())`,
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      new TenantDb(a.tenantId).run(
        (tx) => tx.$executeRaw`UPDATE "Membership" SET "tenantId" = ${b.tenantId}::uuid WHERE id = ${a.owner.membershipId}::uuid`,
      ),
    ).rejects.toThrow(/row-level security/);
    const rawDelete = await new TenantDb(a.tenantId).run(
      (tx) => tx.$executeRaw`DELETE FROM "Membership" WHERE "tenantId" = ${b.tenantId}::uuid`,
    );
    expect(rawDelete).toBe(0);
  });

  it("does not leak the tenant setting to the next use of the pooled connection", async () => {
    await new TenantDb(a.tenantId).run((tx) => tx.membership.count());
    const after = await getDb().$queryRaw<{ t: string | null }[]>`SELECT NULLIF(current_setting('app.tenant_id', true), '') AS t`;
    expect(after).toEqual([{ t: null }]);
  });
});

describe("raw reads (TenantDb.read, platformDb.read: node-postgres without Prisma)", () => {
  it("row-level security binds the read to its tenant, whatever the statement asks for", async () => {
    const q = Prisma.sql`SELECT id::text AS id FROM "Membership" WHERE "tenantId" IN (${a.tenantId}::uuid, ${b.tenantId}::uuid) ORDER BY id`;
    expect((await new TenantDb(a.tenantId).read<{ id: string }>(q)).map((r) => r.id)).toEqual(aMembershipIds);
    expect((await new TenantDb(b.tenantId).read<{ id: string }>(q)).map((r) => r.id)).toEqual(bMembershipIds);
    expect((await platformDb.read<{ id: string }>(q)).map((r) => r.id)).toEqual([...aMembershipIds, ...bMembershipIds].sort());
  });

  it("is read-only, and a failed statement leaves no setting on the pooled connection", async () => {
    await expect(
      new TenantDb(a.tenantId).read(
        Prisma.sql`UPDATE "Membership" SET "updatedAt" = now() WHERE "tenantId" = ${a.tenantId}::uuid RETURNING id`,
      ),
    ).rejects.toThrow(/read-only transaction/);
    await expect(new TenantDb(a.tenantId).read(Prisma.sql`SELECT 1 / 0 AS x`)).rejects.toThrow(/division by zero/);
    const after = await Promise.all(
      Array.from(
        { length: 12 },
        () => getDb().$queryRaw<{ t: string | null }[]>`SELECT NULLIF(current_setting('app.tenant_id', true), '') AS t`,
      ),
    );
    expect(after.flat()).toEqual(Array.from({ length: 12 }, () => ({ t: null })));
  });

  it("reads timestamps as UTC and sends Date parameters as UTC, whatever the process's time zone", async () => {
    const saved = process.env.TZ;
    process.env.TZ = "Asia/Phnom_Penh"; // node-postgres alone would read and write +07:00 local time
    try {
      const at = new Date("2026-03-01T23:30:00.123Z");
      const [row] = await new TenantDb(a.tenantId).read<{ ts: Date; text: string; day: Date }>(
        Prisma.sql`SELECT ${at}::timestamp(3) AS ts, to_char(${at}::timestamp(3), 'YYYY-MM-DD HH24:MI:SS.MS') AS text, DATE '2026-03-01' AS day`,
      );
      expect(row!.text).toBe("2026-03-01 23:30:00.123");
      expect(row!.ts.toISOString()).toBe(at.toISOString());
      expect(row!.day.toISOString()).toBe("2026-03-01T00:00:00.000Z"); // a date as Prisma reads it: its UTC midnight
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("the other handles", () => {
  it("the base client sees no tenant rows at all, but does see global tables", async () => {
    expect(await getDb().membership.count()).toBe(0);
    expect(await getDb().membership.findMany({ where: { tenantId: a.tenantId } })).toEqual([]);
    expect(await getDb().role.count({ where: { tenantId: a.tenantId } })).toBe(0);
    expect(await getDb().tenant.findUnique({ where: { id: a.tenantId }, select: { slug: true } })).toEqual({ slug: a.slug });
    await expect(getDb().role.create({ data: { tenantId: a.tenantId, key: "nope", name: "Nope" } })).rejects.toThrow(/row-level security/);
  });

  it("platformDb sees every tenant's rows", async () => {
    const rows = await platformDb.run((tx) =>
      tx.membership.findMany({ where: { tenantId: { in: [a.tenantId, b.tenantId] } }, select: { id: true }, orderBy: { id: "asc" } }),
    );
    expect(rows.map((r) => r.id)).toEqual([...aMembershipIds, ...bMembershipIds].sort());
  });

  it("platform mode is set by platformDb's BEGIN, lasts one transaction and never reaches the next use of the connection", async () => {
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const inside = await platformDb.run(
        async (tx) => (await tx.$queryRaw<{ p: string | null }[]>`SELECT current_setting('app.platform', true) AS p`)[0]!.p,
      );
      seen.push(inside ?? "unset");
    }
    expect(new Set(seen)).toEqual(new Set(["on"]));
    // every pooled connection afterwards: no platform mode, no tenant rows
    const after = await Promise.all(
      Array.from(
        { length: 12 },
        () => getDb().$queryRaw<{ p: string | null }[]>`SELECT NULLIF(current_setting('app.platform', true), '') AS p`,
      ),
    );
    expect(after.flat()).toEqual(Array.from({ length: 12 }, () => ({ p: null })));
    expect(await getDb().membership.count()).toBe(0);
  });
});
