// The team features against the real database: invitations (invite, list, resend, revoke,
// seven-day expiry, one pending invitation per address), accepting them (new or existing
// account, reactivation, single use, throttling), removing members, transferring ownership,
// and custom roles whose edits apply on the member's next call.
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { hashToken } from "@/server/auth/tokens";
import { AuthService } from "@/server/auth/auth.public";
import { InvitationAcceptService } from "@/server/team/invitation-accept.public";
import { InvitationService } from "@/server/team/invitation-service";
import { MemberService } from "@/server/team/member-service";
import { DEFAULT_ROLES } from "@/lib/permissions";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { flushDeliveries } from "@/server/notifications/queue";
import { callerFor, expectTRPCError, hostOf, sessionFor, signedIn, testMeta, uniqueEmail, uniqueIp } from "./support/world";
import {
  DAY,
  MIN,
  captureMail,
  linkToken,
  manualClock,
  tenantAudit,
  tenantContextFor,
  tenantScope,
  tenantSummary,
  type ManualClock,
} from "./support/team";

const PASSWORD = "correct horse battery";
const mail = captureMail();

/** The token of the latest invitation mail to `email`. */
async function inviteToken(email: string): Promise<string> {
  await flushDeliveries();
  const mails = mail.to(email).filter((m) => m.tags?.kind === "team_invitation");
  const last = mails[mails.length - 1];
  if (!last) throw new Error(`no invitation mail to ${email}`);
  return linkToken(last, "invite").token;
}

function acceptor(clock?: ManualClock, ip = uniqueIp()) {
  return new InvitationAcceptService(testMeta({ ip }), clock);
}

async function preview(t: CreatedTenant, token: string, clock?: ManualClock) {
  return acceptor(clock).preview(await tenantSummary(t.slug), token);
}

async function invitationRow(t: CreatedTenant, id: string) {
  return new TenantDb(t.tenantId).run((tx) => tx.invitation.findUniqueOrThrow({ where: { id } }));
}

async function membershipsOf(t: CreatedTenant) {
  return new TenantDb(t.tenantId).run((tx) =>
    tx.membership.findMany({
      select: { id: true, userId: true, status: true, role: { select: { key: true } } },
      orderBy: { id: "asc" },
    }),
  );
}

async function activeOwners(t: CreatedTenant) {
  return (await membershipsOf(t)).filter((m) => m.status === "active" && m.role.key === "owner").map((m) => m.id);
}

async function ownerOf(prefix: string, opts: { name?: string } = {}) {
  const slug = uniqueSlug(prefix);
  const t = await createTenant({ slug, name: opts.name, password: PASSWORD });
  return { t, slug, host: hostOf(slug), owner: await signedIn(t.owner.userId, hostOf(slug)) };
}

describe("invitations", () => {
  it("invites by email: a pending invitation for 7 days, a mail linking to the workspace host, an audit row", async () => {
    const { t, slug, owner } = await ownerOf("inv", { name: "Sokha Rentals" });
    const email = uniqueEmail("new", slug);

    const row = await owner.members.invite({ email: `  ${email.toUpperCase()} `, roleId: t.roles.manager });
    expect(row).toMatchObject({ email, role: { id: t.roles.manager, key: "manager", name: "Manager" }, sendCount: 1, isExpired: false });
    expect(row.expiresAt.getTime() - row.lastSentAt.getTime()).toBe(7 * DAY);
    expect(Math.abs(row.lastSentAt.getTime() - Date.now())).toBeLessThan(MIN);
    expect(await owner.members.invitations()).toEqual([row]);

    await flushDeliveries();
    const [message, ...more] = mail.to(email);
    expect(more).toEqual([]);
    expect(message!.subject).toBe("You are invited to Sokha Rentals on Phteah");
    expect(message!.text).toContain(`Owner of ${slug} invited you to join Sokha Rentals as Manager.`);
    expect(message!.tags).toEqual({ kind: "team_invitation", message_id: expect.any(String) });
    const { url, token } = linkToken(message!, "invite");
    expect(url.startsWith(`http://${slug}.localhost:3000/invite?token=`)).toBe(true);
    expect(message!.html).toContain(`href="${url}"`);

    // only the hash is stored
    const stored = await invitationRow(t, row.id);
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.invitedByUserId).toBe(t.owner.userId);

    expect(await preview(t, token)).toEqual({
      valid: true,
      email,
      roleName: "Manager",
      roleKey: "manager",
      workspace: "Sokha Rentals",
      hasAccount: false,
    });
    // the token means nothing on another workspace
    const other = await createTenant({ slug: uniqueSlug("oth") });
    expect(await preview(other, token)).toEqual({ valid: false });

    const audit = await tenantAudit(t.tenantId, "invitation.created");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: t.owner.userId,
      actorEmail: t.owner.email,
      targetType: "invitation",
      targetId: row.id,
      metadata: { email, role: "manager" },
    });
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("keeps one pending invitation per address: a re-invite revokes the previous one and its link", async () => {
    const { t, slug, owner } = await ownerOf("reinv");
    const email = uniqueEmail("twice", slug);
    const first = await owner.members.invite({ email, roleId: t.roles.viewer });
    const firstToken = await inviteToken(email);
    const second = await owner.members.invite({ email, roleId: t.roles.manager });
    const secondToken = await inviteToken(email);

    expect(second.id).not.toBe(first.id);
    expect((await owner.members.invitations()).map((i) => [i.id, i.role.key])).toEqual([[second.id, "manager"]]);
    expect((await invitationRow(t, first.id)).revokedAt).not.toBeNull();
    expect(await preview(t, firstToken)).toEqual({ valid: false });
    expect(await preview(t, secondToken)).toMatchObject({ valid: true, roleKey: "manager" });

    // concurrent invitations of one address still leave exactly one pending
    const racer = uniqueEmail("race", slug);
    await Promise.all([0, 1, 2, 3].map(() => owner.members.invite({ email: racer, roleId: t.roles.viewer })));
    const pending = await new TenantDb(t.tenantId).run((tx) =>
      tx.invitation.findMany({ where: { email: racer, acceptedAt: null, revokedAt: null } }),
    );
    expect(pending).toHaveLength(1);
    expect((await owner.members.invitations()).map((i) => i.email).sort()).toEqual([email, racer].sort());
  });

  it("refuses to invite an active member (CONFLICT), but invites a deactivated member or another workspace's user", async () => {
    const { t, slug, owner } = await ownerOf("conf");
    const member = await addMember(t, { email: uniqueEmail("m", slug), role: "viewer" });
    await expectTRPCError(owner.members.invite({ email: member.email, roleId: t.roles.manager }), "CONFLICT", {
      code: "CONFLICT",
      key: "errors.alreadyMember",
    });
    await expectTRPCError(owner.members.invite({ email: t.owner.email, roleId: t.roles.owner }), "CONFLICT", {
      key: "errors.alreadyMember",
    });
    await flushDeliveries();
    expect(mail.to(member.email)).toEqual([]);
    expect(await owner.members.invitations()).toEqual([]);
    expect(await tenantAudit(t.tenantId, "invitation.created")).toEqual([]);

    const gone = await addMember(t, { email: uniqueEmail("gone", slug), role: "viewer", status: "deactivated" });
    await expect(owner.members.invite({ email: gone.email, roleId: t.roles.viewer })).resolves.toMatchObject({ email: gone.email });
    const elsewhere = await createTenant({ slug: uniqueSlug("else") });
    await owner.members.invite({ email: elsewhere.owner.email, roleId: t.roles.viewer });
    expect(await preview(t, await inviteToken(elsewhere.owner.email))).toMatchObject({ valid: true, hasAccount: true });
  });

  it("lets only an owner invite as owner, and only members with members.manage invite at all", async () => {
    const { t, slug, owner, host } = await ownerOf("grant");
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const asAdmin = await signedIn(admin.userId, host);
    const asViewer = await signedIn(viewer.userId, host);
    const x = uniqueEmail("x", slug);

    await expectTRPCError(asAdmin.members.invite({ email: x, roleId: t.roles.owner }), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "errors.onlyOwnerCanGrantOwner",
    });
    await expectTRPCError(asViewer.members.invite({ email: x, roleId: t.roles.viewer }), "FORBIDDEN", { key: "errors.missingPermission" });
    await flushDeliveries();
    expect(mail.to(x)).toEqual([]);

    await expect(asAdmin.members.invite({ email: x, roleId: t.roles.admin })).resolves.toMatchObject({ role: { key: "admin" } });
    const y = uniqueEmail("y", slug);
    await expect(owner.members.invite({ email: y, roleId: t.roles.owner })).resolves.toMatchObject({ role: { key: "owner" } });
    expect((await tenantAudit(t.tenantId, "invitation.created")).map((a) => a.actorUserId)).toEqual([admin.userId, t.owner.userId]);
  });

  it("resends with a new token and seven more days; the old link stops working", async () => {
    const { t, slug, owner } = await ownerOf("resend");
    const clock = manualClock();
    const service = new InvitationService(await tenantContextFor(t.owner.userId, slug), clock);
    const email = uniqueEmail("r", slug);
    const row = await service.invite({ email, roleId: t.roles.viewer });
    const oldToken = await inviteToken(email);
    expect(row.expiresAt.getTime()).toBe(clock().getTime() + 7 * DAY);

    clock.advance(6 * DAY);
    const again = await service.resend(row.id);
    expect(again).toMatchObject({ id: row.id, sendCount: 2, isExpired: false, lastSentAt: clock() });
    expect(again.expiresAt.getTime()).toBe(clock().getTime() + 7 * DAY);
    await flushDeliveries();
    expect(mail.to(email)).toHaveLength(2);
    const newToken = await inviteToken(email);
    expect(newToken).not.toBe(oldToken);
    expect(await preview(t, oldToken, clock)).toEqual({ valid: false });

    // twelve days after the first mail: past the first deadline, within the new one
    clock.advance(6 * DAY);
    expect(await preview(t, newToken, clock)).toMatchObject({ valid: true, email });

    const audit = await tenantAudit(t.tenantId, "invitation.resent");
    expect(audit).toMatchObject([{ actorUserId: t.owner.userId, targetId: row.id, metadata: { email } }]);

    await owner.members.revokeInvitation({ invitationId: row.id });
    await expectTRPCError(owner.members.resendInvitation({ invitationId: row.id }), "NOT_FOUND");
    await flushDeliveries();
    expect(mail.to(email)).toHaveLength(2);
  });

  it("revokes: the link stops working, the list forgets it, a second revoke is NOT_FOUND", async () => {
    const { t, slug, owner, host } = await ownerOf("revoke");
    const email = uniqueEmail("rv", slug);
    const row = await owner.members.invite({ email, roleId: t.roles.viewer });
    const token = await inviteToken(email);

    await expect(owner.members.revokeInvitation({ invitationId: row.id })).resolves.toEqual({ revoked: row.id });
    expect(await owner.members.invitations()).toEqual([]);
    expect(await preview(t, token)).toEqual({ valid: false });
    expect(await acceptor().accept(await tenantSummary(slug), host, { token, password: PASSWORD, name: "Too Late" })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await getDb().user.findUnique({ where: { email } })).toBeNull();

    await expectTRPCError(owner.members.revokeInvitation({ invitationId: row.id }), "NOT_FOUND");
    expect(await tenantAudit(t.tenantId, "invitation.revoked")).toMatchObject([
      { actorUserId: t.owner.userId, targetType: "invitation", targetId: row.id },
    ]);
  });

  it("expires after seven days: the list marks it, preview and accept refuse it, a resend revives it", async () => {
    const { t, slug, host } = await ownerOf("exp");
    const clock = manualClock();
    const ctx = await tenantContextFor(t.owner.userId, slug);
    const email = uniqueEmail("e", slug);
    const row = await new InvitationService(ctx, clock).invite({ email, roleId: t.roles.viewer });
    const token = await inviteToken(email);

    clock.advance(7 * DAY - 1_000);
    expect(await preview(t, token, clock)).toMatchObject({ valid: true });
    expect(await new InvitationService(ctx, clock).list()).toMatchObject([{ id: row.id, isExpired: false }]);

    clock.advance(1_000);
    expect(await preview(t, token, clock)).toEqual({ valid: false });
    expect(await new InvitationService(ctx, clock).list()).toMatchObject([{ id: row.id, isExpired: true }]);
    const summary = await tenantSummary(slug);
    expect(await acceptor(clock).accept(summary, host, { token, password: PASSWORD, name: "Late" })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await getDb().user.findUnique({ where: { email } })).toBeNull();

    await new InvitationService(ctx, clock).resend(row.id);
    const fresh = await inviteToken(email);
    expect(await acceptor(clock).accept(summary, host, { token: fresh, password: PASSWORD, name: "Revived" })).toMatchObject({ ok: true });
  });
});

describe("accepting an invitation", () => {
  it("creates an account (name + password of 10 or more) and signs it in on the workspace host only", async () => {
    const { t, slug, host, owner } = await ownerOf("acc");
    const email = uniqueEmail("newbie", slug);
    const row = await owner.members.invite({ email, roleId: t.roles.manager });
    const token = await inviteToken(email);
    const summary = await tenantSummary(slug);
    const service = acceptor();

    await expect(service.accept(summary, host, { token, password: "too short", name: "Nary" })).rejects.toMatchObject({
      code: "VALIDATION",
      key: "validation.passwordTooShort",
    });
    await expect(service.accept(summary, host, { token, password: PASSWORD })).rejects.toMatchObject({
      code: "VALIDATION",
      key: "validation.required",
    });
    expect(await getDb().user.findUnique({ where: { email } })).toBeNull();
    expect(await preview(t, token)).toMatchObject({ valid: true });

    const result = await service.accept(summary, host, { token, password: PASSWORD, name: "Nary Chea" });
    expect(result).toEqual({ ok: true, ticket: expect.any(String) });
    if (!result.ok) throw new Error("unreachable");
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "Nary Chea", isPlatformAdmin: false, lockedAt: null });

    const auth = new AuthService(testMeta());
    expect(await auth.redeemHandoff(result.ticket, hostOf(uniqueSlug("elsewhere")))).toBeNull();
    const claims = await auth.redeemHandoff(result.ticket, host);
    expect(claims).toMatchObject({ uid: user.id, host });
    const me = await (await callerFor(host, claims)).workspace.current();
    expect(me.me).toMatchObject({ userId: user.id, email, role: "manager" });
    expect(await auth.login(await tenantScope(slug), email, PASSWORD)).toMatchObject({ ok: true, userId: user.id });

    // single use
    expect(await service.accept(summary, host, { token, password: PASSWORD, name: "Again" })).toEqual({ ok: false, reason: "invalid" });
    expect(await preview(t, token)).toEqual({ valid: false });
    expect(await owner.members.invitations()).toEqual([]);
    expect((await invitationRow(t, row.id)).acceptedAt).not.toBeNull();

    const membership = (await membershipsOf(t)).find((m) => m.userId === user.id)!;
    expect(membership).toMatchObject({ status: "active", role: { key: "manager" } });
    expect(await tenantAudit(t.tenantId, "invitation.accepted")).toMatchObject([
      {
        actorUserId: user.id,
        actorEmail: email,
        impersonatorUserId: null,
        targetType: "membership",
        targetId: membership.id,
        metadata: { invitationId: row.id, role: "manager", newAccount: true, reactivated: false },
      },
    ]);
  });

  it("lets an existing account join by proving its password; a wrong password claims nothing", async () => {
    const home = await createTenant({ slug: uniqueSlug("home"), password: PASSWORD, ownerName: "Vanna Home" });
    const { t, slug, host, owner } = await ownerOf("join");
    await owner.members.invite({ email: home.owner.email, roleId: t.roles.viewer });
    const token = await inviteToken(home.owner.email);
    const summary = await tenantSummary(slug);
    expect(await preview(t, token)).toMatchObject({ valid: true, hasAccount: true, email: home.owner.email });

    expect(await acceptor().accept(summary, host, { token, password: "not my password" })).toEqual({ ok: false, reason: "bad_password" });
    expect(await preview(t, token)).toMatchObject({ valid: true });
    expect((await membershipsOf(t)).map((m) => m.userId)).not.toContain(home.owner.userId);

    const result = await acceptor().accept(summary, host, { token, password: PASSWORD, name: "Ignored Name" });
    expect(result).toMatchObject({ ok: true });
    const user = await getDb().user.findUniqueOrThrow({ where: { id: home.owner.userId } });
    expect(user.name).toBe("Vanna Home");
    // the password is unchanged, the other workspace untouched
    expect(await new AuthService(testMeta()).login(await tenantScope(slug), home.owner.email, PASSWORD)).toMatchObject({ ok: true });
    expect(await activeOwners(home)).toEqual([home.owner.membershipId]);
    expect((await membershipsOf(t)).find((m) => m.userId === home.owner.userId)).toMatchObject({
      status: "active",
      role: { key: "viewer" },
    });
    expect(await tenantAudit(t.tenantId, "invitation.accepted")).toMatchObject([
      { actorUserId: home.owner.userId, metadata: { newAccount: false, reactivated: false } },
    ]);
  });

  it("reactivates a deactivated membership with the invited role", async () => {
    const { t, slug, host, owner } = await ownerOf("react");
    const gone = await addMember(t, { email: uniqueEmail("gone", slug), password: PASSWORD, role: "viewer", status: "deactivated" });
    await owner.members.invite({ email: gone.email, roleId: t.roles.manager });
    const result = await acceptor().accept(await tenantSummary(slug), host, { token: await inviteToken(gone.email), password: PASSWORD });
    expect(result).toMatchObject({ ok: true });

    const mine = (await membershipsOf(t)).filter((m) => m.userId === gone.userId);
    expect(mine).toEqual([{ id: gone.membershipId, userId: gone.userId, status: "active", role: { key: "manager" } }]);
    expect(await tenantAudit(t.tenantId, "invitation.accepted")).toMatchObject([
      { targetId: gone.membershipId, metadata: { role: "manager", newAccount: false, reactivated: true } },
    ]);
  });

  // Regression: accept() used to overwrite the role of an ACTIVE membership without the owner
  // checks, so a stale invitation demoted the only owner and left the workspace with none.
  it("never demotes the only owner through a stale invitation", async () => {
    const { t, slug, host, owner } = await ownerOf("stale");
    const x = await addMember(t, { email: uniqueEmail("x", slug), password: PASSWORD, role: "viewer", status: "deactivated" });
    await owner.members.invite({ email: x.email, roleId: t.roles.viewer }); // allowed: x is not active
    await owner.members.setStatus({ membershipId: x.membershipId, status: "active" });
    await owner.members.transferOwnership({ membershipId: x.membershipId });
    expect(await activeOwners(t)).toEqual([x.membershipId]);

    await acceptor().accept(await tenantSummary(slug), host, { token: await inviteToken(x.email), password: PASSWORD });
    expect(await activeOwners(t)).toEqual([x.membershipId]);
  });

  it("refuses a locked account even with the right password", async () => {
    const { t, slug, host, owner } = await ownerOf("lockd");
    const other = await createTenant({ slug: uniqueSlug("lk"), password: PASSWORD });
    await owner.members.invite({ email: other.owner.email, roleId: t.roles.viewer });
    await getDb().user.update({ where: { id: other.owner.userId }, data: { lockedAt: new Date() } });
    const token = await inviteToken(other.owner.email);
    expect(await acceptor().accept(await tenantSummary(slug), host, { token, password: PASSWORD })).toEqual({
      ok: false,
      reason: "bad_password",
    });
    expect(await preview(t, token)).toMatchObject({ valid: true });
  });

  it("throttles a client address after 5 failures (wrong passwords or bad tokens) for 15 minutes", async () => {
    const home = await createTenant({ slug: uniqueSlug("thr"), password: PASSWORD });
    const { t, slug, host, owner } = await ownerOf("throt");
    await owner.members.invite({ email: home.owner.email, roleId: t.roles.viewer });
    const token = await inviteToken(home.owner.email);
    const summary = await tenantSummary(slug);
    const clock = manualClock();
    const ip = uniqueIp();

    for (let i = 0; i < 5; i++) {
      expect(await acceptor(clock, ip).accept(summary, host, { token, password: `wrong-${i}` })).toEqual({
        ok: false,
        reason: "bad_password",
      });
    }
    expect(await acceptor(clock, ip).accept(summary, host, { token, password: PASSWORD })).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: 900,
    });
    expect(await preview(t, token, clock)).toMatchObject({ valid: true });

    clock.advance(15 * MIN);
    expect(await acceptor(clock, ip).accept(summary, host, { token, password: PASSWORD })).toMatchObject({ ok: true });

    // guessing tokens counts too
    const guesser = uniqueIp();
    for (let i = 0; i < 5; i++) {
      expect(await acceptor(clock, guesser).accept(summary, host, { token: `guess-${i}-${"x".repeat(30)}`, password: PASSWORD })).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    expect(await acceptor(clock, guesser).accept(summary, host, { token: "y".repeat(40), password: PASSWORD })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
  });

  it("is single use under concurrency: simultaneous accepts make one account and one membership", async () => {
    const { t, slug, host, owner } = await ownerOf("once");
    const email = uniqueEmail("racer", slug);
    await owner.members.invite({ email, roleId: t.roles.viewer });
    const token = await inviteToken(email);
    const summary = await tenantSummary(slug);

    const results = await Promise.all([0, 1, 2].map(() => acceptor().accept(summary, host, { token, password: PASSWORD, name: "Racer" })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
    ]);
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect((await membershipsOf(t)).filter((m) => m.userId === user.id)).toHaveLength(1);
    expect(await tenantAudit(t.tenantId, "invitation.accepted")).toHaveLength(1);
  });
});

describe("members.remove", () => {
  it("removes the membership (the account stays), ends the user's sessions on this workspace only, and audits", async () => {
    const { t, slug, host, owner } = await ownerOf("rm");
    const other = await createTenant({ slug: uniqueSlug("rmo") });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    await addMember(other, { email: viewer.email, role: "viewer" });
    const here = await sessionFor(viewer.userId, host);
    const there = await sessionFor(viewer.userId, hostOf(other.slug));
    await (await callerFor(host, here)).workspace.current();

    await expect(owner.members.remove({ membershipId: viewer.membershipId })).resolves.toEqual({ removed: viewer.membershipId });

    expect((await membershipsOf(t)).map((m) => m.id)).not.toContain(viewer.membershipId);
    expect(await getDb().user.findUnique({ where: { id: viewer.userId } })).not.toBeNull();
    const auth = new AuthService(testMeta());
    expect(await auth.resolveSession(here, host)).toBeNull();
    expect(await auth.resolveSession(there, hostOf(other.slug))).toMatchObject({ userId: viewer.userId });
    await expectTRPCError((await callerFor(host, here)).workspace.current(), "UNAUTHORIZED");
    // a new session finds no membership here any more
    await expectTRPCError((await signedIn(viewer.userId, host)).workspace.current(), "NOT_FOUND");
    await expect((await callerFor(hostOf(other.slug), there)).workspace.current()).resolves.toMatchObject({
      me: { userId: viewer.userId },
    });

    expect(await tenantAudit(t.tenantId, "membership.removed")).toMatchObject([
      {
        actorUserId: t.owner.userId,
        targetType: "membership",
        targetId: viewer.membershipId,
        metadata: { before: { role: "viewer", status: "active" }, user: viewer.email },
      },
    ]);
    await expectTRPCError(owner.members.remove({ membershipId: viewer.membershipId }), "NOT_FOUND");
  });

  it("refuses removing yourself, lets only an owner remove an owner, and needs members.manage", async () => {
    const { t, slug, host, owner } = await ownerOf("rmx");
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    const second = await addMember(t, { email: uniqueEmail("o2", slug), role: "owner" });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const asAdmin = await signedIn(admin.userId, host);

    await expectTRPCError(asAdmin.members.remove({ membershipId: admin.membershipId }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "errors.cannotChangeSelf",
    });
    await expectTRPCError(owner.members.remove({ membershipId: t.owner.membershipId }), "PRECONDITION_FAILED", {
      key: "errors.cannotChangeSelf",
    });
    await expectTRPCError(asAdmin.members.remove({ membershipId: second.membershipId }), "FORBIDDEN", {
      key: "errors.onlyOwnerActsOnOwner",
    });
    await expectTRPCError((await signedIn(viewer.userId, host)).members.remove({ membershipId: admin.membershipId }), "FORBIDDEN", {
      key: "errors.missingPermission",
    });
    expect(await tenantAudit(t.tenantId, "membership.removed")).toEqual([]);

    await owner.members.remove({ membershipId: second.membershipId });
    await asAdmin.members.remove({ membershipId: viewer.membershipId });
    expect(await activeOwners(t)).toEqual([t.owner.membershipId]);
    expect((await membershipsOf(t)).map((m) => m.id).sort()).toEqual([t.owner.membershipId, admin.membershipId].sort());
  });

  it("never leaves the workspace without an owner: two owners removing each other at once, one wins", async () => {
    for (let round = 0; round < 3; round++) {
      const slug = uniqueSlug("rmrace");
      const t = await createTenant({ slug });
      const second = await addMember(t, { email: uniqueEmail("o2", slug), role: "owner" });
      const [one, two] = await Promise.all([tenantContextFor(t.owner.userId, slug), tenantContextFor(second.userId, slug)]);

      const results = await Promise.allSettled([
        new MemberService(one).remove(second.membershipId),
        new MemberService(two).remove(t.owner.membershipId),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected.map((r) => r.reason as unknown)).toMatchObject([{ code: "INVALID_STATE", key: "errors.lastOwner" }]);
      expect(await activeOwners(t)).toHaveLength(1);
      expect(await membershipsOf(t)).toHaveLength(1);
      expect(await tenantAudit(t.tenantId, "membership.removed")).toHaveLength(1);
    }
  });
});

describe("members.transferOwnership", () => {
  it("makes an active member the owner and the caller an admin, in one audited step", async () => {
    const { t, slug, owner } = await ownerOf("xfer");
    const manager = await addMember(t, { email: uniqueEmail("m", slug), role: "manager" });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });

    const row = await owner.members.transferOwnership({ membershipId: manager.membershipId });
    expect(row).toMatchObject({ id: manager.membershipId, role: { id: t.roles.owner, key: "owner" }, isYou: false });
    const roles = new Map((await membershipsOf(t)).map((m) => [m.id, m.role.key]));
    expect(roles.get(manager.membershipId)).toBe("owner");
    expect(roles.get(t.owner.membershipId)).toBe("admin");
    expect(roles.get(viewer.membershipId)).toBe("viewer");
    expect(await activeOwners(t)).toEqual([manager.membershipId]);

    expect(await tenantAudit(t.tenantId, "membership.ownership_transferred")).toMatchObject([
      {
        actorUserId: t.owner.userId,
        targetType: "membership",
        targetId: manager.membershipId,
        metadata: { from: t.owner.email, to: manager.email, before: { role: "manager" }, after: { role: "owner" } },
      },
    ]);

    // the former owner's very next call runs as an admin
    expect((await owner.workspace.current()).me.role).toBe("admin");
    await expectTRPCError(owner.members.transferOwnership({ membershipId: viewer.membershipId }), "FORBIDDEN", {
      key: "errors.onlyOwnerCanGrantOwner",
    });
  });

  it("refuses non-owners, inactive or unknown targets, yourself and existing owners, changing nothing", async () => {
    const { t, slug, host, owner } = await ownerOf("xferno");
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    const gone = await addMember(t, { email: uniqueEmail("g", slug), role: "viewer", status: "deactivated" });
    const second = await addMember(t, { email: uniqueEmail("o2", slug), role: "owner" });
    const outsider = await createTenant({ slug: uniqueSlug("xo") });
    const before = await membershipsOf(t);

    await expectTRPCError(
      (await signedIn(admin.userId, host)).members.transferOwnership({ membershipId: admin.membershipId }),
      "FORBIDDEN",
      {
        key: "errors.onlyOwnerCanGrantOwner",
      },
    );
    await expectTRPCError(owner.members.transferOwnership({ membershipId: gone.membershipId }), "NOT_FOUND");
    await expectTRPCError(owner.members.transferOwnership({ membershipId: outsider.owner.membershipId }), "NOT_FOUND");
    await expectTRPCError(owner.members.transferOwnership({ membershipId: t.owner.membershipId }), "PRECONDITION_FAILED", {
      key: "errors.noChange",
    });
    await expectTRPCError(owner.members.transferOwnership({ membershipId: second.membershipId }), "PRECONDITION_FAILED", {
      key: "errors.noChange",
    });

    expect(await membershipsOf(t)).toEqual(before);
    expect(await tenantAudit(t.tenantId, "membership.ownership_transferred")).toEqual([]);
  });
});

describe("members.changeRole of owners", () => {
  it("lets only an owner change another owner's role", async () => {
    const { t, slug, host, owner } = await ownerOf("chown");
    const second = await addMember(t, { email: uniqueEmail("o2", slug), role: "owner" });
    const admin = await addMember(t, { email: uniqueEmail("a", slug), role: "admin" });
    await expectTRPCError(
      (await signedIn(admin.userId, host)).members.changeRole({ membershipId: second.membershipId, roleId: t.roles.viewer }),
      "FORBIDDEN",
      { key: "errors.onlyOwnerActsOnOwner" },
    );
    expect((await activeOwners(t)).sort()).toEqual([t.owner.membershipId, second.membershipId].sort());
    await expect(owner.members.changeRole({ membershipId: second.membershipId, roleId: t.roles.viewer })).resolves.toMatchObject({
      role: { key: "viewer" },
    });
    expect(await activeOwners(t)).toEqual([t.owner.membershipId]);
  });
});

describe("custom roles", () => {
  it("creates a role from the permission catalog, audited; validation and permission are enforced", async () => {
    const { t, slug, host, owner } = await ownerOf("role");
    const role = await owner.roles.create({
      name: "Front desk",
      description: "Reception staff",
      permissions: ["workspace.view", "renters.view", "renters.view", "members.view"],
    });
    expect(role).toMatchObject({ name: "Front desk", description: "Reception staff", isSystem: false, members: 0 });
    expect(role.key).toMatch(/^custom-front-desk-[0-9a-f]{6}$/);
    expect([...role.permissions].sort()).toEqual(["members.view", "renters.view", "workspace.view"]);

    const list = await owner.roles.list();
    expect(list.map((r) => [r.key, r.isSystem])).toEqual([
      ["owner", true],
      ["admin", true],
      ["manager", true],
      ["accountant", true],
      ["viewer", true],
      [role.key, false],
    ]);
    expect(await tenantAudit(t.tenantId, "role.created")).toMatchObject([
      {
        actorUserId: t.owner.userId,
        targetType: "role",
        targetId: role.id,
        metadata: { after: { name: "Front desk", permissions: ["workspace.view", "renters.view", "members.view"] } },
      },
    ]);

    await expectTRPCError(owner.roles.create({ name: "Empty", permissions: [] }), "BAD_REQUEST");
    await expectTRPCError(owner.roles.create({ name: "Bogus", permissions: ["workspace.view", "nuclear.launch"] }), "BAD_REQUEST");
    await expectTRPCError(owner.roles.create({ name: "x", permissions: ["workspace.view"] }), "BAD_REQUEST");
    const manager = await addMember(t, { email: uniqueEmail("m", slug), role: "manager" });
    await expectTRPCError(
      (await signedIn(manager.userId, host)).roles.create({ name: "Sneaky", permissions: ["roles.manage"] }),
      "FORBIDDEN",
      {
        key: "errors.missingPermission",
      },
    );
    expect(await owner.roles.list()).toHaveLength(6);
  });

  it("updates a custom role with before/after in the audit; system roles are read-only", async () => {
    const { t, owner } = await ownerOf("roleup");
    const role = await owner.roles.create({ name: "Front desk", permissions: ["workspace.view", "renters.view"] });
    const updated = await owner.roles.update({ roleId: role.id, name: "Front office", permissions: ["workspace.view", "invoices.view"] });
    expect(updated).toMatchObject({ id: role.id, key: role.key, name: "Front office", description: null, isSystem: false });
    expect([...updated.permissions].sort()).toEqual(["invoices.view", "workspace.view"]);

    const [audit, ...more] = await tenantAudit(t.tenantId, "role.updated");
    expect(more).toEqual([]);
    expect(audit).toMatchObject({ actorUserId: t.owner.userId, targetType: "role", targetId: role.id });
    const metadata = audit!.metadata as { before: { name: string; permissions: string[] }; after: { name: string; permissions: string[] } };
    expect(metadata.before.name).toBe("Front desk");
    expect([...metadata.before.permissions].sort()).toEqual(["renters.view", "workspace.view"]);
    expect(metadata.after).toEqual({ name: "Front office", permissions: ["workspace.view", "invoices.view"] });

    for (const key of ["owner", "viewer"] as const) {
      await expectTRPCError(
        owner.roles.update({ roleId: t.roles[key], name: "Hacked", permissions: ["workspace.view"] }),
        "PRECONDITION_FAILED",
        { code: "INVALID_STATE", key: "errors.systemRoleReadOnly" },
      );
      await expectTRPCError(owner.roles.delete({ roleId: t.roles[key] }), "PRECONDITION_FAILED", {
        code: "INVALID_STATE",
        key: "errors.systemRoleReadOnly",
      });
    }
    const viewer = (await owner.roles.list()).find((r) => r.id === t.roles.viewer)!;
    expect(viewer.name).toBe("Viewer");
    expect([...viewer.permissions].sort()).toEqual([...DEFAULT_ROLES.viewer].sort());
    expect(await tenantAudit(t.tenantId, "role.updated")).toHaveLength(1);
    expect(await tenantAudit(t.tenantId, "role.deleted")).toEqual([]);
  });

  it("refuses to delete a role still assigned, then deletes it once free, audited", async () => {
    const { t, slug, owner } = await ownerOf("roledel");
    const role = await owner.roles.create({ name: "Night shift", permissions: ["workspace.view", "properties.view"] });
    const member = await addMember(t, { email: uniqueEmail("n", slug), role: "viewer" });
    await owner.members.changeRole({ membershipId: member.membershipId, roleId: role.id });
    expect((await owner.roles.list()).find((r) => r.id === role.id)?.members).toBe(1);

    const error = await expectTRPCError(owner.roles.delete({ roleId: role.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "errors.roleInUse",
    });
    expect(error.cause).toMatchObject({ params: { count: 1 } });

    await owner.members.changeRole({ membershipId: member.membershipId, roleId: t.roles.viewer });
    await expect(owner.roles.delete({ roleId: role.id })).resolves.toEqual({ deleted: role.id });
    expect((await owner.roles.list()).map((r) => r.id)).not.toContain(role.id);
    expect(await new TenantDb(t.tenantId).run((tx) => tx.rolePermission.count({ where: { roleId: role.id } }))).toBe(0);
    const [audit] = await tenantAudit(t.tenantId, "role.deleted");
    expect(audit).toMatchObject({ actorUserId: t.owner.userId, targetId: role.id, metadata: { before: { name: "Night shift" } } });
    expect([...(audit!.metadata as { before: { permissions: string[] } }).before.permissions].sort()).toEqual([
      "properties.view",
      "workspace.view",
    ]);
    await expectTRPCError(owner.roles.delete({ roleId: role.id }), "NOT_FOUND");
  });

  it("applies an edit to the role's members on their next call", async () => {
    const { slug, host, owner, t } = await ownerOf("roleapply");
    const role = await owner.roles.create({ name: "Clerk", permissions: ["workspace.view", "members.view"] });
    const member = await addMember(t, { email: uniqueEmail("c", slug), role: "viewer" });
    await owner.members.changeRole({ membershipId: member.membershipId, roleId: role.id });
    const asClerk = await signedIn(member.userId, host); // one session throughout

    await expect(asClerk.members.list({})).resolves.toMatchObject({ items: expect.any(Array) });
    await expectTRPCError(asClerk.roles.list(), "FORBIDDEN", { key: "errors.missingPermission" });

    await owner.roles.update({ roleId: role.id, name: "Clerk", permissions: ["workspace.view", "roles.manage"] });

    expect((await asClerk.roles.list()).map((r) => r.id)).toContain(role.id);
    await expectTRPCError(asClerk.members.list({}), "FORBIDDEN", { key: "errors.missingPermission" });
    expect([...(await asClerk.workspace.current()).permissions].sort()).toEqual(["roles.manage", "workspace.view"]);
  });
});

describe("no escalation through roles", () => {
  it("an admin can neither build a role with permissions it lacks nor hand one out, nor change its own role", async () => {
    const slug = uniqueSlug("esc");
    const t = await createTenant({ slug });
    const admin = await addMember(t, { email: uniqueEmail("admin", slug), role: "admin" });
    const caller = await signedIn(admin.userId, hostOf(slug));
    // billing.manage is the one permission the default admin role lacks
    await expectTRPCError(caller.roles.create({ name: "Money", permissions: ["billing.manage", "workspace.view"] }), "FORBIDDEN", {
      key: "errors.cannotGrantPermission",
    });
    // the owner's custom role with billing.manage cannot be given away by the admin, to anyone
    const owner = await signedIn(t.owner.userId, hostOf(slug));
    const money = await owner.roles.create({ name: "Money", permissions: ["billing.manage", "workspace.view"] });
    const other = await addMember(t, { email: uniqueEmail("other", slug), role: "viewer" });
    await expectTRPCError(caller.members.changeRole({ membershipId: other.membershipId, roleId: money.id }), "FORBIDDEN", {
      key: "errors.cannotGrantPermission",
    });
    await expectTRPCError(caller.members.invite({ email: uniqueEmail("new", slug), roleId: money.id }), "FORBIDDEN", {
      key: "errors.cannotGrantPermission",
    });
    await expectTRPCError(caller.members.changeRole({ membershipId: admin.membershipId, roleId: t.roles.manager }), "PRECONDITION_FAILED", {
      key: "errors.cannotChangeSelf",
    });
    // a role the admin fully holds is fine
    await expect(caller.members.changeRole({ membershipId: other.membershipId, roleId: t.roles.manager })).resolves.toMatchObject({
      role: { key: "manager" },
    });
  });

  it("refuses to delete a role that a pending invitation still holds", async () => {
    const slug = uniqueSlug("inv-role");
    const t = await createTenant({ slug });
    const owner = await signedIn(t.owner.userId, hostOf(slug));
    const role = await owner.roles.create({ name: "Cleaner", permissions: ["workspace.view"] });
    const inv = await owner.members.invite({ email: uniqueEmail("cleaner", slug), roleId: role.id });
    await expectTRPCError(owner.roles.delete({ roleId: role.id }), "PRECONDITION_FAILED", { key: "errors.roleInUse" });
    await owner.members.revokeInvitation({ invitationId: inv.id });
    await expect(owner.roles.delete({ roleId: role.id })).resolves.toEqual({ deleted: role.id });
  });
});
