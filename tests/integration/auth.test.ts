// AuthService against the real database, with an injectable clock: sign-in and its throttle,
// handoff tickets, sessions, and password reset. Every test uses its own tenant, email and
// client IP, so the per-account and per-IP throttles of parallel tests never meet.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { setMailTransportForTests, type MailMessage, type MailTransport } from "@/server/notifications/mail";
import { AuthService, SESSION_TTL_MS } from "@/server/auth/auth.public";
import { flushDeliveries } from "@/server/notifications/queue";
import { resolveHostScope, type HostScope } from "@/server/core/host-scope";
import type { RequestMeta } from "@/server/core/request-meta";
import { addMember, createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { APEX, hostOf, testMeta, uniqueEmail } from "./support/world";

const PASSWORD = "correct horse battery";
const MIN = 60_000;

/** A clock the test moves by hand; starts at the real "now" so cleanup jobs of parallel tests never see these rows as old. */
function manualClock() {
  let now = Date.now();
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance: (ms: number) => {
      now += ms;
    },
  });
}

const sent: MailMessage[] = [];
const capture: MailTransport = {
  name: "capture",
  async send(message) {
    sent.push(message);
    // unique across test files: they share one database, where provider ids are unique
    return { id: `captured-${randomUUID()}` };
  },
};

beforeAll(() => setMailTransportForTests(capture));
afterAll(() => setMailTransportForTests(undefined));
afterEach(async () => {
  await flushDeliveries();
  sent.length = 0;
});

async function tenantScope(t: CreatedTenant): Promise<HostScope> {
  const scope = await resolveHostScope(`${hostOf(t.slug)}:3000`);
  if (scope?.kind !== "tenant") throw new Error("tenant scope expected");
  return scope;
}

async function apexScope(): Promise<HostScope> {
  return (await resolveHostScope(`${APEX}:3000`))!;
}

async function setup(): Promise<{
  t: CreatedTenant;
  scope: HostScope;
  meta: RequestMeta;
  clock: ReturnType<typeof manualClock>;
  auth: AuthService;
}> {
  const slug = uniqueSlug("auth");
  const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
  const meta = testMeta();
  const clock = manualClock();
  return { t, scope: await tenantScope(t), meta, clock, auth: new AuthService(meta, clock) };
}

async function loginFailures(t: CreatedTenant, email: string) {
  const rows = await new TenantDb(t.tenantId).run((tx) =>
    tx.auditLog.findMany({ where: { action: "auth.login.failed", actorEmail: email }, orderBy: { createdAt: "asc" } }),
  );
  return rows.map((r) => (r.metadata as { reason: string }).reason);
}

/** The mails to `email` so far (messages leave after their transaction: wait for them first). */
async function mailsTo(email: string) {
  await flushDeliveries();
  return sent.filter((m) => m.to === email);
}

function tokenFrom(mail: MailMessage): string {
  const m = /\/reset-password\?token=([A-Za-z0-9_%-]+)/.exec(mail.text);
  if (!m) throw new Error(`no reset link in ${mail.text}`);
  return decodeURIComponent(m[1]!);
}

describe("login", () => {
  it("returns a ticket that opens a session on this host only, and audits the success", async () => {
    const { t, scope, auth } = await setup();
    const result = await auth.login(scope, t.owner.email, PASSWORD);
    expect(result).toMatchObject({ ok: true, userId: t.owner.userId, ticket: expect.any(String) });
    if (!result.ok) throw new Error("unreachable");
    expect(await auth.redeemHandoff(result.ticket, hostOf(uniqueSlug("elsewhere")))).toBeNull();
    const claims = await auth.redeemHandoff(result.ticket, hostOf(t.slug));
    expect(claims).toMatchObject({ uid: t.owner.userId, host: hostOf(t.slug) });
    const session = await getDb().userSession.findUniqueOrThrow({ where: { id: claims!.sid } });
    expect(session).toMatchObject({ tenantId: t.tenantId, host: hostOf(t.slug), userId: t.owner.userId });
    const ok = await new TenantDb(t.tenantId).run((tx) => tx.auditLog.findMany({ where: { action: "auth.login.succeeded" } }));
    expect(ok.map((r) => r.actorUserId)).toEqual([t.owner.userId]);
  });

  it("refuses a wrong password, an unknown email, a non-member and a locked user alike, and audits them alike in the workspace", async () => {
    const { t, scope } = await setup();
    const outsider = await createTenant({ slug: uniqueSlug("out"), password: PASSWORD });
    const locked = await addMember(t, { email: uniqueEmail("locked", t.slug), password: PASSWORD, role: "viewer" });
    await getDb().user.update({ where: { id: locked.userId }, data: { lockedAt: new Date() } });
    const gone = await addMember(t, { email: uniqueEmail("gone", t.slug), password: PASSWORD, role: "viewer", status: "deactivated" });
    const unknown = uniqueEmail("nobody", t.slug);

    const attempts: [string, string][] = [
      [t.owner.email, "wrong password!"],
      [unknown, PASSWORD],
      [outsider.owner.email, PASSWORD],
      [outsider.owner.email, "wrong password!"],
      [locked.email, PASSWORD],
      [gone.email, PASSWORD],
    ];
    for (const [email, password] of attempts) {
      // each from its own address: six failures from one would be throttled
      expect(await new AuthService(testMeta()).login(scope, email, password), email).toEqual({ ok: false, reason: "invalid" });
    }
    // the workspace's log must not tell its admins whether an e-mail has an account (here or
    // anywhere else), nor whether the password was right: one reason, no user id, for every refusal
    const rows = await new TenantDb(t.tenantId).run((tx) =>
      tx.auditLog.findMany({ where: { action: "auth.login.failed" }, orderBy: { createdAt: "asc" } }),
    );
    expect(rows.map((r) => [r.actorEmail, r.actorUserId, r.metadata])).toEqual(
      attempts.map(([email]) => [email, null, { reason: "invalid_credentials" }]),
    );
  });

  it("lets only platform admins sign in on the apex, and points everyone else to find-my-workspace with one answer", async () => {
    const { t, auth } = await setup();
    const apex = await apexScope();
    // a workspace owner with the right password is not told the password is wrong: the apex
    // answers "find my workspace" (their workspace has its own address)
    expect(await auth.login(apex, t.owner.email, PASSWORD)).toEqual({ ok: false, reason: "find_workspace" });
    const staff = await createUser({ email: uniqueEmail("staff", "phteah"), password: PASSWORD, isPlatformAdmin: true });
    // the same answer for a wrong password (staff or member) and an unknown e-mail: the answer
    // tells nobody whether an address belongs to workspaces (each from its own address)
    for (const [email, password] of [
      [t.owner.email, "wrong password!"],
      [staff.email, "wrong password!"],
      [uniqueEmail("nobody", "phteah"), PASSWORD],
    ] as const) {
      expect(await new AuthService(testMeta()).login(apex, email, password), email).toEqual({ ok: false, reason: "find_workspace" });
    }
    expect(await auth.login(apex, staff.email, PASSWORD)).toMatchObject({ ok: true, userId: staff.id });
    const failed = await platformDb.run((tx) =>
      tx.auditLog.findMany({
        where: { action: "auth.login.failed", actorEmail: t.owner.email, tenantId: null },
        orderBy: { createdAt: "asc" },
      }),
    );
    expect(failed.map((r) => r.metadata)).toEqual([{ reason: "no_access" }, { reason: "bad_password" }]);
  });

  it("throttles an account after 5 failures from any address, with a sliding 15-minute window", async () => {
    const { t, scope, clock } = await setup();
    const from = () => new AuthService(testMeta(), clock); // a new client address per attempt
    for (let i = 0; i < 5; i++) {
      expect(await from().login(scope, t.owner.email, `wrong-${i}`)).toEqual({ ok: false, reason: "invalid" });
      clock.advance(1 * MIN);
    }
    // now = t0 + 5 min; the oldest counted failure (t0) leaves the window at t0 + 15 min
    const throttled = await from().login(scope, t.owner.email, PASSWORD);
    expect(throttled).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 600 });
    expect(await loginFailures(t, t.owner.email)).toHaveLength(5); // a throttled attempt checks nothing

    clock.advance(10 * MIN - 1_000);
    expect(await from().login(scope, t.owner.email, PASSWORD)).toMatchObject({ reason: "throttled", retryAfterSeconds: 1 });
    clock.advance(1_000 + 1);
    // t0 dropped out: four failures left in the window, so the right password works again
    expect(await from().login(scope, t.owner.email, PASSWORD)).toMatchObject({ ok: true });
  });

  it("throttles a client address after 5 failures across different accounts", async () => {
    const { t, scope, auth, clock } = await setup();
    for (let i = 0; i < 5; i++) {
      expect(await auth.login(scope, uniqueEmail(`spray${i}`, t.slug), PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    }
    const throttled = await auth.login(scope, t.owner.email, PASSWORD);
    expect(throttled).toMatchObject({ ok: false, reason: "throttled" });
    if (throttled.ok || throttled.reason !== "throttled") throw new Error("unreachable");
    expect(throttled.retryAfterSeconds).toBeGreaterThan(0);
    expect(throttled.retryAfterSeconds).toBeLessThanOrEqual(900);
    // the same account from another address is fine
    expect(await new AuthService(testMeta(), clock).login(scope, t.owner.email, PASSWORD)).toMatchObject({ ok: true });
    clock.advance(15 * MIN + 1);
    expect(await auth.login(scope, t.owner.email, PASSWORD)).toMatchObject({ ok: true });
  });

  it("clears the account's failures after a successful sign-in", async () => {
    const { t, scope, auth, clock } = await setup();
    for (let i = 0; i < 4; i++) await new AuthService(testMeta(), clock).login(scope, t.owner.email, "nope");
    expect(await auth.login(scope, t.owner.email, PASSWORD)).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) await new AuthService(testMeta(), clock).login(scope, t.owner.email, "nope");
    expect(await auth.login(scope, t.owner.email, PASSWORD)).toMatchObject({ ok: true });
  });
});

describe("handoff tickets", () => {
  it("are single-use", async () => {
    const { t, auth } = await setup();
    const ticket = await auth.issueHandoff(t.owner.userId, hostOf(t.slug));
    expect(await auth.redeemHandoff(ticket, hostOf(t.slug))).not.toBeNull();
    expect(await auth.redeemHandoff(ticket, hostOf(t.slug))).toBeNull();
  });

  it("only work on the host they were issued for (and a wrong-host try does not burn them)", async () => {
    const { t, auth } = await setup();
    const other = await createTenant({ slug: uniqueSlug("oth") });
    const ticket = await auth.issueHandoff(t.owner.userId, hostOf(t.slug));
    expect(await auth.redeemHandoff(ticket, hostOf(other.slug))).toBeNull();
    expect(await auth.redeemHandoff(ticket, APEX)).toBeNull();
    expect(await auth.redeemHandoff(ticket, `${hostOf(t.slug)}:3000`)).toBeNull();
    expect(await auth.redeemHandoff(ticket, hostOf(t.slug))).toMatchObject({ uid: t.owner.userId });
  });

  it("expire after two minutes", async () => {
    const { t, auth, clock } = await setup();
    const early = await auth.issueHandoff(t.owner.userId, hostOf(t.slug));
    const late = await auth.issueHandoff(t.owner.userId, hostOf(t.slug));
    clock.advance(2 * MIN - 1_000);
    expect(await auth.redeemHandoff(early, hostOf(t.slug))).not.toBeNull();
    clock.advance(1_001);
    expect(await auth.redeemHandoff(late, hostOf(t.slug))).toBeNull();
  });

  it("refuse garbage", async () => {
    const { t, auth } = await setup();
    expect(await auth.redeemHandoff("", hostOf(t.slug))).toBeNull();
    expect(await auth.redeemHandoff("x".repeat(43), hostOf(t.slug))).toBeNull();
  });
});

describe("resolveSession", () => {
  async function opened() {
    const s = await setup();
    const claims = (await s.auth.redeemHandoff(await s.auth.issueHandoff(s.t.owner.userId, hostOf(s.t.slug)), hostOf(s.t.slug)))!;
    return { ...s, claims };
  }

  it("returns the user for valid claims on their host", async () => {
    const { t, auth, claims } = await opened();
    expect(await auth.resolveSession(claims, hostOf(t.slug))).toEqual({
      userId: t.owner.userId,
      sessionId: claims.sid,
      email: t.owner.email,
      name: `Owner of ${t.slug}`,
      locale: null,
      isPlatformAdmin: false,
      mfaVerified: false,
      impersonatorUserId: null,
    });
  });

  it("rejects another host, with or without the claims' host rewritten", async () => {
    const { auth, claims } = await opened();
    const other = hostOf(uniqueSlug("oth"));
    expect(await auth.resolveSession(claims, other)).toBeNull();
    expect(await auth.resolveSession({ ...claims, host: other }, other)).toBeNull();
  });

  it("rejects claims naming another user or a missing session", async () => {
    const { t, auth, claims } = await opened();
    const intruder = await createUser({ email: uniqueEmail("x", t.slug) });
    expect(await auth.resolveSession({ ...claims, uid: intruder.id }, hostOf(t.slug))).toBeNull();
    expect(await auth.resolveSession({ ...claims, sid: "01900000-0000-7000-8000-000000000000" }, hostOf(t.slug))).toBeNull();
    expect(await auth.resolveSession({ uid: claims.uid, host: claims.host }, hostOf(t.slug))).toBeNull();
    expect(await auth.resolveSession(null, hostOf(t.slug))).toBeNull();
  });

  it("rejects a session after logout, and audits the logout", async () => {
    const { t, scope, auth, claims } = await opened();
    const user = (await auth.resolveSession(claims, hostOf(t.slug)))!;
    await auth.logout(scope, user);
    expect(await auth.resolveSession(claims, hostOf(t.slug))).toBeNull();
    const rows = await new TenantDb(t.tenantId).run((tx) => tx.auditLog.findMany({ where: { action: "auth.logout" } }));
    expect(rows.map((r) => r.actorUserId)).toEqual([t.owner.userId]);
  });

  it("rejects an expired session", async () => {
    const { t, auth, clock, claims } = await opened();
    clock.advance(SESSION_TTL_MS - 1_000);
    expect(await auth.resolveSession(claims, hostOf(t.slug))).not.toBeNull();
    clock.advance(1_000);
    expect(await auth.resolveSession(claims, hostOf(t.slug))).toBeNull();
  });

  it("rejects a locked user's session", async () => {
    const { t, auth, claims } = await opened();
    await getDb().user.update({ where: { id: t.owner.userId }, data: { lockedAt: new Date() } });
    expect(await auth.resolveSession(claims, hostOf(t.slug))).toBeNull();
  });

  it("touches lastSeenAt at most every five minutes", async () => {
    const { t, auth, clock, claims } = await opened();
    const seen = async () => (await getDb().userSession.findUniqueOrThrow({ where: { id: claims.sid } })).lastSeenAt.getTime();
    const first = await seen();
    clock.advance(4 * MIN);
    await auth.resolveSession(claims, hostOf(t.slug));
    expect(await seen()).toBe(first);
    clock.advance(2 * MIN);
    await auth.resolveSession(claims, hostOf(t.slug));
    expect(await seen()).toBe(clock().getTime());
  });
});

describe("password reset", () => {
  it("mails a single-use link for this host; using it changes the password and ends every session", async () => {
    const { t, scope, auth } = await setup();
    const sessions = await Promise.all(
      [hostOf(t.slug), hostOf(t.slug)].map(async (h) => (await auth.redeemHandoff(await auth.issueHandoff(t.owner.userId, h), h))!),
    );

    expect(await auth.requestPasswordReset(scope, t.owner.email, "en")).toEqual({ throttled: false });
    const [mail, ...more] = await mailsTo(t.owner.email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe(`Reset your ${t.slug} password`);
    expect(mail!.text).toContain(`http://${hostOf(t.slug)}:3000/reset-password?token=`);
    expect(mail!.html).toContain(`href="http://${hostOf(t.slug)}:3000/reset-password?token=`);
    expect(mail!.tags).toEqual({ kind: "auth_password_reset", message_id: expect.any(String) });
    const token = tokenFrom(mail!);

    // a token is never stored in clear
    expect(await getDb().authToken.count({ where: { tokenHash: token } })).toBe(0);

    expect(await auth.resetPassword(scope, token, "a brand new password")).toBe("ok");
    expect(await auth.resetPassword(scope, token, "another new password")).toBe("invalid");

    for (const claims of sessions) expect(await auth.resolveSession(claims, hostOf(t.slug))).toBeNull();
    expect(await auth.login(scope, t.owner.email, PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await auth.login(scope, t.owner.email, "a brand new password")).toMatchObject({ ok: true });

    const audit = await new TenantDb(t.tenantId).run((tx) =>
      tx.auditLog.findMany({
        where: { action: { in: ["auth.password_reset.requested", "auth.password_reset.completed"] } },
        orderBy: { createdAt: "asc" },
      }),
    );
    expect(audit.map((a) => a.action)).toEqual(["auth.password_reset.requested", "auth.password_reset.completed"]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("refuses the token on another host, without burning it", async () => {
    const { t, scope, auth } = await setup();
    const other = await createTenant({ slug: uniqueSlug("oth"), ownerEmail: t.owner.email });
    await auth.requestPasswordReset(scope, t.owner.email, "en");
    const token = tokenFrom((await mailsTo(t.owner.email))[0]!);
    expect(await auth.resetPassword(await tenantScope(other), token, "a brand new password")).toBe("invalid");
    expect(await auth.resetPassword(await apexScope(), token, "a brand new password")).toBe("invalid");
    expect(await auth.resetPassword(scope, token, "a brand new password")).toBe("ok");
  });

  it("expires the link after 60 minutes", async () => {
    const { t, scope, auth, clock } = await setup();
    await auth.requestPasswordReset(scope, t.owner.email, "en");
    await auth.requestPasswordReset(scope, t.owner.email, "en");
    const [first, second] = (await mailsTo(t.owner.email)).map(tokenFrom);
    clock.advance(60 * MIN - 1_000);
    expect(await auth.resetPassword(scope, first!, "a brand new password")).toBe("ok");
    // a completed reset also voids every other open reset link of the user
    expect(await auth.resetPassword(scope, second!, "a brand new password")).toBe("invalid");

    await auth.requestPasswordReset(scope, t.owner.email, "en");
    const third = tokenFrom((await mailsTo(t.owner.email))[2]!);
    clock.advance(60 * MIN);
    expect(await auth.resetPassword(scope, third, "yet another password")).toBe("invalid");
    expect(await auth.login(scope, t.owner.email, "a brand new password")).toMatchObject({ ok: true });
  });

  it("sends nothing for unknown, non-member, locked or deactivated accounts, and looks the same", async () => {
    const { t, scope, auth } = await setup();
    const outsider = await createTenant({ slug: uniqueSlug("out") });
    const gone = await addMember(t, { email: uniqueEmail("gone", t.slug), role: "viewer", status: "deactivated" });
    const locked = await addMember(t, { email: uniqueEmail("locked", t.slug), role: "viewer" });
    await getDb().user.update({ where: { id: locked.userId }, data: { lockedAt: new Date() } });
    for (const email of [uniqueEmail("nobody", t.slug), outsider.owner.email, gone.email, locked.email]) {
      expect(await auth.requestPasswordReset(scope, email, "en")).toEqual({ throttled: false });
    }
    await flushDeliveries();
    expect(sent).toEqual([]);
  });

  it("on the apex, mails only platform admins (with an apex link)", async () => {
    const { t, auth } = await setup();
    const apex = await apexScope();
    await auth.requestPasswordReset(apex, t.owner.email, "en");
    expect(await mailsTo(t.owner.email)).toEqual([]);
    const staff = await createUser({ email: uniqueEmail("staff", "phteah"), password: PASSWORD, isPlatformAdmin: true });
    await auth.requestPasswordReset(apex, staff.email, "en");
    const [mail] = await mailsTo(staff.email);
    expect(mail!.subject).toBe("Reset your Phteah password");
    expect(mail!.text).toContain(`http://${APEX}:3000/reset-password?token=`);
    expect(await auth.resetPassword(apex, tokenFrom(mail!), "a brand new password")).toBe("ok");
  });

  it("writes the mail in the user's language when known, else the request's", async () => {
    const { t, scope, auth } = await setup();
    await auth.requestPasswordReset(scope, t.owner.email, "km");
    expect((await mailsTo(t.owner.email))[0]!.subject).not.toContain("Reset your");
    const enUser = await createUser({ email: uniqueEmail("en", t.slug), locale: "en" });
    const en = await addMember(t, { email: enUser.email, role: "viewer" });
    await auth.requestPasswordReset(scope, en.email, "km");
    expect((await mailsTo(en.email))[0]!.subject).toBe(`Reset your ${t.slug} password`);
  });

  it("throttles reset requests per account and per address", async () => {
    const { t, scope, clock } = await setup();
    for (let i = 0; i < 5; i++) {
      expect(await new AuthService(testMeta(), clock).requestPasswordReset(scope, t.owner.email, "en")).toEqual({ throttled: false });
    }
    const sixth = await new AuthService(testMeta(), clock).requestPasswordReset(scope, t.owner.email, "en");
    expect(sixth).toMatchObject({ throttled: true, retryAfterSeconds: expect.any(Number) });
    expect(await mailsTo(t.owner.email)).toHaveLength(5);

    const sameIp = new AuthService(testMeta(), clock);
    for (let i = 0; i < 5; i++) await sameIp.requestPasswordReset(scope, uniqueEmail(`r${i}`, t.slug), "en");
    expect(await sameIp.requestPasswordReset(scope, uniqueEmail("r6", t.slug), "en")).toMatchObject({ throttled: true });
  });

  it("throttles guessing of reset tokens per address", async () => {
    const { scope, auth } = await setup();
    for (let i = 0; i < 5; i++)
      expect(await auth.resetPassword(scope, `guess-${i}-${"x".repeat(30)}`, "a brand new password")).toBe("invalid");
    expect(await auth.resetPassword(scope, `guess-6-${"x".repeat(30)}`, "a brand new password")).toMatchObject({
      retryAfterSeconds: expect.any(Number),
    });
  });
});
