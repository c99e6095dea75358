// Cross-tenant isolation of every tRPC procedure, generated from the router itself: a new
// tenant procedure without an entry in SAMPLES fails this file, so it cannot ship untested.
//
// For each tenant procedure (meta.scope === "tenant"):
//   (a) another tenant's session must not work here: A's owner's cookie on B's host is refused
//       (UNAUTHORIZED: sessions are bound to their host), and A's owner holding a genuine
//       session for B's host, without being a member of B, gets NOT_FOUND;
//   (b) B's owner on B's host naming A's ids gets NOT_FOUND (or, for reads that look nothing
//       up by id, an answer without any of A's data), and A's data is unchanged.
// For each admin procedure (meta.scope === "admin"): tenant owners get NOT_FOUND on their host
// and on the apex; a platform admin succeeds on the apex only.
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import type { Meta } from "@/server/api/trpc";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { addMember, createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import type { SessionClaims } from "@/server/services/platform/auth-service";
import { APEX, callPath, callerFor, expectTRPCError, hostOf, sessionFor } from "./support/world";

interface World {
  a: CreatedTenant & { viewer: Member; admin: Member };
  b: CreatedTenant & { member: Member };
  platformAdmin: { userId: string; email: string };
}
type Member = { userId: string; email: string; membershipId: string };

interface Sample {
  /** the input, naming tenant A's records */
  input: (w: World) => unknown;
  /**
   * What B's owner on B's host gets for that input: NOT_FOUND, or "no-leak" for a read that
   * looks nothing up by id (then the answer must not mention any of A's ids or emails, and
   * `check` may say more).
   */
  fromB: "NOT_FOUND" | "no-leak";
  check?: (result: unknown, w: World) => void;
}

const SAMPLES: Record<string, Sample[]> = {
  "workspace.current": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r, w) => expect(r).toMatchObject({ tenant: { slug: w.b.slug }, me: { userId: w.b.owner.userId, role: "owner" } }),
    },
  ],
  "members.list": [
    { input: (w) => ({ search: w.a.viewer.email }), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    {
      input: (w) => ({ cursor: w.a.owner.membershipId, limit: 100 }),
      fromB: "no-leak",
      check: (r, w) =>
        // a foreign cursor must not page into A; at most B's own rows come back
        expect((r as { items: { id: string }[] }).items.every((m) => [w.b.owner.membershipId, w.b.member.membershipId].includes(m.id))).toBe(
          true,
        ),
    },
  ],
  "members.roles": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r, w) => expect((r as { id: string }[]).map((x) => x.id).sort()).toEqual(Object.values(w.b.roles).sort()),
    },
  ],
  "members.changeRole": [
    { input: (w) => ({ membershipId: w.a.viewer.membershipId, roleId: w.a.roles.admin }), fromB: "NOT_FOUND" },
    { input: (w) => ({ membershipId: w.a.viewer.membershipId, roleId: w.b.roles.admin }), fromB: "NOT_FOUND" },
    { input: (w) => ({ membershipId: w.b.member.membershipId, roleId: w.a.roles.owner }), fromB: "NOT_FOUND" },
  ],
  "members.setStatus": [
    { input: (w) => ({ membershipId: w.a.viewer.membershipId, status: "deactivated" }), fromB: "NOT_FOUND" },
    { input: (w) => ({ membershipId: w.a.admin.membershipId, status: "deactivated" }), fromB: "NOT_FOUND" },
  ],
};

interface AdminSample {
  input: (w: World) => unknown;
  /** what a platform admin on the apex gets */
  check: (result: unknown, w: World) => void;
}

const ADMIN_SAMPLES: Record<string, AdminSample> = {
  "admin.tenants": {
    input: (w) => ({ search: w.a.slug }),
    check: (r, w) => expect((r as { items: unknown[] }).items).toEqual([expect.objectContaining({ id: w.a.tenantId, slug: w.a.slug, members: 3 })]),
  },
  "admin.jobs": {
    input: () => undefined,
    check: (r) => expect((r as { id: string }[]).map((j) => j.id).sort()).toEqual(["cleanup", "outbox-relay"]),
  },
  "admin.runJob": {
    // cleanup only touches expired rows, so running it here cannot disturb parallel tests
    input: () => ({ id: "cleanup" }),
    check: (r) => expect(r).toMatchObject({ id: "cleanup", result: { tokens: expect.any(Number), sessions: expect.any(Number) } }),
  },
};

/** Public procedures need a reason to exist without a session; none do yet. */
const PUBLIC_ALLOWED: string[] = [];

const procedures = Object.entries(appRouter._def.procedures as Record<string, { _def: { meta?: Meta } }>).map(([path, p]) => ({
  path,
  meta: p._def.meta,
}));
const tenantPaths = procedures.filter((p) => p.meta?.scope === "tenant").map((p) => p.path);
const adminPaths = procedures.filter((p) => p.meta?.scope === "admin").map((p) => p.path);

let w: World;
const claims = {} as {
  aOwnerOnA: SessionClaims;
  aOwnerOnB: SessionClaims;
  bOwnerOnB: SessionClaims;
  aOwnerOnApex: SessionClaims;
  adminOnApex: SessionClaims;
  adminOnA: SessionClaims;
};

async function snapshotA() {
  return platformDb.run(async (tx) => ({
    tenant: await tx.tenant.findUnique({ where: { id: w.a.tenantId } }),
    memberships: await tx.membership.findMany({ where: { tenantId: w.a.tenantId }, orderBy: { id: "asc" } }),
    roles: await tx.role.findMany({ where: { tenantId: w.a.tenantId }, orderBy: { id: "asc" } }),
    rolePermissions: await tx.rolePermission.count({ where: { tenantId: w.a.tenantId } }),
    audit: await tx.auditLog.findMany({ where: { tenantId: w.a.tenantId }, select: { id: true } }),
    outbox: await tx.outboxEvent.count({ where: { tenantId: w.a.tenantId } }),
  }));
}

async function restoreMemberships(rows: { id: string; roleId: string; status: "active" | "deactivated" }[]) {
  await new TenantDb(w.a.tenantId).run(async (tx) => {
    for (const m of rows) await tx.membership.update({ where: { id: m.id }, data: { roleId: m.roleId, status: m.status } });
  });
}

/** Every string that would betray tenant A in a response to B. */
function fingerprintsOfA(): string[] {
  return [
    w.a.tenantId,
    w.a.slug,
    w.a.owner.userId,
    w.a.owner.email,
    w.a.owner.membershipId,
    w.a.viewer.userId,
    w.a.viewer.email,
    w.a.viewer.membershipId,
    w.a.admin.userId,
    w.a.admin.email,
    w.a.admin.membershipId,
    ...Object.values(w.a.roles),
  ];
}

beforeAll(async () => {
  const aSlug = uniqueSlug("xa");
  const bSlug = uniqueSlug("xb");
  const a = await createTenant({ slug: aSlug });
  const b = await createTenant({ slug: bSlug });
  const [viewer, admin, member, platformAdmin] = await Promise.all([
    addMember(a, { email: `viewer@${aSlug}.test`, role: "viewer" }),
    addMember(a, { email: `admin@${aSlug}.test`, role: "admin" }),
    addMember(b, { email: `member@${bSlug}.test`, role: "viewer" }),
    createUser({ email: `staff-${aSlug}@phteah.test`, isPlatformAdmin: true }),
  ]);
  w = { a: { ...a, viewer, admin }, b: { ...b, member }, platformAdmin: { userId: platformAdmin.id, email: platformAdmin.email } };
  [claims.aOwnerOnA, claims.aOwnerOnB, claims.bOwnerOnB, claims.aOwnerOnApex, claims.adminOnApex, claims.adminOnA] = await Promise.all([
    sessionFor(a.owner.userId, hostOf(aSlug)),
    sessionFor(a.owner.userId, hostOf(bSlug)),
    sessionFor(b.owner.userId, hostOf(bSlug)),
    sessionFor(a.owner.userId, APEX),
    sessionFor(platformAdmin.id, APEX),
    sessionFor(platformAdmin.id, hostOf(aSlug)),
  ]);
});

describe("the router", () => {
  it("has tenant and admin procedures to check (the walk found the router)", () => {
    expect(tenantPaths).toContain("members.list");
    expect(adminPaths).toContain("admin.tenants");
  });

  it("has a cross-tenant sample for every tenant procedure", () => {
    expect(
      tenantPaths.filter((p) => !SAMPLES[p]?.length),
      "add an entry to SAMPLES in tests/integration/cross-tenant.test.ts",
    ).toEqual([]);
  });

  it("has a sample for every admin procedure", () => {
    expect(adminPaths.filter((p) => !ADMIN_SAMPLES[p]), "add an entry to ADMIN_SAMPLES").toEqual([]);
  });

  it("has no stale samples", () => {
    expect(Object.keys(SAMPLES).filter((p) => !tenantPaths.includes(p))).toEqual([]);
    expect(Object.keys(ADMIN_SAMPLES).filter((p) => !adminPaths.includes(p))).toEqual([]);
  });

  it("has no procedure that is neither tenant nor admin scoped unless allowed", () => {
    const unscoped = procedures.filter((p) => p.meta?.scope !== "tenant" && p.meta?.scope !== "admin").map((p) => p.path);
    expect(unscoped.filter((p) => !PUBLIC_ALLOWED.includes(p))).toEqual([]);
  });
});

describe.each(tenantPaths)("tenant procedure %s", (path) => {
  const samples = () => {
    const s = SAMPLES[path];
    if (!s?.length) throw new Error(`no cross-tenant sample for ${path}: add one to SAMPLES`);
    return s;
  };

  it("refuses A's session on B's host (UNAUTHORIZED), also with the cookie's host rewritten", async () => {
    const before = await snapshotA();
    for (const sample of samples()) {
      const onB = await callerFor(hostOf(w.b.slug), claims.aOwnerOnA);
      await expectTRPCError(callPath(onB, path, sample.input(w)), "UNAUTHORIZED");
      const forged = await callerFor(hostOf(w.b.slug), { ...claims.aOwnerOnA, host: hostOf(w.b.slug) });
      await expectTRPCError(callPath(forged, path, sample.input(w)), "UNAUTHORIZED");
    }
    expect(await snapshotA()).toEqual(before);
  });

  it("gives NOT_FOUND to a user of A with a valid session on B's host but no membership in B", async () => {
    const before = await snapshotA();
    for (const sample of samples()) {
      await expectTRPCError(callPath(await callerFor(hostOf(w.b.slug), claims.aOwnerOnB), path, sample.input(w)), "NOT_FOUND", {
        key: "errors.notFound",
      });
    }
    expect(await snapshotA()).toEqual(before);
  });

  it("refuses without a session, on an unknown workspace and on the apex", async () => {
    const input = samples()[0]!.input(w);
    await expectTRPCError(callPath(await callerFor(hostOf(w.a.slug), null), path, input), "UNAUTHORIZED");
    await expectTRPCError(callPath(await callerFor(hostOf(uniqueSlug("gone")), claims.aOwnerOnA), path, input), "NOT_FOUND");
    await expectTRPCError(callPath(await callerFor(APEX, claims.aOwnerOnApex), path, input), "NOT_FOUND");
  });

  it("does not let B's owner reach A's records by id, and leaves A unchanged", async () => {
    const before = await snapshotA();
    const caller = await callerFor(hostOf(w.b.slug), claims.bOwnerOnB);
    for (const sample of samples()) {
      const call = callPath(caller, path, sample.input(w));
      if (sample.fromB === "NOT_FOUND") {
        await expectTRPCError(call, "NOT_FOUND", { code: "NOT_FOUND" });
      } else {
        const result = await call;
        const text = JSON.stringify(result);
        for (const f of fingerprintsOfA()) expect(text, `response to B mentions A's ${f}`).not.toContain(f);
        sample.check?.(result, w);
      }
    }
    expect(await snapshotA()).toEqual(before);
  });

  it("works for A's owner on A's host with the same input (the samples name real records)", async () => {
    // guards against samples that fail for a reason unrelated to tenancy (a wrong id or shape)
    const before = await snapshotA();
    const caller = await callerFor(hostOf(w.a.slug), claims.aOwnerOnA);
    await expect(callPath(caller, path, samples()[0]!.input(w))).resolves.toBeDefined();
    await restoreMemberships(before.memberships);
  });
});

describe.each(adminPaths)("admin procedure %s", (path) => {
  const sample = () => {
    const s = ADMIN_SAMPLES[path];
    if (!s) throw new Error(`no sample for ${path}: add one to ADMIN_SAMPLES`);
    return s;
  };

  it("gives a tenant owner NOT_FOUND on the tenant host and on the apex", async () => {
    await expectTRPCError(callPath(await callerFor(hostOf(w.a.slug), claims.aOwnerOnA), path, sample().input(w)), "NOT_FOUND");
    await expectTRPCError(callPath(await callerFor(APEX, claims.aOwnerOnApex), path, sample().input(w)), "NOT_FOUND");
  });

  it("gives a platform admin NOT_FOUND on a tenant host", async () => {
    await expectTRPCError(callPath(await callerFor(hostOf(w.a.slug), claims.adminOnA), path, sample().input(w)), "NOT_FOUND");
  });

  it("refuses the apex without a session, and a tenant session replayed on the apex", async () => {
    await expectTRPCError(callPath(await callerFor(APEX, null), path, sample().input(w)), "UNAUTHORIZED");
    await expectTRPCError(callPath(await callerFor(APEX, claims.aOwnerOnA), path, sample().input(w)), "UNAUTHORIZED");
  });

  it("works for a platform admin on the apex", async () => {
    sample().check(await callPath(await callerFor(APEX, claims.adminOnApex), path, sample().input(w)), w);
  });
});

