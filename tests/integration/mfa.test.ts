// Two-factor authentication of platform admins, through the real router (and the service with
// an injectable clock for the throttle), against the real database. Every test creates its own
// admin, so the per-user throttle and TOTP steps of parallel tests never meet.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { decryptSecret, newTotpSecret, totpCode, totpStep } from "@/server/auth/totp";
import { AppError } from "@/server/core/errors";
import { AuthService, type SessionClaims, type SessionUser } from "@/server/auth/auth.public";
import { MfaService } from "@/server/auth/mfa.admin";
import { EnrolmentLinkRefused, issueEnrolmentLink } from "@/server/auth/mfa-enrolment-links.admin";
import { captureMail } from "./support/team";
import { createTenant, createUser, enrolTotp, enrolmentLinkToken, uniqueSlug } from "@/server/testing/factories";
import { APEX, callPath, callerFor, expectTRPCError, hostOf, sessionFor, testMeta, uniqueEmail } from "./support/world";

// TOTP secrets are encrypted with a key derived from AUTH_SECRET (set by the app in every other run)
process.env.AUTH_SECRET ??= "integration-auth-secret-integration-auth-secret";

const MFA_PROCEDURES = [
  "mfa.status",
  "mfa.requestEnrolmentLink",
  "mfa.enrolmentLinkValid",
  "mfa.startEnrollment",
  "mfa.confirmEnrollment",
  "mfa.verify",
  "mfa.regenerateRecoveryCodes",
] as const;

async function newAdmin(): Promise<{ userId: string; email: string }> {
  const user = await createUser({ email: uniqueEmail("mfa", "phteah"), isPlatformAdmin: true });
  return { userId: user.id, email: user.email };
}

/** A new apex session of `userId` and a caller for it (one per request, as in the app). */
async function apexSession(userId: string) {
  const claims = await sessionFor(userId, APEX);
  return { claims, caller: () => callerFor(APEX, claims) };
}

async function sessionUser(claims: SessionClaims): Promise<SessionUser> {
  const user = await new AuthService(testMeta()).resolveSession(claims, APEX);
  if (!user) throw new Error("session expected");
  return user;
}

const codeAt = (secret: string, step: number) => totpCode(secret, step);
const nowStep = () => totpStep(new Date());

/** A 6-digit code that is valid for none of the steps around `at`. */
function wrongCode(secret: string, at: Date): string {
  const valid = new Set([-1, 0, 1].map((d) => totpCode(secret, totpStep(at) + d)));
  for (let i = 0; ; i++) {
    const candidate = String(i).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

async function mfaAudit(userId: string) {
  return platformDb.run((tx) =>
    tx.auditLog.findMany({
      where: { actorUserId: userId, action: { startsWith: "admin.mfa." } },
      orderBy: { createdAt: "asc" },
      select: { action: true, tenantId: true, metadata: true },
    }),
  );
}

async function userRow(userId: string) {
  return getDb().user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpSecretEnc: true, totpEnabledAt: true, totpLastStep: true },
  });
}

/** Enrols `userId` through the real flow on a new session; returns the secret, the codes and that (verified) session. */
async function enrolThroughFlow(userId: string) {
  const s = await apexSession(userId);
  const tok = await enrolmentLinkToken(userId);
  const { secret } = await (await s.caller()).mfa.startEnrollment({ enrolmentToken: tok });
  const step = nowStep();
  const { recoveryCodes } = await (await s.caller()).mfa.confirmEnrollment({ code: codeAt(secret, step), enrolmentToken: tok });
  return { secret, step, recoveryCodes, session: s };
}

async function expectAppError(promise: Promise<unknown>, code: AppError["code"], key?: string): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (key) expect((error as AppError).key).toBe(key);
  return error as AppError;
}

describe("enrolment", () => {
  it("issues an encrypted secret, replaces a pending one, and turns 2FA on with the first valid code", async () => {
    const admin = await newAdmin();
    const tok = await enrolmentLinkToken(admin.userId);
    const s = await apexSession(admin.userId);

    expect(await (await s.caller()).mfa.status()).toEqual({
      enrolled: false,
      enrolledAt: null,
      pending: false,
      verified: false,
      recoveryCodesLeft: 0,
    });
    // the console refuses the session until it passes 2FA
    await expectTRPCError((await s.caller()).admin.jobs(), "FORBIDDEN", { key: "errors.mfaRequired" });

    const first = await (await s.caller()).mfa.startEnrollment({ enrolmentToken: tok });
    expect(first.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.otpauthUri).toBe(
      `otpauth://totp/${encodeURIComponent(`Phteah:${admin.email}`)}?secret=${first.secret}&issuer=Phteah&algorithm=SHA1&digits=6&period=30`,
    );
    expect(first.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    let row = await userRow(admin.userId);
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpSecretEnc).not.toContain(first.secret);
    expect(decryptSecret(row.totpSecretEnc!)).toBe(first.secret);
    expect(await (await s.caller()).mfa.status()).toMatchObject({ enrolled: false, pending: true });

    // a second start replaces the pending secret: codes of the first one no longer confirm
    const second = await (await s.caller()).mfa.startEnrollment({ enrolmentToken: tok });
    expect(second.secret).not.toBe(first.secret);
    row = await userRow(admin.userId);
    expect(decryptSecret(row.totpSecretEnc!)).toBe(second.secret);
    await expectTRPCError(
      (await s.caller()).mfa.confirmEnrollment({ code: codeAt(first.secret, nowStep()), enrolmentToken: tok }),
      "BAD_REQUEST",
      {
        key: "mfa.errors.invalidCode",
      },
    );
    expect((await userRow(admin.userId)).totpEnabledAt).toBeNull();

    const step = nowStep();
    const { recoveryCodes } = await (await s.caller()).mfa.confirmEnrollment({ code: codeAt(second.secret, step), enrolmentToken: tok });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);

    row = await userRow(admin.userId);
    expect(row.totpEnabledAt).toBeInstanceOf(Date);
    expect(row.totpLastStep).toBe(step);
    // only SHA-256 hashes are stored
    const stored = await getDb().recoveryCode.findMany({ where: { userId: admin.userId }, select: { codeHash: true, usedAt: true } });
    expect(stored.map((r) => r.codeHash).sort()).toEqual(recoveryCodes.map((c) => createHash("sha256").update(c).digest("hex")).sort());
    expect(stored.every((r) => r.usedAt === null)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!);

    // this session has passed 2FA: the console opens
    expect(await (await s.caller()).mfa.status()).toMatchObject({ enrolled: true, pending: false, verified: true, recoveryCodesLeft: 10 });
    await expect((await s.caller()).admin.jobs()).resolves.toBeInstanceOf(Array);

    const audit = await mfaAudit(admin.userId);
    expect(audit.map((a) => a.action)).toEqual(["admin.mfa.failed", "admin.mfa.enrolled"]);
    expect(audit.every((a) => a.tenantId === null)).toBe(true);
    expect(audit[0]!.metadata).toEqual({ method: "totp", purpose: "enroll", reason: "invalid" });
    expect(JSON.stringify(audit)).not.toContain(recoveryCodes[0]!);

    // enrolled: no new secret, no second confirmation
    await expectTRPCError((await s.caller()).mfa.startEnrollment({ enrolmentToken: tok }), "PRECONDITION_FAILED", {
      key: "mfa.errors.alreadyEnrolled",
    });
    await expectTRPCError(
      (await s.caller()).mfa.confirmEnrollment({ code: codeAt(second.secret, step + 1), enrolmentToken: tok }),
      "PRECONDITION_FAILED",
      {
        key: "mfa.errors.alreadyEnrolled",
      },
    );
    expect(decryptSecret((await userRow(admin.userId)).totpSecretEnc!)).toBe(second.secret);
  });

  it("refuses to confirm without a pending secret, and malformed codes at the schema", async () => {
    const admin = await newAdmin();
    const tok = await enrolmentLinkToken(admin.userId);
    const s = await apexSession(admin.userId);
    await expectTRPCError((await s.caller()).mfa.confirmEnrollment({ code: "123456", enrolmentToken: tok }), "PRECONDITION_FAILED", {
      key: "mfa.errors.noPendingEnrollment",
    });
    await (await s.caller()).mfa.startEnrollment({ enrolmentToken: tok });
    const e = await expectTRPCError((await s.caller()).mfa.confirmEnrollment({ code: "12345", enrolmentToken: tok }), "BAD_REQUEST");
    expect(e.cause?.constructor.name).toBe("ZodError");
    await expectTRPCError((await s.caller()).mfa.verify({ code: "1234-567" }), "BAD_REQUEST");
    // the verify step needs an enrolled account
    await expectTRPCError((await s.caller()).mfa.verify({ code: "123456" }), "PRECONDITION_FAILED", { key: "mfa.errors.notEnrolled" });
  });
});

describe("verification at sign-in", () => {
  it("accepts a TOTP code once: the same step is refused in another session, a later step works", async () => {
    const admin = await newAdmin();
    const secret = newTotpSecret();
    await enrolTotp(admin.userId, secret);
    const step = nowStep();

    const one = await apexSession(admin.userId);
    await expectTRPCError((await one.caller()).admin.jobs(), "FORBIDDEN", { key: "errors.mfaRequired" });
    expect(await (await one.caller()).mfa.verify({ code: codeAt(secret, step) })).toEqual({ method: "totp" });
    await expect((await one.caller()).admin.jobs()).resolves.toBeInstanceOf(Array);
    expect((await userRow(admin.userId)).totpLastStep).toBe(step);

    // replay of the same code, and an older step, in a second session
    const two = await apexSession(admin.userId);
    await expectTRPCError((await two.caller()).mfa.verify({ code: codeAt(secret, step) }), "BAD_REQUEST", {
      key: "mfa.errors.invalidCode",
    });
    await expectTRPCError((await two.caller()).mfa.verify({ code: codeAt(secret, step - 1) }), "BAD_REQUEST", {
      key: "mfa.errors.invalidCode",
    });
    await expectTRPCError((await two.caller()).admin.jobs(), "FORBIDDEN");
    expect(await (await two.caller()).mfa.verify({ code: codeAt(secret, step + 1) })).toEqual({ method: "totp" });
    await expect((await two.caller()).admin.jobs()).resolves.toBeInstanceOf(Array);

    const audit = await mfaAudit(admin.userId);
    expect(audit.map((a) => [a.action, a.metadata])).toEqual([
      ["admin.mfa.verified", { method: "totp" }],
      ["admin.mfa.failed", { method: "totp", purpose: "verify", reason: "replay" }],
      ["admin.mfa.failed", { method: "totp", purpose: "verify", reason: "replay" }],
      ["admin.mfa.verified", { method: "totp" }],
    ]);
    // verification belongs to a session, not to the user
    const three = await apexSession(admin.userId);
    await expectTRPCError((await three.caller()).admin.jobs(), "FORBIDDEN", { key: "errors.mfaRequired" });
  });

  it("lets exactly one of two concurrent requests use a code", async () => {
    const admin = await newAdmin();
    const secret = newTotpSecret();
    await enrolTotp(admin.userId, secret);
    const code = codeAt(secret, nowStep());
    const [a, b] = await Promise.all([apexSession(admin.userId), apexSession(admin.userId)]);
    const results = await Promise.allSettled([(await a.caller()).mfa.verify({ code }), (await b.caller()).mfa.verify({ code })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const verifiedSessions = await getDb().userSession.count({ where: { userId: admin.userId, mfaVerifiedAt: { not: null } } });
    expect(verifiedSessions).toBe(1);
  });

  it("accepts each recovery code once, forgiving case, spaces and the hyphen", async () => {
    const admin = await newAdmin();
    const { recoveryCodes } = await enrolThroughFlow(admin.userId);
    const [first, second] = recoveryCodes as [string, string];

    const one = await apexSession(admin.userId);
    expect(await (await one.caller()).mfa.verify({ code: ` ${first.replace("-", "").toUpperCase()} ` })).toEqual({ method: "recovery" });
    await expect((await one.caller()).admin.jobs()).resolves.toBeInstanceOf(Array);
    expect(await (await one.caller()).mfa.status()).toMatchObject({ recoveryCodesLeft: 9 });

    const two = await apexSession(admin.userId);
    await expectTRPCError((await two.caller()).mfa.verify({ code: first }), "BAD_REQUEST", { key: "mfa.errors.invalidCode" });
    await expectTRPCError((await two.caller()).mfa.verify({ code: "zzzz-zzzz" }), "BAD_REQUEST", { key: "mfa.errors.invalidCode" });
    await expectTRPCError((await two.caller()).admin.jobs(), "FORBIDDEN");
    expect(await (await two.caller()).mfa.verify({ code: second })).toEqual({ method: "recovery" });

    const used = await getDb().recoveryCode.count({ where: { userId: admin.userId, usedAt: { not: null } } });
    expect(used).toBe(2);
    const audit = (await mfaAudit(admin.userId)).filter((a) => a.action !== "admin.mfa.enrolled");
    expect(audit.map((a) => [a.action, a.metadata])).toEqual([
      ["admin.mfa.verified", { method: "recovery" }],
      ["admin.mfa.failed", { method: "recovery", purpose: "verify", reason: "invalid" }],
      ["admin.mfa.failed", { method: "recovery", purpose: "verify", reason: "invalid" }],
      ["admin.mfa.verified", { method: "recovery" }],
    ]);
  });

  it("another admin's recovery code does not work", async () => {
    const [a, b] = await Promise.all([newAdmin(), newAdmin()]);
    const { recoveryCodes } = await enrolThroughFlow(a.userId);
    await enrolThroughFlow(b.userId);
    const s = await apexSession(b.userId);
    await expectTRPCError((await s.caller()).mfa.verify({ code: recoveryCodes[0]! }), "BAD_REQUEST", { key: "mfa.errors.invalidCode" });
  });
});

describe("throttling", () => {
  it("refuses every code after 5 failures in 15 minutes for that admin, until the window passes", async () => {
    let now = Date.now();
    const clock = () => new Date(now);
    const [admin, other] = await Promise.all([newAdmin(), newAdmin()]);
    const secret = newTotpSecret();
    await Promise.all([enrolTotp(admin.userId, secret), enrolTotp(other.userId, secret)]);
    const claims = await sessionFor(admin.userId, APEX);
    const user = await sessionUser(claims);
    const svc = new MfaService(testMeta(), clock);

    await expectAppError(svc.verify(user, "abcd-2345"), "VALIDATION", "mfa.errors.invalidCode");
    for (let i = 2; i <= 5; i++) await expectAppError(svc.verify(user, wrongCode(secret, clock())), "VALIDATION", "mfa.errors.invalidCode");

    // the right code now is refused too, through the service and through the API
    const blocked = await expectAppError(
      svc.verify(user, codeAt(secret, totpStep(clock()))),
      "TOO_MANY_REQUESTS",
      "errors.tooManyRequestsRetry",
    );
    expect(blocked.params).toEqual({ minutes: 15 });
    await expectTRPCError((await callerFor(APEX, claims)).mfa.verify({ code: codeAt(secret, nowStep()) }), "TOO_MANY_REQUESTS");
    await expectAppError(
      svc.regenerateRecoveryCodes({ ...user, mfaVerified: true }, codeAt(secret, totpStep(clock()))),
      "TOO_MANY_REQUESTS",
    );
    expect((await userRow(admin.userId)).totpLastStep).toBeNull();
    expect(await getDb().userSession.findUniqueOrThrow({ where: { id: claims.sid } })).toMatchObject({ mfaVerifiedAt: null });
    expect((await mfaAudit(admin.userId)).filter((a) => a.action === "admin.mfa.failed")).toHaveLength(5);

    // counted per admin: another admin is not affected
    const otherUser = await sessionUser(await sessionFor(other.userId, APEX));
    await expect(svc.verify(otherUser, codeAt(secret, totpStep(clock())))).resolves.toEqual({ method: "totp" });

    // 15 minutes later the window has passed
    now += 15 * 60_000 + 1_000;
    await expect(svc.verify(user, codeAt(secret, totpStep(clock())))).resolves.toEqual({ method: "totp" });
    expect(await getDb().userSession.findUniqueOrThrow({ where: { id: claims.sid } })).toMatchObject({ mfaVerifiedAt: clock() });
  });

  it("counts failed enrolment confirmations too", async () => {
    const admin = await newAdmin();
    const tok = await enrolmentLinkToken(admin.userId);
    const s = await apexSession(admin.userId);
    const { secret } = await (await s.caller()).mfa.startEnrollment({ enrolmentToken: tok });
    for (let i = 1; i <= 5; i++) {
      await expectTRPCError(
        (await s.caller()).mfa.confirmEnrollment({ code: wrongCode(secret, new Date()), enrolmentToken: tok }),
        "BAD_REQUEST",
      );
    }
    await expectTRPCError(
      (await s.caller()).mfa.confirmEnrollment({ code: codeAt(secret, nowStep()), enrolmentToken: tok }),
      "TOO_MANY_REQUESTS",
    );
    expect((await userRow(admin.userId)).totpEnabledAt).toBeNull();
  });
});

describe("recovery code renewal", () => {
  it("needs a verified session and a fresh TOTP code; the old codes stop working", async () => {
    const admin = await newAdmin();
    const { secret, step, recoveryCodes: oldCodes, session } = await enrolThroughFlow(admin.userId);

    // a session that has not passed 2FA
    const pending = await apexSession(admin.userId);
    await expectTRPCError((await pending.caller()).mfa.regenerateRecoveryCodes({ code: codeAt(secret, step + 1) }), "FORBIDDEN", {
      key: "errors.mfaRequired",
    });

    // the code used to enrol cannot be used again; a wrong one neither
    await expectTRPCError((await session.caller()).mfa.regenerateRecoveryCodes({ code: codeAt(secret, step) }), "BAD_REQUEST", {
      key: "mfa.errors.invalidCode",
    });
    const { recoveryCodes: newCodes } = await (await session.caller()).mfa.regenerateRecoveryCodes({ code: codeAt(secret, step + 1) });
    expect(newCodes).toHaveLength(10);
    expect(newCodes.filter((c) => oldCodes.includes(c))).toEqual([]);
    expect(await getDb().recoveryCode.count({ where: { userId: admin.userId } })).toBe(10);

    const next = await apexSession(admin.userId);
    await expectTRPCError((await next.caller()).mfa.verify({ code: oldCodes[0]! }), "BAD_REQUEST", { key: "mfa.errors.invalidCode" });
    expect(await (await next.caller()).mfa.verify({ code: newCodes[0]! })).toEqual({ method: "recovery" });

    const audit = await mfaAudit(admin.userId);
    expect(audit.map((a) => a.action)).toEqual([
      "admin.mfa.enrolled",
      "admin.mfa.failed",
      "admin.mfa.recovery_codes_regenerated",
      "admin.mfa.failed",
      "admin.mfa.verified",
    ]);
    expect(audit[1]!.metadata).toEqual({ method: "totp", purpose: "regenerate", reason: "replay" });
  });
});

describe("who may call the 2FA procedures", () => {
  const sampleInput: Record<(typeof MFA_PROCEDURES)[number], unknown> = {
    "mfa.status": undefined,
    "mfa.requestEnrolmentLink": undefined,
    "mfa.enrolmentLinkValid": { enrolmentToken: "not-a-token" },
    "mfa.startEnrollment": { enrolmentToken: "not-a-token" },
    "mfa.confirmEnrollment": { code: "123456", enrolmentToken: "not-a-token" },
    "mfa.verify": { code: "123456" },
    "mfa.regenerateRecoveryCodes": { code: "123456" },
  };

  it("gives a tenant owner NOT_FOUND on the tenant host and on the apex, and leaves their account alone", async () => {
    const slug = uniqueSlug("mfa");
    const t = await createTenant({ slug });
    const onTenant = await sessionFor(t.owner.userId, hostOf(slug));
    const onApex = await sessionFor(t.owner.userId, APEX);
    for (const path of MFA_PROCEDURES) {
      await expectTRPCError(callPath(await callerFor(hostOf(slug), onTenant), path, sampleInput[path]), "NOT_FOUND", {
        key: "errors.notFound",
      });
      await expectTRPCError(callPath(await callerFor(APEX, onApex), path, sampleInput[path]), "NOT_FOUND", { key: "errors.notFound" });
    }
    expect(await userRow(t.owner.userId)).toEqual({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null });
  });

  it("gives a platform admin NOT_FOUND on a tenant host, and refuses the apex without a session", async () => {
    const slug = uniqueSlug("mfa");
    await createTenant({ slug });
    const admin = await newAdmin();
    const onTenant = await sessionFor(admin.userId, hostOf(slug));
    for (const path of MFA_PROCEDURES) {
      await expectTRPCError(callPath(await callerFor(hostOf(slug), onTenant), path, sampleInput[path]), "NOT_FOUND");
      await expectTRPCError(callPath(await callerFor(APEX, null), path, sampleInput[path]), "UNAUTHORIZED");
    }
  });
});

describe("the one-time enrolment link (no trust on first use)", () => {
  const mail = captureMail();

  function linkIn(email: string): string {
    const sent = mail.to(email).filter((m) => m.tags?.kind === "admin_mfa_enrolment");
    const last = sent[sent.length - 1];
    if (!last) throw new Error(`no enrolment mail to ${email}`);
    const match = /https?:\/\/[^\s"<>]+\/admin\/mfa\?enrol=[A-Za-z0-9_-]+/.exec(last.text);
    if (!match) throw new Error("no enrolment link in the mail");
    return match[0];
  }

  it("refuses to start or confirm enrolment with the password alone, a wrong token or another admin's link", async () => {
    const admin = await newAdmin();
    const other = await newAdmin();
    const s = await apexSession(admin.userId);
    const othersToken = await enrolmentLinkToken(other.userId);
    for (const enrolmentToken of ["", "guessed-token", othersToken]) {
      const input = { enrolmentToken };
      if (enrolmentToken === "") {
        await expectTRPCError((await s.caller()).mfa.startEnrollment(input), "BAD_REQUEST");
        continue;
      }
      await expectTRPCError((await s.caller()).mfa.startEnrollment(input), "FORBIDDEN", { key: "mfa.errors.enrolmentLinkRequired" });
      expect(await (await s.caller()).mfa.enrolmentLinkValid(input)).toEqual({ valid: false });
    }
    expect(await userRow(admin.userId)).toMatchObject({ totpSecretEnc: null, totpEnabledAt: null });
    // a secret issued with a valid link still cannot be confirmed without it
    const tok = await enrolmentLinkToken(admin.userId);
    const { secret } = await (await s.caller()).mfa.startEnrollment({ enrolmentToken: tok });
    await expectTRPCError(
      (await s.caller()).mfa.confirmEnrollment({ code: codeAt(secret, nowStep()), enrolmentToken: othersToken }),
      "FORBIDDEN",
      { key: "mfa.errors.enrolmentLinkRequired" },
    );
    expect((await userRow(admin.userId)).totpEnabledAt).toBeNull();
  });

  it("e-mails a link to the admin's own address at sign-in (at most one per five minutes); it enrols once and expires after 30 minutes", async () => {
    const admin = await newAdmin();
    const s = await apexSession(admin.userId);
    expect(await (await s.caller()).mfa.requestEnrolmentLink()).toEqual({ sent: true });
    expect(await (await s.caller()).mfa.requestEnrolmentLink()).toEqual({ sent: false });
    const link = linkIn(admin.email);
    expect(mail.to(admin.email)).toHaveLength(1);
    expect(link.startsWith(`http://${APEX}`)).toBe(true);
    const enrolmentToken = new URL(link).searchParams.get("enrol")!;
    // only the hash is stored, as an mfa_enrolment AuthToken of this admin, for 30 minutes
    const row = await getDb().authToken.findFirstOrThrow({ where: { userId: admin.userId, kind: "mfa_enrolment" } });
    expect(row.tokenHash).toBe(createHash("sha256").update(enrolmentToken).digest("hex"));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(30 * 60_000 - 5_000);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(30 * 60_000 + 5_000);

    // 31 minutes later the link is dead
    const later = () => new Date(row.expiresAt.getTime() + 60_000);
    const user = await sessionUser(s.claims);
    expect(await new MfaService(testMeta(), later).enrolmentLinkValid(user, enrolmentToken)).toEqual({ valid: false });
    await expectAppError(
      new MfaService(testMeta(), later).startEnrollment(user, enrolmentToken),
      "FORBIDDEN",
      "mfa.errors.enrolmentLinkRequired",
    );

    expect(await (await s.caller()).mfa.enrolmentLinkValid({ enrolmentToken })).toEqual({ valid: true });
    const { secret } = await (await s.caller()).mfa.startEnrollment({ enrolmentToken });
    // a wrong code leaves the link usable; the right one uses it up
    await expectTRPCError((await s.caller()).mfa.confirmEnrollment({ code: wrongCode(secret, new Date()), enrolmentToken }), "BAD_REQUEST");
    const { recoveryCodes } = await (await s.caller()).mfa.confirmEnrollment({ code: codeAt(secret, nowStep()), enrolmentToken });
    expect(recoveryCodes).toHaveLength(10);
    expect((await getDb().authToken.findUniqueOrThrow({ where: { id: row.id } })).usedAt).toBeInstanceOf(Date);
    expect(await (await s.caller()).mfa.enrolmentLinkValid({ enrolmentToken })).toEqual({ valid: false });
    // enrolled: no more links
    await expectTRPCError((await s.caller()).mfa.requestEnrolmentLink(), "PRECONDITION_FAILED", { key: "mfa.errors.alreadyEnrolled" });

    const issued = await platformDb.run((tx) =>
      tx.auditLog.findMany({
        where: { targetId: admin.userId, action: "admin.mfa.enrolment_link_issued" },
        select: { metadata: true, actorUserId: true },
      }),
    );
    expect(issued).toEqual([{ actorUserId: admin.userId, metadata: { via: "email", expiresAt: row.expiresAt.toISOString() } }]);
    expect(JSON.stringify(issued)).not.toContain(enrolmentToken);
  });

  it("issues links only for un-enrolled platform admins (the admin:enrol-link command)", async () => {
    const tenantUser = await createUser({ email: uniqueEmail("owner", "phteah") });
    await expect(issueEnrolmentLink(tenantUser.id, "command", testMeta())).rejects.toBeInstanceOf(EnrolmentLinkRefused);
    const enrolled = await newAdmin();
    await enrolTotp(enrolled.userId, newTotpSecret());
    await expect(issueEnrolmentLink(enrolled.userId, "command", testMeta())).rejects.toBeInstanceOf(EnrolmentLinkRefused);
    const admin = await newAdmin();
    const { link } = await issueEnrolmentLink(admin.userId, "command", testMeta());
    expect(link).toMatch(/\/admin\/mfa\?enrol=[A-Za-z0-9_-]{43}$/);
  });
});

describe("npm run admin:enrol-link", () => {
  function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(
      process.execPath,
      [path.resolve("node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/admin-enrol-link.ts", ...args],
      {
        env: process.env,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it("prints a working single-use link for an un-enrolled admin, and refuses anyone else", async () => {
    const admin = await newAdmin();
    const ok = run(admin.email);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    const link = /https?:\/\/\S+\/admin\/mfa\?enrol=([A-Za-z0-9_-]{43})/.exec(ok.stdout);
    expect(link, ok.stdout).not.toBeNull();
    const s = await apexSession(admin.userId);
    expect(await (await s.caller()).mfa.enrolmentLinkValid({ enrolmentToken: link![1]! })).toEqual({ valid: true });

    expect(run().status).toBe(1);
    expect(run("nobody-here@phteah.test")).toMatchObject({ status: 1, stderr: expect.stringContaining("No account") });
    const owner = await createUser({ email: uniqueEmail("owner", "phteah") });
    expect(run(owner.email)).toMatchObject({ status: 1, stderr: expect.stringContaining("not a platform admin") });
  }, 120_000);
});
