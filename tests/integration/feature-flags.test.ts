// Feature flags end to end against the real database: the admin procedures (validation,
// conflicts, audit with before/after, overrides by tenant slug or id), the one evaluation
// (override ?? default, unknown → off, expired still evaluated) and the tenant walls around
// the overrides (row-level security and the scoped handle).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ZodError } from "zod";
import type { TRPCError } from "@trpc/server";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { logger } from "@/server/core/observability/logger";
import { enabledFlags, isEnabled } from "@/server/flags/feature-flags";
import { FeatureFlagService } from "@/server/flags/flags.admin";
import { AppError } from "@/server/core/errors";
import { createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { APEX, callerFor, expectTRPCError, hostOf, passMfa, sessionFor, signedIn, testMeta, type Caller } from "./support/world";

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY);

let admin: Caller;
let adminUser: { id: string; email: string };
let a: CreatedTenant;
let b: CreatedTenant;

/** The message keys of a validation failure, by field. */
function zodMessages(e: TRPCError): Record<string, string> {
  expect(e.cause).toBeInstanceOf(ZodError);
  return Object.fromEntries((e.cause as ZodError).issues.map((i) => [i.path.join("."), i.message]));
}

/** A fresh flag key of our own: flags are global and other test files run alongside. */
const newKey = () => uniqueSlug("ff");

async function createFlag(overrides: { key?: string; defaultEnabled?: boolean; expiresAt?: Date } = {}) {
  const key = overrides.key ?? newKey();
  await admin.admin.flags.create({
    key,
    description: "A test flag",
    owner: "platform-team",
    expiresAt: overrides.expiresAt ?? inDays(30),
    defaultEnabled: overrides.defaultEnabled ?? false,
  });
  return key;
}

async function auditFor(key: string) {
  return platformDb.run((tx) =>
    tx.auditLog.findMany({
      where: { targetType: "FeatureFlag", targetId: key },
      orderBy: { createdAt: "asc" },
      select: { action: true, tenantId: true, actorUserId: true, actorEmail: true, metadata: true },
    }),
  );
}

beforeAll(async () => {
  a = await createTenant({ slug: uniqueSlug("ffa"), name: "Flag Tenant A" });
  b = await createTenant({ slug: uniqueSlug("ffb"), name: "Flag Tenant B" });
  const user = await createUser({ email: `flags-${uniqueSlug("adm")}@phteah.test`, isPlatformAdmin: true });
  adminUser = { id: user.id, email: user.email };
  admin = await callerFor(APEX, await sessionFor(user.id, APEX).then(passMfa));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("evaluation: override ?? default", () => {
  it("an override beats the default in both directions, and clearing it falls back to the default", async () => {
    const off = await createFlag({ defaultEnabled: false });
    const on = await createFlag({ defaultEnabled: true });
    expect(await isEnabled(off, a.tenantId)).toBe(false);
    expect(await isEnabled(on, a.tenantId)).toBe(true);

    await admin.admin.flags.setOverride({ key: off, tenant: a.slug, enabled: true });
    await admin.admin.flags.setOverride({ key: on, tenant: a.slug, enabled: false });
    expect(await isEnabled(off, a.tenantId)).toBe(true);
    expect(await isEnabled(on, a.tenantId)).toBe(false);
    // the same answers through a tenant transaction and through enabledFlags
    await new TenantDb(a.tenantId).run(async (tx) => {
      expect(await isEnabled(off, a.tenantId, tx)).toBe(true);
      expect(await isEnabled(on, a.tenantId, tx)).toBe(false);
      const list = await enabledFlags(a.tenantId, tx);
      expect(list).toContain(off);
      expect(list).not.toContain(on);
    });
    const list = await enabledFlags(a.tenantId);
    expect(list).toContain(off);
    expect(list).not.toContain(on);
    // B has no overrides: the defaults
    expect(await isEnabled(off, b.tenantId)).toBe(false);
    expect(await isEnabled(on, b.tenantId)).toBe(true);

    // clearing: by slug, by id, and `enabled: null` on setOverride
    await expect(admin.admin.flags.clearOverride({ key: off, tenant: a.slug })).resolves.toMatchObject({ cleared: true });
    await expect(admin.admin.flags.setOverride({ key: on, tenant: a.tenantId, enabled: null })).resolves.toMatchObject({
      enabled: null,
      changed: true,
    });
    expect(await isEnabled(off, a.tenantId)).toBe(false);
    expect(await isEnabled(on, a.tenantId)).toBe(true);
    // clearing again is not an error and changes nothing
    await expect(admin.admin.flags.clearOverride({ key: off, tenant: a.slug })).resolves.toMatchObject({ cleared: false });
  });

  it("changing the default moves every tenant without an override, and none with one", async () => {
    const key = await createFlag({ defaultEnabled: false });
    await admin.admin.flags.setOverride({ key, tenant: a.slug, enabled: false });
    const flag = await admin.admin.flags.get({ key });
    await admin.admin.flags.update({ ...flag, defaultEnabled: true });
    expect(await isEnabled(key, a.tenantId)).toBe(false);
    expect(await isEnabled(key, b.tenantId)).toBe(true);
  });

  it("an unknown flag is off, with one warning per key in the log (not one per page view)", async () => {
    const warn = vi.spyOn(logger, "warn");
    const key = newKey();
    const other = newKey();
    expect(await isEnabled(key, a.tenantId)).toBe(false);
    await new TenantDb(a.tenantId).run(async (tx) => expect(await isEnabled(key, a.tenantId, tx)).toBe(false));
    expect(await isEnabled(key, b.tenantId)).toBe(false);
    expect(await isEnabled(other, b.tenantId)).toBe(false);
    expect(await enabledFlags(a.tenantId)).not.toContain(key);
    const warningsFor = (k: string) => warn.mock.calls.filter(([obj]) => (obj as { flag?: string }).flag === k);
    expect(warningsFor(key)).toHaveLength(1);
    expect(warningsFor(key)[0]![1]).toMatch(/unknown key/);
    expect(warningsFor(other)).toHaveLength(1);
  });

  it("an expired flag still evaluates as configured, and the console marks it isExpired", async () => {
    const key = await createFlag({ defaultEnabled: true });
    await admin.admin.flags.setOverride({ key, tenant: b.slug, enabled: false });
    const before = await admin.admin.flags.get({ key });
    expect(before.isExpired).toBe(false);
    // creating in the past is refused, moving the expiry into the past is allowed
    await admin.admin.flags.update({ ...before, expiresAt: inDays(-1) });

    expect(await isEnabled(key, a.tenantId)).toBe(true);
    expect(await isEnabled(key, b.tenantId)).toBe(false);
    const after = await admin.admin.flags.get({ key });
    expect(after.isExpired).toBe(true);
    const expired = await admin.admin.flags.list({ status: "expired" });
    expect(expired.find((f) => f.key === key)).toMatchObject({ isExpired: true, overrides: 1 });
    expect((await admin.admin.flags.list({ status: "active" })).map((f) => f.key)).not.toContain(key);
    // the default sort (soonest expiry first) puts expired flags ahead of live ones
    const all = await admin.admin.flags.list({});
    const firstLive = all.findIndex((f) => !f.isExpired);
    expect(all.findIndex((f) => f.key === key)).toBeLessThan(firstLive === -1 ? Infinity : firstLive);
    expect(all.slice(0, all.filter((f) => f.isExpired).length).every((f) => f.isExpired)).toBe(true);
  });

  it("memoises the answers within one tenant transaction", async () => {
    const key = await createFlag({ defaultEnabled: false });
    const flag = await admin.admin.flags.get({ key });
    await new TenantDb(a.tenantId).run(async (tx) => {
      expect(await isEnabled(key, a.tenantId, tx)).toBe(false);
      // committed meanwhile by another connection; read-committed would see it on a new read
      await admin.admin.flags.update({ ...flag, defaultEnabled: true });
      expect(await isEnabled(key, a.tenantId, tx)).toBe(false);
      expect(await enabledFlags(a.tenantId, tx)).not.toContain(key);
    });
    // a new transaction reads again
    await new TenantDb(a.tenantId).run(async (tx) => expect(await isEnabled(key, a.tenantId, tx)).toBe(true));
    expect(await isEnabled(key, a.tenantId)).toBe(true);
  });
});

describe("the tenant walls around overrides", () => {
  it("A's override is invisible to B, and to the base client without a tenant", async () => {
    const key = await createFlag({ defaultEnabled: false });
    await admin.admin.flags.setOverride({ key, tenant: a.slug, enabled: true });

    expect(await isEnabled(key, a.tenantId)).toBe(true);
    expect(await isEnabled(key, b.tenantId)).toBe(false);
    expect(await new TenantDb(a.tenantId).run((tx) => tx.featureFlagOverride.findMany({ where: { flagKey: key } }))).toEqual([
      expect.objectContaining({ tenantId: a.tenantId, enabled: true }),
    ]);
    // B's scoped handle, even asking for A's tenant id by name, and the raw SQL under B's RLS
    expect(await new TenantDb(b.tenantId).run((tx) => tx.featureFlagOverride.findMany({ where: { flagKey: key } }))).toEqual([]);
    expect(
      await new TenantDb(b.tenantId).run(
        (tx) => tx.$queryRaw`SELECT "tenantId" FROM "FeatureFlagOverride" WHERE "flagKey" = ${key} AND "tenantId" = ${a.tenantId}::uuid`,
      ),
    ).toEqual([]);
    // the base client (no tenant, no platform) sees no override rows at all
    expect(await getDb().featureFlagOverride.findMany({ where: { flagKey: key } })).toEqual([]);
    expect(await getDb().featureFlagOverride.count()).toBe(0);
    // … nor through the flag's relation
    const viaRelation = await getDb().featureFlag.findUnique({ where: { key }, select: { overrides: true } });
    expect(viaRelation?.overrides).toEqual([]);
    // and the base client cannot write one either
    await expect(getDb().featureFlagOverride.create({ data: { tenantId: b.tenantId, flagKey: key, enabled: true } })).rejects.toThrow();
  });

  it("refuses to evaluate for one tenant inside another tenant's transaction", async () => {
    const key = await createFlag({ defaultEnabled: false });
    await admin.admin.flags.setOverride({ key, tenant: a.slug, enabled: true });
    await expect(new TenantDb(b.tenantId).run((tx) => isEnabled(key, a.tenantId, tx))).rejects.toThrow(/another tenant/);
    // a platform transaction may evaluate for any tenant
    expect(await platformDb.run((tx) => isEnabled(key, a.tenantId, tx))).toBe(true);
    expect(await platformDb.run((tx) => isEnabled(key, b.tenantId, tx))).toBe(false);
  });
});

describe("admin.flags validation", () => {
  it("refuses a malformed key, a missing owner or description, and a past expiry on create", async () => {
    const good = { key: newKey(), description: "ok", owner: "team", expiresAt: inDays(10), defaultEnabled: false };
    for (const key of ["ab", "1abc", "Abc-def", "has space", "under_score", `a${"b".repeat(50)}`]) {
      const e = await expectTRPCError(admin.admin.flags.create({ ...good, key }), "BAD_REQUEST");
      expect(zodMessages(e)).toEqual({ key: "flags.validation.key" });
    }
    await expectTRPCError(admin.admin.flags.create({ ...good, owner: " " }), "BAD_REQUEST");
    await expectTRPCError(admin.admin.flags.create({ ...good, description: "" }), "BAD_REQUEST");
    await expectTRPCError(admin.admin.flags.create({ ...good, description: "x".repeat(501) }), "BAD_REQUEST");
    await expectTRPCError(admin.admin.flags.create({ ...good, owner: "x".repeat(101) }), "BAD_REQUEST");
    const past = await expectTRPCError(admin.admin.flags.create({ ...good, expiresAt: inDays(-1) }), "BAD_REQUEST");
    expect(zodMessages(past)).toEqual({ expiresAt: "flags.validation.expiryPast" });
    // the service checks with its own clock too (a schema bypassed or a slow request)
    const clock = () => inDays(20);
    await expect(
      new FeatureFlagService({ userId: adminUser.id, email: adminUser.email }, testMeta(), clock).create(good),
    ).rejects.toMatchObject({ code: "VALIDATION", key: "flags.validation.expiryPast" });
    expect(await platformDb.run((tx) => tx.featureFlag.findUnique({ where: { key: good.key } }))).toBeNull();
  });

  it("a duplicate key is a CONFLICT; update keeps the key; unknown keys and tenants are NOT_FOUND", async () => {
    const key = await createFlag();
    await expectTRPCError(createFlag({ key }), "CONFLICT", { code: "CONFLICT", key: "flags.errors.duplicate" });

    const updated = await admin.admin.flags.update({
      key,
      description: "new words",
      owner: "ops",
      expiresAt: inDays(5),
      defaultEnabled: true,
    });
    expect(updated).toMatchObject({ key, description: "new words", owner: "ops", defaultEnabled: true });

    const missing = newKey();
    await expectTRPCError(admin.admin.flags.get({ key: missing }), "NOT_FOUND", { key: "flags.errors.notFound" });
    await expectTRPCError(
      admin.admin.flags.update({ key: missing, description: "d", owner: "o", expiresAt: inDays(5), defaultEnabled: false }),
      "NOT_FOUND",
    );
    await expectTRPCError(admin.admin.flags.delete({ key: missing }), "NOT_FOUND");
    await expectTRPCError(admin.admin.flags.setOverride({ key: missing, tenant: a.slug, enabled: true }), "NOT_FOUND");
    await expectTRPCError(admin.admin.flags.setOverride({ key, tenant: uniqueSlug("nobody"), enabled: true }), "NOT_FOUND", {
      key: "flags.errors.tenantNotFound",
    });
    await expectTRPCError(admin.admin.flags.clearOverride({ key, tenant: crypto.randomUUID() }), "NOT_FOUND", {
      key: "flags.errors.tenantNotFound",
    });
  });
});

describe("admin.flags audit and detail", () => {
  it("audits create, update, override set/cleared and delete with before/after, as platform rows", async () => {
    const key = await createFlag({ defaultEnabled: false });
    const flag = await admin.admin.flags.get({ key });
    await admin.admin.flags.update({ ...flag, owner: "billing-team" });
    await admin.admin.flags.setOverride({ key, tenant: a.slug, enabled: true });
    // setting the same value again writes nothing
    await expect(admin.admin.flags.setOverride({ key, tenant: a.slug, enabled: true })).resolves.toMatchObject({ changed: false });
    await admin.admin.flags.setOverride({ key, tenant: a.tenantId, enabled: false });
    await admin.admin.flags.setOverride({ key, tenant: b.slug, enabled: true });
    await admin.admin.flags.clearOverride({ key, tenant: a.slug });

    const detail = await admin.admin.flags.get({ key });
    expect(detail.overrideList).toEqual([
      { tenantId: b.tenantId, tenantSlug: b.slug, tenantName: "Flag Tenant B", enabled: true, updatedAt: expect.any(Date) },
    ]);
    expect(detail.overrides).toBe(1);

    await expect(admin.admin.flags.delete({ key })).resolves.toEqual({ key, overridesRemoved: 1 });
    expect(await platformDb.run((tx) => tx.featureFlagOverride.count({ where: { flagKey: key } }))).toBe(0);
    await expectTRPCError(admin.admin.flags.get({ key }), "NOT_FOUND");

    const rows = await auditFor(key);
    expect(rows.map((r) => r.action)).toEqual([
      "admin.flag.created",
      "admin.flag.updated",
      "admin.flag.override_set",
      "admin.flag.override_set",
      "admin.flag.override_set",
      "admin.flag.override_cleared",
      "admin.flag.deleted",
    ]);
    for (const r of rows) expect(r).toMatchObject({ tenantId: null, actorUserId: adminUser.id, actorEmail: adminUser.email });
    const meta = rows.map((r) => r.metadata as Record<string, unknown>);
    expect(meta[0]).toEqual({
      before: null,
      after: { key, description: "A test flag", owner: "platform-team", expiresAt: flag.expiresAt.toISOString(), defaultEnabled: false },
    });
    expect(meta[1]).toMatchObject({ before: { owner: "platform-team" }, after: { owner: "billing-team" } });
    expect(meta[2]).toEqual({ tenantId: a.tenantId, tenantSlug: a.slug, before: null, after: { enabled: true } });
    expect(meta[3]).toEqual({ tenantId: a.tenantId, tenantSlug: a.slug, before: { enabled: true }, after: { enabled: false } });
    expect(meta[4]).toEqual({ tenantId: b.tenantId, tenantSlug: b.slug, before: null, after: { enabled: true } });
    expect(meta[5]).toEqual({ tenantId: a.tenantId, tenantSlug: a.slug, before: { enabled: false }, after: null });
    expect(meta[6]).toMatchObject({
      before: { key, owner: "billing-team", overrides: [{ tenantId: b.tenantId, enabled: true }] },
      after: null,
    });
    // nothing of this lands in the tenants' own audit trails
    expect(await new TenantDb(a.tenantId).run((tx) => tx.auditLog.count({ where: { targetId: key } }))).toBe(0);
  });

  it("rolls the change back with its audit row when the write fails", async () => {
    const key = await createFlag();
    const service = new FeatureFlagService({ userId: adminUser.id, email: adminUser.email }, testMeta());
    vi.spyOn(FeatureFlagService.prototype as unknown as { log: () => Promise<void> }, "log").mockRejectedValueOnce(new Error("audit down"));
    const flag = await admin.admin.flags.get({ key });
    await expect(service.update({ ...flag, owner: "someone-else" })).rejects.toThrow("audit down");
    expect((await admin.admin.flags.get({ key })).owner).toBe("platform-team");
  });

  it("lists with override counts and sorts by the column asked for", async () => {
    const k1 = await createFlag({ expiresAt: inDays(3) });
    const k2 = await createFlag({ expiresAt: inDays(4) });
    await admin.admin.flags.setOverride({ key: k2, tenant: a.slug, enabled: true });
    await admin.admin.flags.setOverride({ key: k2, tenant: b.slug, enabled: false });
    const byOverrides = await admin.admin.flags.list({ sort: { id: "overrides", desc: true } });
    const row2 = byOverrides.find((f) => f.key === k2)!;
    expect(row2).toMatchObject({ overrides: 2, isExpired: false, owner: "platform-team" });
    expect(byOverrides.findIndex((f) => f.key === k2)).toBeLessThan(byOverrides.findIndex((f) => f.key === k1));
    const counts = byOverrides.map((f) => f.overrides);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const byKey = await admin.admin.flags.list({ sort: { id: "key", desc: false } });
    expect(byKey.map((f) => f.key)).toEqual([...byKey.map((f) => f.key)].sort());
  });
});

describe("admin.flags access", () => {
  it("gives a tenant owner NOT_FOUND for every admin.flags procedure, on the tenant host and the apex", async () => {
    const key = await createFlag();
    const onTenant = await signedIn(a.owner.userId, hostOf(a.slug));
    const onApex = await signedIn(a.owner.userId, APEX);
    const calls: [string, (c: Caller) => Promise<unknown>][] = [
      ["list", (c) => c.admin.flags.list({})],
      ["get", (c) => c.admin.flags.get({ key })],
      ["create", (c) => c.admin.flags.create({ key: newKey(), description: "d", owner: "o", expiresAt: inDays(3), defaultEnabled: true })],
      ["update", (c) => c.admin.flags.update({ key, description: "d", owner: "o", expiresAt: inDays(3), defaultEnabled: true })],
      ["delete", (c) => c.admin.flags.delete({ key })],
      ["setOverride", (c) => c.admin.flags.setOverride({ key, tenant: a.slug, enabled: true })],
      ["clearOverride", (c) => c.admin.flags.clearOverride({ key, tenant: a.slug })],
    ];
    for (const [, call] of calls) {
      await expectTRPCError(call(onTenant), "NOT_FOUND");
      await expectTRPCError(call(onApex), "NOT_FOUND");
    }
    // nothing changed
    const flag = await admin.admin.flags.get({ key });
    expect(flag).toMatchObject({ description: "A test flag", defaultEnabled: false, overrides: 0 });
    expect((await auditFor(key)).map((r) => r.action)).toEqual(["admin.flag.created"]);
  });

  it("needs the admin's 2FA step", async () => {
    const noMfa = await callerFor(APEX, await sessionFor(adminUser.id, APEX));
    await expectTRPCError(noMfa.admin.flags.list({}), "FORBIDDEN", { key: "errors.mfaRequired" });
  });

  it("AppError is what the service throws (never TRPCError)", async () => {
    const service = new FeatureFlagService({ userId: adminUser.id, email: adminUser.email }, testMeta());
    await expect(service.get(newKey())).rejects.toBeInstanceOf(AppError);
  });
});
