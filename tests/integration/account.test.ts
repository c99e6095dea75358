// AccountService through the account router: the member's own profile, password, language and
// sessions (on every host), audited in the workspace the change was made from; refusals while a
// platform admin acts as the member.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { verifyPassword } from "@/server/auth/password";
import { hashToken, newToken } from "@/server/auth/tokens";
import { createTranslator } from "@/lib/i18n";
import { addMember, createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import type { SessionClaims } from "@/server/auth/auth.public";
import { APEX, callerFor, expectTRPCError, hostOf, sessionFor, uniqueEmail } from "./support/world";

const PASSWORD = "old-password-123";
const NEW_PASSWORD = "brand-new-password-456";

const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const EDGE_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";

async function auditOf(tenantId: string, action: string) {
  return new TenantDb(tenantId).run((tx) => tx.auditLog.findMany({ where: { action }, orderBy: { createdAt: "asc" } }));
}

async function sessionRow(id: string) {
  return getDb().userSession.findUniqueOrThrow({ where: { id } });
}

/** A session opened the way the app does, then given a user agent (the handoff records the request's). */
async function openSession(userId: string, hostname: string, userAgent?: string): Promise<SessionClaims> {
  const claims = await sessionFor(userId, hostname);
  if (userAgent) await getDb().userSession.update({ where: { id: claims.sid }, data: { userAgent } });
  return claims;
}

/** A fresh request (a fresh context): a revoked session is refused on the next request. */
const on = (claims: SessionClaims, headers: Record<string, string> = {}) => callerFor(claims.host, claims, headers);

async function memberWithPassword(prefix = "acct"): Promise<{ t: CreatedTenant; user: { userId: string; email: string } }> {
  const slug = uniqueSlug(prefix);
  const t = await createTenant({ slug });
  const user = await addMember(t, { email: uniqueEmail("me", slug), name: "Sokha Chan", password: PASSWORD, role: "viewer" });
  return { t, user };
}

/** Stands in for a platform admin's impersonation handoff: a session of the member that names the admin. */
async function impersonatedSession(userId: string, hostname: string): Promise<{ claims: SessionClaims; adminId: string }> {
  const admin = await createUser({ email: uniqueEmail("support", "phteah"), isPlatformAdmin: true });
  const claims = await sessionFor(userId, hostname);
  await getDb().userSession.update({ where: { id: claims.sid }, data: { impersonatorUserId: admin.id } });
  return { claims, adminId: admin.id };
}

describe("account.profile / updateProfile", () => {
  it("shows the member's own profile and saves a trimmed name, audited in this workspace", async () => {
    const { t, user } = await memberWithPassword();
    const me = await openSession(user.userId, hostOf(t.slug));
    const caller = await on(me, { "x-request-id": "req-profile", "user-agent": "ProfileUA/1.0", "x-forwarded-for": "203.0.113.9" });

    await expect(caller.account.profile()).resolves.toEqual({
      userId: user.userId,
      email: user.email,
      name: "Sokha Chan",
      locale: null,
      passwordChangedAt: null,
      isImpersonated: false,
    });

    const saved = await caller.account.updateProfile({ name: "  Sokha C.  " });
    expect(saved).toMatchObject({ userId: user.userId, name: "Sokha C." });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.userId } })).name).toBe("Sokha C.");
    // the session carries the new name at once (the header reads it)
    expect(await (await on(me)).account.profile()).toMatchObject({ name: "Sokha C." });

    const audit = await auditOf(t.tenantId, "account.profile_updated");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tenantId: t.tenantId,
      actorUserId: user.userId,
      actorEmail: user.email,
      impersonatorUserId: null,
      targetType: "user",
      targetId: user.userId,
      requestId: "req-profile",
      userAgent: "ProfileUA/1.0",
      ip: "203.0.113.9",
      metadata: { before: { name: "Sokha Chan" }, after: { name: "Sokha C." } },
    });

    // saving the same name again changes nothing and writes no second row
    await caller.account.updateProfile({ name: "Sokha C." });
    expect(await auditOf(t.tenantId, "account.profile_updated")).toHaveLength(1);
  });

  it("rejects an empty or overlong name", async () => {
    const { t, user } = await memberWithPassword();
    const caller = await on(await openSession(user.userId, hostOf(t.slug)));
    await expectTRPCError(caller.account.updateProfile({ name: "   " }), "BAD_REQUEST");
    await expectTRPCError(caller.account.updateProfile({ name: "x".repeat(101) }), "BAD_REQUEST");
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.userId } })).name).toBe("Sokha Chan");
  });

  it("changes only the caller's own user, whoever else is in the workspace", async () => {
    const { t, user } = await memberWithPassword();
    const caller = await on(await openSession(user.userId, hostOf(t.slug)));
    await caller.account.updateProfile({ name: "Only Me" });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: t.owner.userId } })).name).toBe(`Owner of ${t.slug}`);
  });
});

describe("account.changePassword", () => {
  it("verifies the current password, stores the new one and signs out every other session, keeping this one", async () => {
    const { t, user } = await memberWithPassword("pw");
    const other = await createTenant({ slug: uniqueSlug("pw-other") });
    await addMember(other, { email: user.email, role: "viewer" });
    const bystander = await openSession(t.owner.userId, hostOf(t.slug));

    const current = await openSession(user.userId, hostOf(t.slug));
    const secondDevice = await openSession(user.userId, hostOf(t.slug));
    const otherWorkspace = await openSession(user.userId, hostOf(other.slug));
    const apex = await openSession(user.userId, APEX);
    // a reset link asked for earlier must not undo the change later
    const reset = newToken();
    await getDb().authToken.create({
      data: {
        kind: "password_reset",
        tokenHash: reset.tokenHash,
        userId: user.userId,
        host: hostOf(t.slug),
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });

    const caller = await on(current);
    await expect(caller.account.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).resolves.toEqual({
      revokedSessions: 3,
    });

    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.userId } });
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(false);
    expect(await verifyPassword(row.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(row.passwordChangedAt).toBeInstanceOf(Date);
    expect(Date.now() - row.passwordChangedAt!.getTime()).toBeLessThan(60_000);

    // this session goes on; the others are refused on their next request, on every host
    expect((await sessionRow(current.sid)).revokedAt).toBeNull();
    await expect((await on(current)).account.profile()).resolves.toMatchObject({ userId: user.userId });
    for (const gone of [secondDevice, otherWorkspace]) {
      expect((await sessionRow(gone.sid)).revokedAt).toBeInstanceOf(Date);
      await expectTRPCError((await on(gone)).account.profile(), "UNAUTHORIZED");
    }
    expect((await sessionRow(apex.sid)).revokedAt).toBeInstanceOf(Date);
    // someone else's session is untouched
    expect((await sessionRow(bystander.sid)).revokedAt).toBeNull();
    expect((await getDb().authToken.findUniqueOrThrow({ where: { tokenHash: hashToken(reset.token) } })).usedAt).toBeInstanceOf(Date);

    const audit = await auditOf(t.tenantId, "account.password_changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: user.userId,
      targetType: "user",
      targetId: user.userId,
      metadata: { revokedSessions: 3 },
    });
    expect(JSON.stringify(audit[0])).not.toContain(NEW_PASSWORD);
    expect(await auditOf(other.tenantId, "account.password_changed")).toEqual([]);

    // the new password is now the current one
    await expectTRPCError(caller.account.changePassword({ currentPassword: PASSWORD, newPassword: "yet-another-one-789" }), "BAD_REQUEST", {
      code: "VALIDATION",
      key: "account.errors.wrongPassword",
    });
    await expect(caller.account.changePassword({ currentPassword: NEW_PASSWORD, newPassword: "yet-another-one-789" })).resolves.toEqual({
      revokedSessions: 0,
    });
  });

  it("refuses a wrong current password, then throttles after 5 wrong attempts (even the right one)", async () => {
    const { t, user } = await memberWithPassword("pw-throttle");
    const current = await openSession(user.userId, hostOf(t.slug));
    const other = await openSession(user.userId, hostOf(t.slug));
    const before = (await getDb().user.findUniqueOrThrow({ where: { id: user.userId } })).passwordHash;

    for (let i = 0; i < 5; i++) {
      await expectTRPCError(
        (await on(current)).account.changePassword({ currentPassword: `wrong-guess-${i}`, newPassword: NEW_PASSWORD }),
        "BAD_REQUEST",
        {
          code: "VALIDATION",
          key: "account.errors.wrongPassword",
        },
      );
    }
    await expectTRPCError(
      (await on(current)).account.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
      "TOO_MANY_REQUESTS",
      {
        code: "TOO_MANY_REQUESTS",
        key: "errors.tooManyRequestsRetry",
      },
    );
    // the throttle is per user, not per session or address: another device of the same user is throttled too
    await expectTRPCError(
      (await on(other, { "x-forwarded-for": "198.51.100.7" })).account.changePassword({
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      }),
      "TOO_MANY_REQUESTS",
    );

    const after = await getDb().user.findUniqueOrThrow({ where: { id: user.userId } });
    expect(after.passwordHash).toBe(before);
    expect(after.passwordChangedAt).toBeNull();
    expect((await sessionRow(other.sid)).revokedAt).toBeNull();
    expect(await auditOf(t.tenantId, "account.password_changed")).toEqual([]);

    // another member is not affected by this member's throttle
    const { t: t2, user: someoneElse } = await memberWithPassword("pw-free");
    await expect(
      (await on(await openSession(someoneElse.userId, hostOf(t2.slug)))).account.changePassword({
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      }),
    ).resolves.toEqual({ revokedSessions: 0 });
  });

  it("validates the new password: at least 10 characters and different from the current one", async () => {
    const { t, user } = await memberWithPassword("pw-rules");
    const caller = await on(await openSession(user.userId, hostOf(t.slug)));
    const tooShort = await expectTRPCError(
      caller.account.changePassword({ currentPassword: PASSWORD, newPassword: "short" }),
      "BAD_REQUEST",
    );
    expect(tooShort.cause).toMatchObject({
      issues: [expect.objectContaining({ path: ["newPassword"], message: "validation.passwordTooShort" })],
    });
    const same = await expectTRPCError(caller.account.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }), "BAD_REQUEST");
    expect(same.cause).toMatchObject({
      issues: [expect.objectContaining({ path: ["newPassword"], message: "account.password.mustDiffer" })],
    });
    expect(await verifyPassword((await getDb().user.findUniqueOrThrow({ where: { id: user.userId } })).passwordHash, PASSWORD)).toBe(true);
  });
});

describe("account.setLocale", () => {
  it("saves the language on the user, audited, and error messages follow it unless the cookie says otherwise", async () => {
    const { t, user } = await memberWithPassword("locale");
    const me = await openSession(user.userId, hostOf(t.slug));
    const caller = await on(me);
    await expect(caller.account.setLocale({ locale: "km" })).resolves.toMatchObject({ locale: "km" });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.userId } })).locale).toBe("km");
    const audit = await auditOf(t.tenantId, "account.locale_changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: user.userId,
      targetId: user.userId,
      metadata: { before: { locale: null }, after: { locale: "km" } },
    });
    await expectTRPCError(caller.account.setLocale({ locale: "fr" as "km" }), "BAD_REQUEST");

    // over the wire: the browser asks for English, the saved language wins; an explicit cookie wins over both
    const post = (headers: Record<string, string>) => {
      const req = new Request(`http://${hostOf(t.slug)}:3000/api/trpc/account.revokeSession`, {
        method: "POST",
        headers: { host: `${hostOf(t.slug)}:3000`, "content-type": "application/json", "accept-language": "en-US,en;q=0.9", ...headers },
        body: JSON.stringify({ json: { id: randomUUID() } }),
      });
      return fetchRequestHandler({
        endpoint: "/api/trpc",
        req,
        router: appRouter,
        createContext: () => createContext({ headers: req.headers, getClaims: async () => me }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error: { json: { message: string } } } }));
    };
    const saved = await post({});
    expect(saved.status).toBe(404);
    expect(saved.body.error.json.message).toBe(createTranslator("km")("errors.notFound"));
    const cookie = await post({ cookie: "other=1; phteah-locale=en" });
    expect(cookie.body.error.json.message).toBe(createTranslator("en")("errors.notFound"));

    // without a session (public): the request alone decides, and the session is never resolved
    let claimsRead = false;
    const ctx = await createContext({
      headers: new Headers({ host: `${hostOf(t.slug)}:3000`, "accept-language": "en" }),
      getClaims: async () => {
        claimsRead = true;
        return me;
      },
    });
    expect(ctx.locale).toBe("en");
    expect(claimsRead).toBe(false);

    await caller.account.setLocale({ locale: "en" });
    expect((await auditOf(t.tenantId, "account.locale_changed")).map((a) => a.metadata)).toEqual([
      { before: { locale: null }, after: { locale: "km" } },
      { before: { locale: "km" }, after: { locale: "en" } },
    ]);
  });
});

describe("account.sessions", () => {
  it("lists the user's live sessions on every host, this one first, with a device label, and nobody else's", async () => {
    const { t, user } = await memberWithPassword("sess");
    const other = await createTenant({ slug: uniqueSlug("sess-other") });
    await addMember(other, { email: user.email, role: "viewer" });

    const current = await openSession(user.userId, hostOf(t.slug), CHROME_WINDOWS);
    const phone = await openSession(user.userId, hostOf(t.slug), SAFARI_IPHONE);
    const elsewhere = await openSession(user.userId, hostOf(other.slug), FIREFOX_LINUX);
    const apex = await openSession(user.userId, APEX, EDGE_MAC);
    const revoked = await openSession(user.userId, hostOf(t.slug));
    await getDb().userSession.update({ where: { id: revoked.sid }, data: { revokedAt: new Date() } });
    const expired = await openSession(user.userId, hostOf(t.slug));
    await getDb().userSession.update({ where: { id: expired.sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const stranger = await openSession(t.owner.userId, hostOf(t.slug), CHROME_WINDOWS);

    const list = await (await on(current)).account.sessions();
    expect(list.map((s) => s.id)).toHaveLength(4);
    expect(list[0]).toMatchObject({
      id: current.sid,
      isCurrent: true,
      host: hostOf(t.slug),
      browser: "Chrome",
      os: "Windows",
      isSupport: false,
    });
    expect(list.filter((s) => s.isCurrent)).toHaveLength(1);
    const byId = new Map(list.map((s) => [s.id, s]));
    expect(byId.get(phone.sid)).toMatchObject({ host: hostOf(t.slug), browser: "Safari", os: "iOS", isCurrent: false });
    expect(byId.get(elsewhere.sid)).toMatchObject({ host: hostOf(other.slug), browser: "Firefox", os: "Linux" });
    expect(byId.get(apex.sid)).toMatchObject({ host: APEX, browser: "Edge", os: "macOS" });
    expect(byId.has(revoked.sid) || byId.has(expired.sid) || byId.has(stranger.sid)).toBe(false);
    for (const s of list) {
      expect(s.createdAt).toBeInstanceOf(Date);
      expect(s.lastSeenAt).toBeInstanceOf(Date);
      expect(s.ip).toMatch(/^10\./);
      expect(s).not.toHaveProperty("userAgent");
      expect(s).not.toHaveProperty("userId");
    }
    // the same list from the other workspace, with that session marked as the current one
    const fromOther = await (await on(elsewhere)).account.sessions();
    expect(fromOther.map((s) => s.id).sort()).toEqual(list.map((s) => s.id).sort());
    expect(fromOther[0]).toMatchObject({ id: elsewhere.sid, isCurrent: true });
    // an unrecognised agent has no label rather than a wrong one
    const curl = await openSession(user.userId, hostOf(t.slug), "curl/8.5.0");
    expect((await (await on(curl)).account.sessions())[0]).toMatchObject({ id: curl.sid, browser: null, os: null });
  });
});

describe("account.revokeSession", () => {
  it("signs out one of the user's other sessions, audited; the current one, gone ones and anyone else's are refused", async () => {
    const { t, user } = await memberWithPassword("revoke");
    const current = await openSession(user.userId, hostOf(t.slug));
    const laptop = await openSession(user.userId, hostOf(t.slug));
    const ownerSession = await openSession(t.owner.userId, hostOf(t.slug));
    const caller = await on(current);

    // someone else's session, even in the same workspace: NOT_FOUND, and it stays signed in
    await expectTRPCError(caller.account.revokeSession({ id: ownerSession.sid }), "NOT_FOUND", { code: "NOT_FOUND" });
    expect((await sessionRow(ownerSession.sid)).revokedAt).toBeNull();
    await expectTRPCError(caller.account.revokeSession({ id: randomUUID() }), "NOT_FOUND");
    await expectTRPCError(caller.account.revokeSession({ id: current.sid }), "PRECONDITION_FAILED", {
      key: "account.errors.revokeCurrent",
    });
    await expectTRPCError(caller.account.revokeSession({ id: "not-a-uuid" }), "BAD_REQUEST");

    await expect(caller.account.revokeSession({ id: laptop.sid })).resolves.toEqual({ id: laptop.sid });
    await expectTRPCError((await on(laptop)).account.profile(), "UNAUTHORIZED");
    await expect((await on(current)).account.profile()).resolves.toBeDefined();
    // already signed out: nothing left to revoke
    await expectTRPCError(caller.account.revokeSession({ id: laptop.sid }), "NOT_FOUND");

    const audit = await auditOf(t.tenantId, "account.session_revoked");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: user.userId,
      targetType: "session",
      targetId: laptop.sid,
      metadata: { host: hostOf(t.slug) },
    });
  });
});

describe("account.signOutEverywhere", () => {
  it("revokes every session of the user on every host, this one included, and no one else's", async () => {
    const { t, user } = await memberWithPassword("everywhere");
    const current = await openSession(user.userId, hostOf(t.slug));
    const phone = await openSession(user.userId, hostOf(t.slug));
    const apex = await openSession(user.userId, APEX);
    const ownerSession = await openSession(t.owner.userId, hostOf(t.slug));

    await expect((await on(current)).account.signOutEverywhere()).resolves.toEqual({ revokedSessions: 3 });
    for (const s of [current, phone, apex]) expect((await sessionRow(s.sid)).revokedAt).toBeInstanceOf(Date);
    await expectTRPCError((await on(current)).account.profile(), "UNAUTHORIZED");
    await expectTRPCError((await on(phone)).account.sessions(), "UNAUTHORIZED");
    expect((await sessionRow(ownerSession.sid)).revokedAt).toBeNull();

    const audit = await auditOf(t.tenantId, "account.signed_out_everywhere");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: user.userId,
      targetType: "user",
      targetId: user.userId,
      metadata: { revokedSessions: 3 },
    });
  });
});

describe("while a platform admin acts as the member", () => {
  it("refuses the password change, sign-out-everywhere and signing out other sessions, changing nothing", async () => {
    const { t, user } = await memberWithPassword("imp");
    const own = await openSession(user.userId, hostOf(t.slug));
    const { claims, adminId } = await impersonatedSession(user.userId, hostOf(t.slug));
    const caller = await on(claims);
    const before = await getDb().user.findUniqueOrThrow({ where: { id: user.userId } });

    await expect(caller.account.profile()).resolves.toMatchObject({ userId: user.userId, isImpersonated: true });
    await expectTRPCError(caller.account.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "account.errors.impersonated",
    });
    await expectTRPCError(caller.account.signOutEverywhere(), "FORBIDDEN", { key: "account.errors.impersonated" });
    await expectTRPCError(caller.account.revokeSession({ id: own.sid }), "FORBIDDEN", { key: "account.errors.impersonated" });

    const after = await getDb().user.findUniqueOrThrow({ where: { id: user.userId } });
    expect(after.passwordHash).toBe(before.passwordHash);
    for (const s of [own, claims]) expect((await sessionRow(s.sid)).revokedAt).toBeNull();
    expect(await auditOf(t.tenantId, "account.password_changed")).toEqual([]);
    expect(await auditOf(t.tenantId, "account.signed_out_everywhere")).toEqual([]);

    // the support session shows up in the member's own list, marked as such
    const list = await (await on(own)).account.sessions();
    expect(list.find((s) => s.id === claims.sid)).toMatchObject({ isSupport: true, isCurrent: false });

    // harmless changes stay possible and their audit rows name the admin too
    await caller.account.updateProfile({ name: "Fixed By Support" });
    expect((await auditOf(t.tenantId, "account.profile_updated"))[0]).toMatchObject({
      actorUserId: user.userId,
      impersonatorUserId: adminId,
    });

    // the member, in their own session, is not affected
    await expect((await on(own)).account.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).resolves.toEqual({
      revokedSessions: 1,
    });
    expect((await sessionRow(claims.sid)).revokedAt).toBeInstanceOf(Date);
  });
});
