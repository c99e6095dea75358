// The admin console's services through the admin router, as a platform admin on the apex with
// 2FA passed: tenants (search, filters, sorting with keyset pages, detail, suspension),
// users (filters, lock/unlock, forced password reset) and support impersonation (a 30-minute
// session on the tenant host that carries the admin, audited from start to stop).
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { AuthService, IMPERSONATION_SESSION_MS } from "@/server/auth/auth.public";
import { ImpersonationService } from "@/server/team/impersonation.admin";
import { flushDeliveries } from "@/server/notifications/queue";
import { buildTenantContext } from "@/server/core/tenant-context";
import { addMember, createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { APEX, callerFor, expectTRPCError, hostOf, sessionFor, signedIn, testMeta, uniqueEmail, type Caller } from "./support/world";
import {
  MIN,
  apexScope,
  captureMail,
  linkToken,
  manualClock,
  platformAdmin,
  platformAudit,
  sessionRow,
  sessionUser,
  tenantAudit,
  tenantScope,
  tenantSummary,
} from "./support/team";

const PASSWORD = "correct horse battery";
const mail = captureMail();

/** Lowercase letters and digits only, so PostgreSQL's collation and JavaScript order them alike. */
const hex = (n: number) => randomBytes(n).toString("hex").slice(0, n);
const newTag = () => `q${hex(9)}`;

/** Signs in on a workspace (by slug) or the apex (null), from a fresh client address. */
async function login(slug: string | null, email: string, password: string) {
  const scope = slug ? await tenantScope(slug) : await apexScope();
  return new AuthService(testMeta()).login(scope, email, password);
}

describe("admin.tenants", () => {
  it("searches slug and name case-insensitively and filters by status", async () => {
    const { caller } = await platformAdmin();
    const tag = newTag();
    const bySlug = await createTenant({ slug: `${tag}a${hex(6)}`, name: "Plain name" });
    const byName = await createTenant({ slug: uniqueSlug("nm"), name: `Shop ${tag.toUpperCase()} Ltd` });
    const suspended = await createTenant({ slug: `${tag}c${hex(6)}`, status: "suspended" });
    await addMember(byName, { email: uniqueEmail("m", byName.slug), role: "viewer" });
    await createTenant({ slug: uniqueSlug("nomatch") });
    const ids = (r: { items: { id: string }[] }) => r.items.map((i) => i.id).sort();

    const all = await caller.admin.tenants({ search: tag.toUpperCase(), limit: 100 });
    expect(ids(all)).toEqual([bySlug.tenantId, byName.tenantId, suspended.tenantId].sort());
    expect(all.nextCursor).toBeNull();
    expect(all.items.find((i) => i.id === byName.tenantId)).toMatchObject({
      slug: byName.slug,
      name: `Shop ${tag.toUpperCase()} Ltd`,
      status: "active",
      members: 2,
      createdAt: expect.any(Date),
    });
    expect(ids(await caller.admin.tenants({ search: tag, status: "active", limit: 100 }))).toEqual(
      [bySlug.tenantId, byName.tenantId].sort(),
    );
    expect(ids(await caller.admin.tenants({ search: tag, status: "suspended", limit: 100 }))).toEqual([suspended.tenantId]);
  });

  it("sorts by name, slug and creation both ways, with disjoint, ordered keyset pages (ties broken by id)", async () => {
    const { caller } = await platformAdmin();
    const tag = newTag();
    const base = Date.now() - 60 * MIN;
    // duplicate names and creation times, so the id must break ties
    const specs = [
      { name: "delta", at: 5 },
      { name: "alpha", at: 3 },
      { name: "charlie", at: 3 },
      { name: "alpha", at: 1 },
      { name: "bravo", at: 4 },
      { name: "echo", at: 3 },
      { name: "alpha", at: 2 },
    ];
    const rows: { id: string; name: string; slug: string; createdAt: number }[] = [];
    for (const s of specs) {
      const t = await createTenant({ slug: `${tag}${hex(6)}`, name: `${tag}${s.name}` });
      const createdAt = new Date(base + s.at * MIN);
      await getDb().tenant.update({ where: { id: t.tenantId }, data: { createdAt } });
      rows.push({ id: t.tenantId, name: `${tag}${s.name}`, slug: t.slug, createdAt: createdAt.getTime() });
    }

    for (const id of ["name", "slug", "createdAt"] as const) {
      for (const desc of [false, true]) {
        const cmp = (a: (typeof rows)[number], b: (typeof rows)[number]) => {
          const byKey = a[id] < b[id] ? -1 : a[id] > b[id] ? 1 : 0;
          const order = byKey !== 0 ? byKey : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
          return desc ? -order : order;
        };
        const expected = [...rows].sort(cmp).map((r) => r.id);

        const pages: string[][] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 10; i++) {
          const page = await caller.admin.tenants({ search: tag, sort: { id, desc }, limit: 2, cursor });
          pages.push(page.items.map((t) => t.id));
          if (!page.nextCursor) break;
          expect(page.nextCursor).toBe(page.items[page.items.length - 1]!.id);
          cursor = page.nextCursor;
        }
        const label = `${id} ${desc ? "desc" : "asc"}`;
        expect(
          pages.map((p) => p.length),
          label,
        ).toEqual([2, 2, 2, 1]);
        expect(new Set(pages.flat()).size, label).toBe(rows.length);
        expect(pages.flat(), label).toEqual(expected);
        const single = await caller.admin.tenants({ search: tag, sort: { id, desc }, limit: 100 });
        expect(
          single.items.map((t) => t.id),
          label,
        ).toEqual(expected);
      }
    }
    // the default is newest first
    expect((await caller.admin.tenants({ search: tag, limit: 100 })).items.map((t) => t.id)).toEqual(
      [...rows].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((r) => r.id),
    );
  });

  it("shows one tenant with its members; an unknown id is NOT_FOUND", async () => {
    const { caller } = await platformAdmin();
    const slug = uniqueSlug("detail");
    const t = await createTenant({ slug, name: "Detail Co" });
    const gone = await addMember(t, { email: uniqueEmail("gone", slug), name: "Gone Member", role: "viewer", status: "deactivated" });
    const staff = await createUser({ email: uniqueEmail("staff", "phteah"), isPlatformAdmin: true });
    await addMember(t, { email: staff.email, role: "manager" });

    const detail = await caller.admin.tenant({ tenantId: t.tenantId });
    expect(detail).toMatchObject({
      id: t.tenantId,
      slug,
      name: "Detail Co",
      status: "active",
      locale: "en",
      timezone: expect.any(String),
      suspendedAt: null,
      suspendedReason: null,
      members: 3,
    });
    expect(detail.memberList).toEqual([
      {
        membershipId: t.owner.membershipId,
        userId: t.owner.userId,
        name: `Owner of ${slug}`,
        email: t.owner.email,
        role: "owner",
        roleName: "Owner",
        status: "active",
        isPlatformAdmin: false,
      },
      {
        membershipId: gone.membershipId,
        userId: gone.userId,
        name: "Gone Member",
        email: gone.email,
        role: "viewer",
        roleName: "Viewer",
        status: "deactivated",
        isPlatformAdmin: false,
      },
      expect.objectContaining({ userId: staff.id, role: "manager", status: "active", isPlatformAdmin: true }),
    ]);
    await expectTRPCError(caller.admin.tenant({ tenantId: randomUUID() }), "NOT_FOUND");
  });

  it("suspends with a reason and reactivates, audited with before/after; members are refused meanwhile; nothing is deleted", async () => {
    const admin = await platformAdmin();
    const slug = uniqueSlug("susp");
    const t = await createTenant({ slug });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const owner = await signedIn(t.owner.userId, hostOf(slug));
    await owner.members.invite({ email: uniqueEmail("inv", slug), roleId: t.roles.manager });
    await owner.roles.create({ name: "Custom", permissions: ["workspace.view"] });
    const claims = [await sessionFor(t.owner.userId, hostOf(slug)), await sessionFor(viewer.userId, hostOf(slug))];

    const snapshot = () =>
      new TenantDb(t.tenantId).run(async (tx) => ({
        memberships: await tx.membership.findMany({ select: { id: true, status: true, roleId: true }, orderBy: { id: "asc" } }),
        roles: await tx.role.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
        invitations: await tx.invitation.findMany({ select: { id: true, revokedAt: true }, orderBy: { id: "asc" } }),
        audit: await tx.auditLog.findMany({
          where: { action: { not: { startsWith: "admin.tenant." } } },
          select: { id: true },
          orderBy: { id: "asc" },
        }),
      }));
    const before = await snapshot();

    await expectTRPCError(admin.caller.admin.suspendTenant({ tenantId: t.tenantId, reason: "no" }), "BAD_REQUEST");
    await expect(admin.caller.admin.suspendTenant({ tenantId: t.tenantId, reason: "  Unpaid invoices  " })).resolves.toEqual({
      tenantId: t.tenantId,
      status: "suspended",
    });
    expect(await admin.caller.admin.tenant({ tenantId: t.tenantId })).toMatchObject({
      status: "suspended",
      suspendedReason: "Unpaid invoices",
      suspendedAt: expect.any(Date),
    });
    await expectTRPCError(admin.caller.admin.suspendTenant({ tenantId: t.tenantId, reason: "Again, twice" }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "errors.noChange",
    });

    // every member, whatever the role, is refused on tenant procedures; their sessions live on
    for (const c of claims) {
      const caller = await callerFor(hostOf(slug), c);
      await expectTRPCError(caller.workspace.current(), "FORBIDDEN", { code: "FORBIDDEN", key: "errors.workspaceSuspended" });
      await expectTRPCError((await callerFor(hostOf(slug), c)).members.list({}), "FORBIDDEN", { key: "errors.workspaceSuspended" });
      expect((await sessionRow(c.sid)).revokedAt).toBeNull();
    }
    expect(await snapshot()).toEqual(before);

    const [suspendedRow, ...more] = await tenantAudit(t.tenantId, "admin.tenant.suspended");
    expect(more).toEqual([]);
    expect(suspendedRow).toMatchObject({
      tenantId: t.tenantId,
      actorUserId: admin.userId,
      actorEmail: admin.email,
      targetType: "tenant",
      targetId: t.tenantId,
      metadata: { before: { status: "active", reason: null }, after: { status: "suspended", reason: "Unpaid invoices" } },
    });

    await expect(admin.caller.admin.reactivateTenant({ tenantId: t.tenantId })).resolves.toEqual({
      tenantId: t.tenantId,
      status: "active",
    });
    expect(await admin.caller.admin.tenant({ tenantId: t.tenantId })).toMatchObject({
      status: "active",
      suspendedReason: null,
      suspendedAt: null,
    });
    for (const c of claims)
      await expect((await callerFor(hostOf(slug), c)).workspace.current()).resolves.toMatchObject({ me: { userId: c.uid } });
    await expectTRPCError(admin.caller.admin.reactivateTenant({ tenantId: t.tenantId }), "PRECONDITION_FAILED", {
      key: "errors.noChange",
    });
    expect(await tenantAudit(t.tenantId, "admin.tenant.reactivated")).toMatchObject([
      {
        actorUserId: admin.userId,
        metadata: { before: { status: "suspended", reason: "Unpaid invoices" }, after: { status: "active", reason: null } },
      },
    ]);
    expect(await snapshot()).toEqual(before);
    await expectTRPCError(admin.caller.admin.suspendTenant({ tenantId: randomUUID(), reason: "Unknown one" }), "NOT_FOUND");
  });

  it("is for platform admins who passed 2FA, on the apex only", async () => {
    const t = await createTenant({ slug: uniqueSlug("guard") });
    const staff = await createUser({ email: uniqueEmail("nomfa", "phteah"), isPlatformAdmin: true });
    await expectTRPCError((await signedIn(staff.id, APEX)).admin.tenants({}), "FORBIDDEN", { key: "errors.mfaRequired" });
    await expectTRPCError(
      (await signedIn(t.owner.userId, APEX)).admin.suspendTenant({ tenantId: t.tenantId, reason: "Mine now" }),
      "NOT_FOUND",
    );
    await expectTRPCError(
      (await signedIn(t.owner.userId, hostOf(t.slug))).admin.suspendTenant({ tenantId: t.tenantId, reason: "Mine now" }),
      "NOT_FOUND",
    );
    expect((await getDb().tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).status).toBe("active");
  });
});

describe("admin.users", () => {
  it("searches email and name and filters locked, admins and reset-required, with keyset pages", async () => {
    const { caller } = await platformAdmin();
    const tag = newTag();
    const t = await createTenant({ slug: uniqueSlug("usr") });
    const plain = await addMember(t, { email: `${tag}-plain@example.test`, name: "Plain", role: "viewer" });
    const locked = await createUser({ email: `${tag}-locked@example.test`, name: "Locked" });
    await getDb().user.update({ where: { id: locked.id }, data: { lockedAt: new Date() } });
    const staff = await createUser({ email: `staff-${hex(8)}@phteah.test`, name: `Staff ${tag.toUpperCase()}`, isPlatformAdmin: true });
    await getDb().user.update({ where: { id: staff.id }, data: { totpEnabledAt: new Date() } }); // what enrolment leaves behind
    const reset = await createUser({ email: `${tag}-reset@example.test`, name: "Reset" });
    await getDb().user.update({ where: { id: reset.id }, data: { passwordResetRequired: true } });

    const all = await caller.admin.users({ search: tag.toUpperCase(), limit: 100 });
    const everyone = [plain.userId, locked.id, staff.id, reset.id];
    expect(all.items.map((u) => u.id)).toEqual([...everyone].sort().reverse()); // newest first
    expect(all.items.find((u) => u.id === plain.userId)).toMatchObject({
      email: plain.email,
      name: "Plain",
      isPlatformAdmin: false,
      lockedAt: null,
      passwordResetRequired: false,
      totpEnabled: false,
      workspaces: [t.slug],
    });
    expect(all.items.find((u) => u.id === staff.id)).toMatchObject({ isPlatformAdmin: true, totpEnabled: true, workspaces: [] });

    const only = async (filter: "locked" | "admins" | "reset_required") =>
      (await caller.admin.users({ search: tag, filter, limit: 100 })).items.map((u) => u.id);
    expect(await only("locked")).toEqual([locked.id]);
    expect(await only("admins")).toEqual([staff.id]);
    expect(await only("reset_required")).toEqual([reset.id]);

    const first = await caller.admin.users({ search: tag, limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toBe(first.items[2]!.id);
    const second = await caller.admin.users({ search: tag, limit: 3, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((u) => u.id)).toEqual(all.items.map((u) => u.id));
  });

  it("locks a user: every session ends at once and sign-in is refused until unlocked", async () => {
    const admin = await platformAdmin();
    const slug = uniqueSlug("lock");
    const t = await createTenant({ slug });
    const other = await createTenant({ slug: uniqueSlug("lock2") });
    const member = await addMember(t, { email: uniqueEmail("m", slug), password: PASSWORD, role: "manager" });
    await addMember(other, { email: member.email, role: "viewer" });
    const sessions: [string, Awaited<ReturnType<typeof sessionFor>>][] = [
      [hostOf(slug), await sessionFor(member.userId, hostOf(slug))],
      [hostOf(other.slug), await sessionFor(member.userId, hostOf(other.slug))],
    ];
    const auth = new AuthService(testMeta());

    await expect(admin.caller.admin.lockUser({ userId: member.userId })).resolves.toEqual({ userId: member.userId, locked: true });
    for (const [host, claims] of sessions) {
      expect(await auth.resolveSession(claims, host)).toBeNull();
      expect((await sessionRow(claims.sid)).revokedAt).not.toBeNull();
      await expectTRPCError((await callerFor(host, claims)).workspace.current(), "UNAUTHORIZED");
    }
    expect(await login(slug, member.email, PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    const failed = await tenantAudit(t.tenantId, "auth.login.failed");
    // a workspace's audit log does not tell a locked account from a wrong password or an unknown e-mail
    expect(failed.map((r) => r.metadata)).toEqual([{ reason: "invalid_credentials" }]);
    expect((await admin.caller.admin.users({ search: member.email, filter: "locked" })).items.map((u) => u.id)).toEqual([member.userId]);
    expect(await platformAudit("admin.user.locked", member.userId)).toMatchObject([
      { actorUserId: admin.userId, actorEmail: admin.email, targetType: "user", metadata: { user: member.email } },
    ]);

    await expectTRPCError(admin.caller.admin.lockUser({ userId: member.userId }), "PRECONDITION_FAILED", { key: "errors.noChange" });
    await expectTRPCError(admin.caller.admin.lockUser({ userId: admin.userId }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "errors.cannotChangeSelf",
    });
    await expectTRPCError(admin.caller.admin.lockUser({ userId: randomUUID() }), "NOT_FOUND");
    expect((await getDb().user.findUniqueOrThrow({ where: { id: admin.userId } })).lockedAt).toBeNull();

    await expect(admin.caller.admin.unlockUser({ userId: member.userId })).resolves.toEqual({ userId: member.userId, locked: false });
    expect(await login(slug, member.email, PASSWORD)).toMatchObject({ ok: true, userId: member.userId });
    // unlocking does not bring the ended sessions back
    for (const [host, claims] of sessions) expect(await auth.resolveSession(claims, host)).toBeNull();
    await expectTRPCError(admin.caller.admin.unlockUser({ userId: member.userId }), "PRECONDITION_FAILED", { key: "errors.noChange" });
    expect(await platformAudit("admin.user.unlocked", member.userId)).toMatchObject([{ actorUserId: admin.userId }]);
  });

  it("forces a password reset: sessions end, the old password is refused, a reset link goes out for the user's workspace", async () => {
    const admin = await platformAdmin();
    const left = await createTenant({ slug: uniqueSlug("left") });
    const slug = uniqueSlug("force");
    const t = await createTenant({ slug, name: "Mekong Homes" });
    // deactivated in one workspace, active in another: the link is for the active one
    const member = await addMember(left, {
      email: uniqueEmail("m", slug),
      name: "Sophea",
      password: PASSWORD,
      role: "viewer",
      status: "deactivated",
    });
    await addMember(t, { email: member.email, role: "manager" });
    const claims = await sessionFor(member.userId, hostOf(slug));

    await expect(admin.caller.admin.forcePasswordReset({ userId: member.userId })).resolves.toEqual({
      userId: member.userId,
      emailed: true,
    });
    expect(await new AuthService(testMeta()).resolveSession(claims, hostOf(slug))).toBeNull();
    expect(await login(slug, member.email, PASSWORD)).toEqual({ ok: false, reason: "reset_required" });
    expect(await login(slug, member.email, "not the password")).toEqual({ ok: false, reason: "invalid" });
    expect((await admin.caller.admin.users({ search: member.email, filter: "reset_required" })).items.map((u) => u.id)).toEqual([
      member.userId,
    ]);
    expect(await platformAudit("admin.user.password_reset_forced", member.userId)).toMatchObject([
      { actorUserId: admin.userId, actorEmail: admin.email, metadata: { user: member.email } },
    ]);

    await flushDeliveries();
    const [message, ...more] = mail.to(member.email);
    expect(more).toEqual([]);
    expect(message!.subject).toBe("Reset your Mekong Homes password");
    expect(message!.tags).toEqual({ kind: "auth_password_reset", message_id: expect.any(String) });
    const { url, token } = linkToken(message!, "reset-password");
    expect(url.startsWith(`http://${slug}.localhost:3000/reset-password?token=`)).toBe(true);

    const scope = await tenantScope(slug);
    expect(await new AuthService(testMeta()).resetPassword(scope, token, "a brand new password")).toBe("ok");
    expect((await getDb().user.findUniqueOrThrow({ where: { id: member.userId } })).passwordResetRequired).toBe(false);
    expect(await login(slug, member.email, "a brand new password")).toMatchObject({ ok: true, userId: member.userId });
    expect(await login(slug, member.email, PASSWORD)).toEqual({ ok: false, reason: "invalid" });
  });

  it("sends a platform admin's forced-reset link to the apex, and mails no one without a workspace", async () => {
    const admin = await platformAdmin();
    const staff = await createUser({ email: uniqueEmail("staff", "phteah"), password: PASSWORD, isPlatformAdmin: true });
    const staffClaims = await sessionFor(staff.id, APEX);

    await expect(admin.caller.admin.forcePasswordReset({ userId: staff.id })).resolves.toEqual({ userId: staff.id, emailed: true });
    expect(await new AuthService(testMeta()).resolveSession(staffClaims, APEX)).toBeNull();
    expect(await login(null, staff.email, PASSWORD)).toEqual({ ok: false, reason: "reset_required" });
    const [message] = mail.to(staff.email);
    expect(message!.subject).toBe("Reset your Phteah password");
    const { url, token } = linkToken(message!, "reset-password");
    expect(url.startsWith(`http://${APEX}:3000/reset-password?token=`)).toBe(true);
    expect(await new AuthService(testMeta()).resetPassword(await apexScope(), token, "a brand new password")).toBe("ok");
    expect(await login(null, staff.email, "a brand new password")).toMatchObject({ ok: true, userId: staff.id });

    const loner = await createUser({ email: uniqueEmail("loner", "nowhere"), password: PASSWORD });
    await expect(admin.caller.admin.forcePasswordReset({ userId: loner.id })).resolves.toEqual({ userId: loner.id, emailed: false });
    await flushDeliveries();
    expect(mail.to(loner.email)).toEqual([]);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: loner.id } })).passwordResetRequired).toBe(true);
    await expectTRPCError(admin.caller.admin.forcePasswordReset({ userId: randomUUID() }), "NOT_FOUND");
  });
});

describe("impersonation", () => {
  async function world() {
    const admin = await platformAdmin("support");
    const slug = uniqueSlug("imp");
    const t = await createTenant({ slug });
    const member = await addMember(t, { email: uniqueEmail("dara", slug), name: "Dara Member", role: "admin" });
    return { admin, t, slug, host: hostOf(slug), member };
  }

  function tokenOf(url: string): string {
    return new URL(url).searchParams.get("token")!;
  }

  async function impersonationsBy(adminId: string) {
    return getDb().authToken.count({ where: { impersonatorUserId: adminId } });
  }

  async function startedRows(t: CreatedTenant) {
    return tenantAudit(t.tenantId, "admin.impersonation.started");
  }

  it("refuses platform admins, deactivated members, suspended tenants and unknown ids", async () => {
    const { admin, t, slug } = await world();
    const staff = await createUser({ email: uniqueEmail("staff", "phteah"), isPlatformAdmin: true });
    const staffMembership = await addMember(t, { email: staff.email, role: "viewer" });
    const gone = await addMember(t, { email: uniqueEmail("gone", slug), role: "viewer", status: "deactivated" });
    const frozen = await createTenant({ slug: uniqueSlug("frozen"), status: "suspended" });
    const other = await createTenant({ slug: uniqueSlug("impo") });
    const start = (tenantId: string, membershipId: string) => admin.caller.admin.impersonate({ tenantId, membershipId });

    await expectTRPCError(start(t.tenantId, staffMembership.membershipId), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "errors.cannotImpersonateAdmin",
    });
    await expectTRPCError(start(t.tenantId, gone.membershipId), "NOT_FOUND");
    await expectTRPCError(start(frozen.tenantId, frozen.owner.membershipId), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "errors.workspaceSuspended",
    });
    await expectTRPCError(start(t.tenantId, other.owner.membershipId), "NOT_FOUND");
    await expectTRPCError(start(randomUUID(), t.owner.membershipId), "NOT_FOUND");

    expect(await impersonationsBy(admin.userId)).toBe(0);
    expect(await startedRows(t)).toEqual([]);
    expect(await startedRows(frozen)).toEqual([]);
  });

  it("audits the start in the tenant's log; the ticket opens a 30-minute session on the tenant host that carries the admin", async () => {
    const { admin, t, slug, host, member } = await world();
    const { url } = await admin.caller.admin.impersonate({ tenantId: t.tenantId, membershipId: member.membershipId });
    expect(url).toMatch(new RegExp(`^http://${slug}\\.localhost:3000/auth/handoff\\?token=[A-Za-z0-9_-]{43}$`));
    expect(await startedRows(t)).toMatchObject([
      {
        actorUserId: admin.userId,
        actorEmail: admin.email,
        impersonatorUserId: admin.userId,
        targetType: "user",
        targetId: member.userId,
        metadata: { user: member.email, minutes: 30 },
      },
    ]);

    const clock = manualClock();
    const auth = new AuthService(testMeta(), clock);
    const token = tokenOf(url);
    expect(await auth.redeemHandoff(token, APEX)).toBeNull();
    expect(await auth.redeemHandoff(token, hostOf(uniqueSlug("else")))).toBeNull();
    const claims = await auth.redeemHandoff(token, host);
    expect(claims).toMatchObject({ uid: member.userId, host });
    expect(await auth.redeemHandoff(token, host)).toBeNull();

    const row = await sessionRow(claims!.sid);
    expect(row).toMatchObject({ userId: member.userId, tenantId: t.tenantId, host, impersonatorUserId: admin.userId, revokedAt: null });
    expect(row.expiresAt.getTime()).toBe(clock().getTime() + 30 * MIN);
    expect(IMPERSONATION_SESSION_MS).toBe(30 * MIN);
    expect(await auth.resolveSession(claims, host)).toMatchObject({ userId: member.userId, impersonatorUserId: admin.userId });

    clock.advance(30 * MIN - 1_000);
    expect(await auth.resolveSession(claims, host)).not.toBeNull();
    clock.advance(1_000);
    expect(await auth.resolveSession(claims, host)).toBeNull();

    // the admin's own console session is untouched
    await expect(admin.caller.admin.users({ limit: 1 })).resolves.toMatchObject({ items: expect.any(Array) });
    expect((await sessionRow(admin.claims.sid)).revokedAt).toBeNull();
  });

  it("lets the ticket itself expire after two minutes", async () => {
    const { admin, t, host, member } = await world();
    const { url } = await admin.caller.admin.impersonate({ tenantId: t.tenantId, membershipId: member.membershipId });
    const clock = manualClock();
    clock.advance(2 * MIN + 1_000);
    expect(await new AuthService(testMeta(), clock).redeemHandoff(tokenOf(url), host)).toBeNull();
  });

  it("runs tenant procedures as the member, and audited actions record the member as actor and the admin as impersonator", async () => {
    const { admin, t, slug, host, member } = await world();
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const { url } = await admin.caller.admin.impersonate({ tenantId: t.tenantId, membershipId: member.membershipId });
    const claims = (await new AuthService(testMeta()).redeemHandoff(tokenOf(url), host))!;

    const ctx = await buildTenantContext(await tenantSummary(slug), await sessionUser(claims, host), testMeta());
    expect(ctx).toMatchObject({
      userId: member.userId,
      membershipId: member.membershipId,
      roleKey: "admin",
      impersonatorUserId: admin.userId,
    });

    const asMember: Caller = await callerFor(host, claims);
    expect((await asMember.workspace.current()).me).toMatchObject({ userId: member.userId, email: member.email, role: "admin" });
    await asMember.members.changeRole({ membershipId: viewer.membershipId, roleId: t.roles.manager });
    // the member's own session records no impersonator
    await (await signedIn(member.userId, host)).members.changeRole({ membershipId: viewer.membershipId, roleId: t.roles.viewer });

    expect(await tenantAudit(t.tenantId, "membership.role_changed")).toMatchObject([
      {
        actorUserId: member.userId,
        actorEmail: member.email,
        impersonatorUserId: admin.userId,
        targetId: viewer.membershipId,
        metadata: { before: { role: "viewer" }, after: { role: "manager" } },
      },
      { actorUserId: member.userId, impersonatorUserId: null, metadata: { after: { role: "viewer" } } },
    ]);
  });

  it("stop revokes the impersonation session and is audited; describe says who acts as whom until when", async () => {
    const { admin, t, slug, host, member } = await world();
    const { url } = await admin.caller.admin.impersonate({ tenantId: t.tenantId, membershipId: member.membershipId });
    const claims = (await new AuthService(testMeta()).redeemHandoff(tokenOf(url), host))!;
    const impersonated = await sessionUser(claims, host);
    const ownClaims = await sessionFor(member.userId, host);
    const own = await sessionUser(ownClaims, host);
    const service = new ImpersonationService(testMeta());

    expect(await service.describe(impersonated)).toEqual({
      adminEmail: admin.email,
      userName: "Dara Member",
      endsAt: (await sessionRow(claims.sid)).expiresAt,
    });
    expect(await service.describe(own)).toBeNull();
    await expect(service.stop(own, t.tenantId)).rejects.toMatchObject({ code: "INVALID_STATE" });

    await service.stop(impersonated, t.tenantId);
    const auth = new AuthService(testMeta());
    expect(await auth.resolveSession(claims, host)).toBeNull();
    await expectTRPCError((await callerFor(host, claims)).workspace.current(), "UNAUTHORIZED");
    // neither the member's own session nor the admin's console session ends
    expect(await auth.resolveSession(ownClaims, host)).toMatchObject({ userId: member.userId });
    await expect(admin.caller.admin.tenant({ tenantId: t.tenantId })).resolves.toMatchObject({ slug });

    expect(await tenantAudit(t.tenantId, "admin.impersonation.stopped")).toMatchObject([
      {
        actorUserId: admin.userId,
        actorEmail: admin.email,
        impersonatorUserId: admin.userId,
        targetType: "user",
        targetId: member.userId,
        metadata: { user: member.email },
      },
    ]);
  });
});
