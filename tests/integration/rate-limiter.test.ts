// The PostgreSQL rate limiter under concurrency: consuming a slot counts and records in one
// locked transaction, and every password / code check consumes its slot BEFORE verifying, so a
// burst of parallel guesses for one account gets at most `limit` verifications. Every test uses
// its own buckets, accounts and client addresses.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { newTotpSecret, totpCode, totpStep } from "@/server/auth/totp";
import { newToken } from "@/server/auth/tokens";
import { AppError } from "@/server/core/errors";
import { AuthService, type SessionUser } from "@/server/auth/auth.public";
import { InvitationAcceptService } from "@/server/team/invitation-accept.public";
import { MfaService } from "@/server/auth/mfa.admin";
import { SignupService } from "@/server/workspaces/signup.public";
import { AUTH_FAILURE_RULE, RateLimiter } from "@/server/core/rate-limiter";
import { resolveHostScope, type HostScope } from "@/server/core/host-scope";
import { isDatabaseOverload } from "@/server/core/overload";
import { addMember, createTenant, createUser, enrolTotp, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { APEX, callerFor, hostOf, sessionFor, testMeta, uniqueEmail } from "./support/world";
import { tenantSummary } from "./support/team";

// TOTP secrets are encrypted with a key derived from AUTH_SECRET (set by the app in every other run)
process.env.AUTH_SECRET ??= "integration-auth-secret-integration-auth-secret";

const PASSWORD = "correct horse battery";
const BURST = 40;
const LIMIT = AUTH_FAILURE_RULE.limit;
const OVERLOADED = "overloaded (503)";

async function tenantScope(t: CreatedTenant): Promise<HostScope> {
  const scope = await resolveHostScope(`${hostOf(t.slug)}:3000`);
  if (scope?.kind !== "tenant") throw new Error("tenant scope expected");
  return scope;
}

/** How many outcomes of each kind (an error counts by its message key). */
function tally(outcomes: PromiseSettledResult<unknown>[], keyOf: (value: unknown) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key =
      o.status === "fulfilled"
        ? keyOf(o.value)
        : o.reason instanceof AppError
          ? o.reason.key
          : isDatabaseOverload(o.reason)
            ? OVERLOADED
            : `unexpected: ${String(o.reason)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * The security property of a burst: at most `limit` guesses were checked, every other request was
 * refused as throttled, or — on a saturated machine — as an overload (503, a refusal too). Nothing else.
 */
function expectBurst(counts: Record<string, number>, checked: string, throttled: string): void {
  expect(counts[checked] ?? 0).toBeLessThanOrEqual(LIMIT);
  expect(counts[throttled] ?? 0).toBeGreaterThanOrEqual(BURST - LIMIT - (counts[OVERLOADED] ?? 0));
  expect(Object.keys(counts).filter((k) => k !== checked && k !== throttled && k !== OVERLOADED)).toEqual([]);
}

const reasonOf = (v: unknown) => ((v as { ok: boolean; reason?: string }).ok ? "ok" : (v as { reason: string }).reason);

describe("RateLimiter.consume", () => {
  it("lets exactly `limit` of 40 concurrent consumers through and records only those", async () => {
    const bucket = `test:${randomUUID()}`;
    const limiter = new RateLimiter();
    const results = await Promise.all(Array.from({ length: BURST }, () => limiter.consume([bucket], AUTH_FAILURE_RULE)));
    expect(results.filter((r) => !r.limited)).toHaveLength(LIMIT);
    for (const r of results.filter((r) => r.limited)) {
      expect(r).toMatchObject({ limited: true, retryAfterSeconds: expect.any(Number) });
      if (r.limited) expect(r.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(await getDb().rateLimitHit.count({ where: { bucket } })).toBe(LIMIT);
  });

  it("checks every bucket and records in all of them only when none is full; a refund gives the slot back", async () => {
    let now = Date.now();
    const clock = () => new Date(now);
    const limiter = new RateLimiter(clock);
    const [a, b] = [`test:a:${randomUUID()}`, `test:b:${randomUUID()}`];
    const rule = { limit: 2, windowMs: 60_000 };

    const first = await limiter.consume([a, b], rule);
    expect(first.limited).toBe(false);
    // recorded at the clock's time, in both buckets
    expect((await getDb().rateLimitHit.findMany({ where: { bucket: { in: [a, b] } } })).map((h) => h.createdAt.getTime())).toEqual([
      now,
      now,
    ]);
    now += 10_000;
    expect((await limiter.consume([b], rule)).limited).toBe(false);
    // b is full: nothing is recorded in a either
    expect(await limiter.consume([a, b], rule)).toEqual({ limited: true, retryAfterSeconds: 50 });
    expect(await getDb().rateLimitHit.count({ where: { bucket: a } })).toBe(1);

    if (first.limited) throw new Error("unreachable");
    await limiter.refund(first);
    expect(await getDb().rateLimitHit.count({ where: { bucket: a } })).toBe(0);
    expect((await limiter.consume([a, b], rule)).limited).toBe(false);

    // the window slides
    now += 60_000;
    expect((await limiter.consume([b], rule)).limited).toBe(false);
  });
});

describe("40 concurrent guesses for one account get at most 5 verifications", () => {
  it("sign-in", async () => {
    const slug = uniqueSlug("rl-login");
    const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
    const scope = await tenantScope(t);
    // every guess from its own address: only the per-account limit can stop them
    const outcomes = await Promise.allSettled(
      Array.from({ length: BURST }, (_, i) => new AuthService(testMeta()).login(scope, t.owner.email, `wrong-${i}`)),
    );
    const counts = tally(outcomes, reasonOf);
    expectBurst(counts, "invalid", "throttled");
    const audited = await new TenantDb(t.tenantId).run((tx) => tx.auditLog.count({ where: { action: "auth.login.failed" } }));
    expect(audited).toBeLessThanOrEqual(LIMIT);
    // the right password is refused too now
    expect(await new AuthService(testMeta()).login(scope, t.owner.email, PASSWORD)).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("sign-up with an existing e-mail (shares the sign-in account bucket)", async () => {
    const email = uniqueEmail("existing", uniqueSlug("rl-su"));
    await createUser({ email, password: PASSWORD });
    const outcomes = await Promise.allSettled(
      Array.from({ length: BURST }, (_, i) => {
        const slug = uniqueSlug("rl-su");
        return new SignupService(testMeta()).signup(
          { name: "Guess", email, password: `wrong-guess-${i}`, workspaceName: `W ${slug}`, slug },
          "en",
        );
      }),
    );
    const counts = tally(outcomes, reasonOf);
    expectBurst(counts, "errors.emailTaken", "throttled");
  });

  it("2FA codes of a platform admin", async () => {
    const admin = await createUser({ email: uniqueEmail("rl-mfa", "phteah"), isPlatformAdmin: true });
    const secret = newTotpSecret();
    await enrolTotp(admin.id, secret);
    const claims = await sessionFor(admin.id, APEX);
    const user = (await new AuthService(testMeta()).resolveSession(claims, APEX)) as SessionUser;
    const valid = new Set([-1, 0, 1].map((d) => totpCode(secret, totpStep(new Date()) + d)));
    const wrong = Array.from({ length: 100 }, (_, i) => String(100000 + i)).filter((c) => !valid.has(c));
    const outcomes = await Promise.allSettled(
      Array.from({ length: BURST }, (_, i) =>
        new MfaService(testMeta()).verify(user, i % 2 ? wrong[i]! : `abcd-23${String(i).padStart(2, "0")}`),
      ),
    );
    const counts = tally(outcomes, () => "ok");
    expectBurst(counts, "mfa.errors.invalidCode", "errors.tooManyRequestsRetry");
  });

  it("the current password of a password change", async () => {
    const slug = uniqueSlug("rl-pw");
    const t = await createTenant({ slug });
    const member = await addMember(t, { email: uniqueEmail("me", slug), password: PASSWORD, role: "viewer" });
    const claims = await sessionFor(member.userId, hostOf(slug));
    // one request (context) per guess, built beforehand so only the guesses run in parallel
    const callers = [];
    for (let i = 0; i < BURST; i++) callers.push(await callerFor(hostOf(slug), claims));
    const outcomes = await Promise.allSettled(
      callers.map((c, i) => c.account.changePassword({ currentPassword: `wrong-guess-${i}`, newPassword: "brand-new-password-456" })),
    );
    const keys = outcomes.map((o) =>
      o.status === "rejected"
        ? ((o.reason as { cause?: AppError }).cause?.key ?? (isDatabaseOverload(o.reason) ? OVERLOADED : String(o.reason)))
        : "ok",
    );
    const counts: Record<string, number> = {};
    for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
    expectBurst(counts, "account.errors.wrongPassword", "errors.tooManyRequestsRetry");
  });

  it("linking an existing account to an invitation by its password", async () => {
    const slug = uniqueSlug("rl-inv");
    const t = await createTenant({ slug });
    const email = uniqueEmail("invitee", slug);
    await createUser({ email, password: PASSWORD });
    const { token, tokenHash } = newToken();
    await new TenantDb(t.tenantId).run((tx) =>
      tx.invitation.create({
        data: { tenantId: t.tenantId, email, roleId: t.roles.viewer, tokenHash, expiresAt: new Date(Date.now() + 86_400_000) },
      }),
    );
    const tenant = await tenantSummary(slug);
    const outcomes = await Promise.allSettled(
      Array.from({ length: BURST }, (_, i) =>
        new InvitationAcceptService(testMeta()).accept(tenant, hostOf(slug), { token, password: `wrong-guess-${i}` }),
      ),
    );
    const counts = tally(outcomes, reasonOf);
    expectBurst(counts, "bad_password", "throttled");
  });
});

describe("successes give their slot back", () => {
  it("many successful sign-ins from one address (an office) are not throttled", async () => {
    const slug = uniqueSlug("rl-office");
    const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
    const scope = await tenantScope(t);
    const auth = new AuthService(testMeta());
    for (let i = 0; i < LIMIT + 3; i++) expect(await auth.login(scope, t.owner.email, PASSWORD)).toMatchObject({ ok: true });
  });
});
