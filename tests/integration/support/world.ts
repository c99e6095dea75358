// Helpers shared by the integration tests: sessions, callers and error assertions. Everything
// goes through the real services and the real database; nothing here is global state.
import { randomInt, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import { AppError, type AppErrorCode } from "@/server/core/errors";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { AuthService, type SessionClaims } from "@/server/auth/auth.public";
import { resolveHostScope } from "@/server/core/host-scope";
import { buildTenantContext, type TenantContext } from "@/server/core/tenant-context";
import { testMeta, uniqueIp } from "./meta";
import type { PermissionCode } from "@/lib/permissions";

export const APEX = "localhost";
export const PORT = 3000;

export { testMeta, uniqueIp };

export const hostOf = (slug: string) => `${slug}.${APEX}`;

/** Real claims, minted the way the app does: a handoff ticket for `hostname`, redeemed there. */
export async function sessionFor(userId: string, hostname: string): Promise<SessionClaims> {
  const auth = new AuthService(testMeta());
  const claims = await auth.redeemHandoff(await auth.issueHandoff(userId, hostname), hostname);
  if (!claims) throw new Error(`could not open a session for ${userId} on ${hostname}`);
  return claims;
}

/**
 * The tenant context of `tenant`'s owner on the workspace's host, built the way a request builds it
 * (host scope, then membership and permissions): for tests that call a service directly.
 */
export async function ownerContext(tenant: { slug: string; owner: { userId: string } }): Promise<TenantContext> {
  const scope = await resolveHostScope(`${hostOf(tenant.slug)}:${PORT}`);
  if (scope?.kind !== "tenant") throw new Error(`no tenant scope for ${tenant.slug}`);
  const owner = await getDb().user.findUniqueOrThrow({ where: { id: tenant.owner.userId } });
  const ctx = await buildTenantContext(
    scope.tenant,
    {
      userId: owner.id,
      sessionId: randomUUID(),
      email: owner.email,
      name: owner.name,
      locale: null,
      isPlatformAdmin: false,
      mfaVerified: false,
      impersonatorUserId: null,
    },
    testMeta(),
  );
  if (!ctx) throw new Error(`no tenant context for the owner of ${tenant.slug}`);
  return ctx;
}

export type Caller = ReturnType<typeof createCaller>;

/** A tRPC caller as a request to `hostname` (port 3000) carrying `claims` would get. */
export async function callerFor(
  hostname: string,
  claims: Partial<SessionClaims> | null,
  headers: Record<string, string> = {},
): Promise<Caller> {
  const h = new Headers({ host: `${hostname}:${PORT}`, "x-forwarded-for": uniqueIp(), ...headers });
  return createCaller(await createContext({ headers: h, getClaims: async () => claims }));
}

/**
 * Marks a session as having passed the platform admins' TOTP step. Stands in for the 2FA
 * verification flow (tested on its own), like the rest of these fabricated sessions.
 */
export async function passMfa(claims: SessionClaims): Promise<SessionClaims> {
  await getDb().userSession.update({ where: { id: claims.sid }, data: { mfaVerifiedAt: new Date() } });
  return claims;
}

/** Signs `userId` in on `hostname` and returns the caller. */
export async function signedIn(userId: string, hostname: string, headers: Record<string, string> = {}): Promise<Caller> {
  return callerFor(hostname, await sessionFor(userId, hostname), headers);
}

/** Calls a procedure by its dotted path (`members.list`). */
export function callPath(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (fn as (input: unknown) => Promise<unknown>)(input);
}

/** Awaits a rejection and checks its tRPC code (and the AppError code/key when given). */
export async function expectTRPCError(
  promise: Promise<unknown>,
  code: TRPCError["code"],
  app?: { code?: AppErrorCode; key?: string },
): Promise<TRPCError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected ${code}, but the call succeeded with ${JSON.stringify(value)?.slice(0, 300)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const e = error as TRPCError;
  expect(e.code, e.message).toBe(code);
  if (app) {
    expect(e.cause).toBeInstanceOf(AppError);
    if (app.code) expect((e.cause as AppError).code).toBe(app.code);
    if (app.key) expect((e.cause as AppError).key).toBe(app.key);
  }
  return e;
}

/** A custom role in `tenantId` with exactly `permissions`. */
export async function createRole(tenantId: string, key: string, permissions: readonly PermissionCode[]): Promise<string> {
  return new TenantDb(tenantId).run(async (tx) => {
    const role = await tx.role.create({ data: { tenantId, key, name: key }, select: { id: true } });
    if (permissions.length > 0) {
      await tx.rolePermission.createMany({ data: permissions.map((permissionCode) => ({ tenantId, roleId: role.id, permissionCode })) });
    }
    return role.id;
  });
}

/** Puts an existing membership on `roleId`. */
export async function setMembershipRole(tenantId: string, membershipId: string, roleId: string): Promise<void> {
  await new TenantDb(tenantId).run((tx) => tx.membership.update({ where: { id: membershipId }, data: { roleId } }));
}

export function uniqueEmail(prefix: string, slug: string): string {
  return `${prefix}-${randomInt(1e9)}@${slug}.test`;
}
