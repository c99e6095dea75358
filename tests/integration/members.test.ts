// MemberService through the members router: search and keyset paging, audited role and
// status changes, and the owner invariants (never zero active owners, even under concurrency).
import { describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { expectTRPCError, hostOf, signedIn, uniqueEmail } from "./support/world";

async function auditOf(t: CreatedTenant, action: string) {
  return new TenantDb(t.tenantId).run((tx) => tx.auditLog.findMany({ where: { action }, orderBy: { createdAt: "asc" } }));
}

async function memberships(t: CreatedTenant) {
  return new TenantDb(t.tenantId).run((tx) =>
    tx.membership.findMany({ select: { id: true, status: true, role: { select: { key: true } } }, orderBy: { id: "asc" } }),
  );
}

async function activeOwners(t: CreatedTenant) {
  return (await memberships(t)).filter((m) => m.status === "active" && m.role.key === "owner").map((m) => m.id);
}

describe("members.list", () => {
  it("searches name and email case-insensitively and pages with a keyset cursor", async () => {
    const slug = uniqueSlug("list");
    const t = await createTenant({ slug });
    const zeds = [];
    for (let i = 0; i < 5; i++) zeds.push(await addMember(t, { email: `zed-${i}@${slug}.test`, name: `Zed Number ${i}`, role: "viewer" }));
    await addMember(t, { email: `other@${slug}.test`, name: "Someone Else", role: "manager" });
    const caller = await signedIn(t.owner.userId, hostOf(slug));

    const seen: string[] = [];
    let cursor: string | undefined;
    const pageSizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await caller.members.list({ search: "ZED", limit: 2, cursor });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((m) => m.id));
      for (const m of page.items) expect(m.name).toMatch(/^Zed Number/);
      if (!page.nextCursor) break;
      expect(page.nextCursor).toBe(page.items[page.items.length - 1]!.id);
      cursor = page.nextCursor;
    }
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(zeds.map((z) => z.membershipId).sort());

    const byEmail = await caller.members.list({ search: `OTHER@${slug.toUpperCase()}` });
    expect(byEmail.items.map((m) => m.email)).toEqual([`other@${slug}.test`]);
    expect(byEmail.nextCursor).toBeNull();

    const all = await caller.members.list({ limit: 100 });
    expect(all.items).toHaveLength(7);
    expect(all.items.filter((m) => m.isYou).map((m) => m.id)).toEqual([t.owner.membershipId]);
    expect(all.items.map((m) => m.id)).toEqual([...all.items.map((m) => m.id)].sort());
  });

  it("filters by status", async () => {
    const slug = uniqueSlug("status");
    const t = await createTenant({ slug });
    const gone = await addMember(t, { email: uniqueEmail("gone", slug), role: "viewer", status: "deactivated" });
    await addMember(t, { email: uniqueEmail("here", slug), role: "viewer" });
    const caller = await signedIn(t.owner.userId, hostOf(slug));
    const deactivated = await caller.members.list({ status: "deactivated" });
    expect(deactivated.items.map((m) => m.id)).toEqual([gone.membershipId]);
    expect((await caller.members.list({ status: "active" })).items).toHaveLength(2);
  });

  it("rejects malformed input with BAD_REQUEST", async () => {
    const t = await createTenant({ slug: uniqueSlug("bad") });
    const caller = await signedIn(t.owner.userId, hostOf(t.slug));
    await expectTRPCError(caller.members.list({ limit: 0 }), "BAD_REQUEST");
    await expectTRPCError(caller.members.list({ cursor: "not-a-uuid" }), "BAD_REQUEST");
  });
});

describe("members.changeRole", () => {
  it("changes the role and writes an audit row with before/after and the request's meta", async () => {
    const slug = uniqueSlug("audit");
    const t = await createTenant({ slug });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const caller = await signedIn(t.owner.userId, hostOf(slug), {
      "x-request-id": "req-audit-1",
      "user-agent": "AuditUA/1.0",
      "x-forwarded-for": "203.0.113.77",
    });

    const row = await caller.members.changeRole({ membershipId: viewer.membershipId, roleId: t.roles.manager });
    expect(row).toMatchObject({
      id: viewer.membershipId,
      role: { id: t.roles.manager, key: "manager" },
      email: viewer.email,
      isYou: false,
    });

    const audit = await auditOf(t, "membership.role_changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tenantId: t.tenantId,
      actorUserId: t.owner.userId,
      actorEmail: t.owner.email,
      targetType: "membership",
      targetId: viewer.membershipId,
      requestId: "req-audit-1",
      userAgent: "AuditUA/1.0",
      ip: "203.0.113.77",
      metadata: { before: { role: "viewer" }, after: { role: "manager" }, user: viewer.email },
    });
  });

  it("lets only an owner make someone an owner", async () => {
    const slug = uniqueSlug("grant");
    const t = await createTenant({ slug });
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const asAdmin = await signedIn(admin.userId, hostOf(slug));
    await expectTRPCError(asAdmin.members.changeRole({ membershipId: viewer.membershipId, roleId: t.roles.owner }), "FORBIDDEN", {
      key: "errors.onlyOwnerCanGrantOwner",
    });
    const asOwner = await signedIn(t.owner.userId, hostOf(slug));
    await expect(asOwner.members.changeRole({ membershipId: viewer.membershipId, roleId: t.roles.owner })).resolves.toMatchObject({
      role: { key: "owner" },
    });
    expect((await activeOwners(t)).sort()).toEqual([t.owner.membershipId, viewer.membershipId].sort());
  });

  it("refuses to demote the last owner, changing nothing", async () => {
    const slug = uniqueSlug("last");
    const t = await createTenant({ slug });
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    const before = await memberships(t);

    const asOwner = await signedIn(t.owner.userId, hostOf(slug));
    await expectTRPCError(
      asOwner.members.changeRole({ membershipId: t.owner.membershipId, roleId: t.roles.admin }),
      "PRECONDITION_FAILED",
      {
        code: "INVALID_STATE",
        key: "errors.lastOwner",
      },
    );
    // an admin does not get as far as the last-owner rule: only owners act on owners
    const asAdmin = await signedIn(admin.userId, hostOf(slug));
    await expectTRPCError(asAdmin.members.changeRole({ membershipId: t.owner.membershipId, roleId: t.roles.viewer }), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "errors.onlyOwnerActsOnOwner",
    });

    expect(await memberships(t)).toEqual(before);
    expect(await auditOf(t, "membership.role_changed")).toEqual([]);
  });

  it("lets one of two owners be demoted", async () => {
    const slug = uniqueSlug("two");
    const t = await createTenant({ slug });
    const second = await addMember(t, { email: uniqueEmail("o2", slug), role: "owner" });
    const caller = await signedIn(t.owner.userId, hostOf(slug));
    await caller.members.changeRole({ membershipId: second.membershipId, roleId: t.roles.admin });
    expect(await activeOwners(t)).toEqual([t.owner.membershipId]);
  });

  it("leaves exactly one owner when two owners demote each other at the same time", async () => {
    for (let round = 0; round < 3; round++) {
      const slug = uniqueSlug("race");
      const t = await createTenant({ slug });
      const second = await addMember(t, { email: uniqueEmail("o2", slug), role: "owner" });
      const [one, two] = await Promise.all([signedIn(t.owner.userId, hostOf(slug)), signedIn(second.userId, hostOf(slug))]);

      const results = await Promise.allSettled([
        one.members.changeRole({ membershipId: second.membershipId, roleId: t.roles.admin }),
        two.members.changeRole({ membershipId: t.owner.membershipId, roleId: t.roles.admin }),
      ]);

      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toMatchObject({ code: "PRECONDITION_FAILED", cause: { code: "INVALID_STATE", key: "errors.lastOwner" } });
      expect(await activeOwners(t)).toHaveLength(1);
      expect(await auditOf(t, "membership.role_changed")).toHaveLength(1);
    }
  });
});

describe("members.setStatus", () => {
  it("deactivates and reactivates a member, auditing both", async () => {
    const slug = uniqueSlug("deact");
    const t = await createTenant({ slug });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const caller = await signedIn(t.owner.userId, hostOf(slug));

    await expect(caller.members.setStatus({ membershipId: viewer.membershipId, status: "deactivated" })).resolves.toMatchObject({
      status: "deactivated",
    });
    await expectTRPCError(caller.members.setStatus({ membershipId: viewer.membershipId, status: "deactivated" }), "PRECONDITION_FAILED", {
      key: "errors.noChange",
    });
    await caller.members.setStatus({ membershipId: viewer.membershipId, status: "active" });

    const audit = await auditOf(t, "membership.status_changed");
    expect(audit.map((a) => a.metadata)).toEqual([
      { before: { status: "active" }, after: { status: "deactivated" }, user: viewer.email },
      { before: { status: "deactivated" }, after: { status: "active" }, user: viewer.email },
    ]);
  });

  it("refuses to deactivate yourself", async () => {
    const slug = uniqueSlug("self");
    const t = await createTenant({ slug });
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    const asAdmin = await signedIn(admin.userId, hostOf(slug));
    await expectTRPCError(asAdmin.members.setStatus({ membershipId: admin.membershipId, status: "deactivated" }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "errors.cannotChangeSelf",
    });
    expect((await memberships(t)).find((m) => m.id === admin.membershipId)?.status).toBe("active");
  });

  it("refuses an admin deactivating the (last) owner, changing nothing: only owners act on owners", async () => {
    const slug = uniqueSlug("lastd");
    const t = await createTenant({ slug });
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    const asAdmin = await signedIn(admin.userId, hostOf(slug));
    await expectTRPCError(asAdmin.members.setStatus({ membershipId: t.owner.membershipId, status: "deactivated" }), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "errors.onlyOwnerActsOnOwner",
    });
    expect(await activeOwners(t)).toEqual([t.owner.membershipId]);
    expect(await auditOf(t, "membership.status_changed")).toEqual([]);
  });

  it("counts only active owners: a deactivated second owner does not let the first step down", async () => {
    const slug = uniqueSlug("inact");
    const t = await createTenant({ slug });
    await addMember(t, { email: uniqueEmail("o2", slug), role: "owner", status: "deactivated" });
    const asOwner = await signedIn(t.owner.userId, hostOf(slug));
    await expectTRPCError(
      asOwner.members.changeRole({ membershipId: t.owner.membershipId, roleId: t.roles.admin }),
      "PRECONDITION_FAILED",
      {
        key: "errors.lastOwner",
      },
    );
    expect(await activeOwners(t)).toEqual([t.owner.membershipId]);
  });
});
