// Proving an existing account's password through sign-up or invitation acceptance is a sign-in:
// the answer never tells a wrong password from a right one before the per-account throttle
// (shared with sign-in) has been passed, and locked or reset-required accounts are refused as
// sign-in refuses them. Every test uses its own accounts, slugs and client addresses.
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { newToken } from "@/server/auth/tokens";
import { AppError } from "@/server/core/errors";
import { AuthService } from "@/server/auth/auth.public";
import { InvitationAcceptService } from "@/server/team/invitation-accept.public";
import { SignupService } from "@/server/workspaces/signup.public";
import { resolveHostScope, type HostScope } from "@/server/core/host-scope";
import { addMember, createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import type { SignupInput } from "@/lib/schemas/auth";
import { hostOf, testMeta, uniqueEmail } from "./support/world";
import { tenantSummary } from "./support/team";

const PASSWORD = "correct horse battery";

function input(email: string, password: string, slug = uniqueSlug("or")): SignupInput {
  return { name: "Guess", email, password, workspaceName: `W ${slug}`, slug };
}

/** What sign-up answered: a success, a throttle, or the error's code and key. */
async function answer(p: Promise<unknown>): Promise<unknown> {
  try {
    const r = (await p) as { ok: boolean; reason?: string };
    return r.ok ? "ok" : r.reason;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { code: e.code, key: e.key };
  }
}

const signup = (data: SignupInput) => new SignupService(testMeta()).signup(data, "en");

async function existingAccount(prefix: string, flags: { lockedAt?: Date; passwordResetRequired?: boolean } = {}) {
  const email = uniqueEmail(prefix, uniqueSlug(prefix));
  const user = await createUser({ email, password: PASSWORD });
  if (flags.lockedAt || flags.passwordResetRequired) await getDb().user.update({ where: { id: user.id }, data: flags });
  return user;
}

async function handoffsOf(userId: string): Promise<number> {
  return getDb().authToken.count({ where: { userId, kind: "login_handoff" } });
}

async function tenantScope(t: CreatedTenant): Promise<HostScope> {
  const scope = await resolveHostScope(`${hostOf(t.slug)}:3000`);
  if (scope?.kind !== "tenant") throw new Error("tenant scope expected");
  return scope;
}

async function invite(t: CreatedTenant, email: string): Promise<string> {
  const { token, tokenHash } = newToken();
  await new TenantDb(t.tenantId).run((tx) =>
    tx.invitation.create({
      data: { tenantId: t.tenantId, email, roleId: t.roles.viewer, tokenHash, expiresAt: new Date(Date.now() + 86_400_000) },
    }),
  );
  return token;
}

const accept = async (t: CreatedTenant, token: string, password: string) =>
  new InvitationAcceptService(testMeta()).accept(await tenantSummary(t.slug), hostOf(t.slug), { token, password });

describe("sign-up with an existing e-mail", () => {
  it("answers a taken address the same whether the password was right or wrong", async () => {
    const user = await existingAccount("or-slug");
    const taken = (await createTenant({ slug: uniqueSlug("or-taken") })).slug;
    const wrong = await answer(signup(input(user.email, "not the password", taken)));
    const right = await answer(signup(input(user.email, PASSWORD, taken)));
    expect(wrong).toEqual({ code: "CONFLICT", key: "errors.slugTaken" });
    expect(right).toEqual(wrong);
    // with a free address a wrong password gets the generic "this e-mail has an account" answer
    expect(await answer(signup(input(user.email, "not the password")))).toEqual({ code: "CONFLICT", key: "errors.emailTaken" });
  });

  it("shares the sign-in throttle of the account: after 5 failures (sign-in or sign-up) even the right password is throttled", async () => {
    const slug = uniqueSlug("or-thr");
    const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
    const scope = await tenantScope(t);
    for (let i = 0; i < 3; i++) {
      expect(await new AuthService(testMeta()).login(scope, t.owner.email, `wrong-${i}`)).toEqual({ ok: false, reason: "invalid" });
    }
    for (let i = 0; i < 2; i++) {
      expect(await answer(signup(input(t.owner.email, `wrong-${i}`)))).toEqual({ code: "CONFLICT", key: "errors.emailTaken" });
    }
    const data = input(t.owner.email, PASSWORD);
    expect(await answer(signup(data))).toBe("throttled");
    expect(await getDb().tenant.findUnique({ where: { slug: data.slug } })).toBeNull();
    // …and sign-in is throttled by the sign-up failures too
    expect(await new AuthService(testMeta()).login(scope, t.owner.email, PASSWORD)).toMatchObject({ reason: "throttled" });
    expect(await handoffsOf(t.owner.userId)).toBe(0);
  });

  it("refuses an account under a forced password reset as sign-in does, with no workspace and no session", async () => {
    const user = await existingAccount("or-reset", { passwordResetRequired: true });
    const data = input(user.email, PASSWORD);
    expect(await answer(signup(data))).toEqual({ code: "FORBIDDEN", key: "errors.passwordResetRequired" });
    // a wrong password still gets the generic answer
    expect(await answer(signup(input(user.email, "not the password")))).toEqual({ code: "CONFLICT", key: "errors.emailTaken" });
    expect(await getDb().tenant.findUnique({ where: { slug: data.slug } })).toBeNull();
    expect(await handoffsOf(user.id)).toBe(0);
  });

  it("refuses a locked account like a wrong password, with no workspace and no session", async () => {
    const user = await existingAccount("or-lock", { lockedAt: new Date() });
    const data = input(user.email, PASSWORD);
    expect(await answer(signup(data))).toEqual({ code: "CONFLICT", key: "errors.emailTaken" });
    expect(await getDb().tenant.findUnique({ where: { slug: data.slug } })).toBeNull();
    expect(await handoffsOf(user.id)).toBe(0);
  });

  it("still opens another workspace with the right password, and forgives earlier failures", async () => {
    const user = await existingAccount("or-ok");
    for (let i = 0; i < 4; i++) await answer(signup(input(user.email, `wrong-${i}`)));
    const first = await signup(input(user.email, PASSWORD));
    expect(first).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) await answer(signup(input(user.email, `wrong-again-${i}`)));
    expect(await signup(input(user.email, PASSWORD))).toMatchObject({ ok: true });
  });
});

describe("invitation acceptance by an existing account", () => {
  it("refuses an account under a forced password reset, and a locked one like a wrong password", async () => {
    const t = await createTenant({ slug: uniqueSlug("or-inv") });
    const reset = await existingAccount("or-inv-reset", { passwordResetRequired: true });
    const locked = await existingAccount("or-inv-lock", { lockedAt: new Date() });
    const resetToken = await invite(t, reset.email);
    const lockedToken = await invite(t, locked.email);

    expect(await accept(t, resetToken, PASSWORD)).toEqual({ ok: false, reason: "reset_required" });
    expect(await accept(t, resetToken, "not the password")).toEqual({ ok: false, reason: "bad_password" });
    expect(await accept(t, lockedToken, PASSWORD)).toEqual({ ok: false, reason: "bad_password" });

    const memberships = await new TenantDb(t.tenantId).run((tx) =>
      tx.membership.count({ where: { userId: { in: [reset.id, locked.id] } } }),
    );
    expect(memberships).toBe(0);
    const open = await new TenantDb(t.tenantId).run((tx) => tx.invitation.count({ where: { acceptedAt: null } }));
    expect(open).toBe(2);
    expect((await handoffsOf(reset.id)) + (await handoffsOf(locked.id))).toBe(0);
  });

  it("shares the sign-in throttle of the account", async () => {
    const slug = uniqueSlug("or-inv-thr");
    const t = await createTenant({ slug });
    const other = await createTenant({ slug: uniqueSlug("or-inv-home") });
    const member = await addMember(other, { email: uniqueEmail("m", slug), password: PASSWORD, role: "viewer" });
    const scope = await tenantScope(other);
    for (let i = 0; i < 5; i++) await new AuthService(testMeta()).login(scope, member.email, `wrong-${i}`);
    const token = await invite(t, member.email);
    expect(await accept(t, token, PASSWORD)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await handoffsOf(member.userId)).toBe(0);
  });
});
