// Helpers for the team and admin-console tests: a hand-moved clock, captured mail, contexts
// and scopes built the way the request path builds them, and audit look-ups.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { setMailTransportForTests, type MailMessage, type MailTransport } from "@/server/notifications/mail";
import { AuthService, type SessionClaims, type SessionUser } from "@/server/auth/auth.public";
import { buildTenantContext, type TenantContext } from "@/server/core/tenant-context";
import { findTenantBySlug, resolveHostScope, type HostScope, type TenantSummary } from "@/server/core/host-scope";
import { createUser } from "@/server/testing/factories";
import { APEX, PORT, callerFor, hostOf, passMfa, sessionFor, testMeta, uniqueEmail, type Caller } from "./world";

export const MIN = 60_000;
export const DAY = 24 * 3600_000;

/** A clock the test moves by hand; starts at the real "now" so cleanup jobs never see these rows as old. */
export function manualClock(start = Date.now()) {
  let now = start;
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance: (ms: number) => {
      now += ms;
    },
  });
}
export type ManualClock = ReturnType<typeof manualClock>;

/**
 * Captures every mail sent while the file runs (registers its own beforeAll/afterAll). Mail
 * queued by a service leaves after its transaction (deliverSoon): `await flushDeliveries()`
 * (server/notifications/queue) before reading it.
 */
export function captureMail() {
  const sent: MailMessage[] = [];
  const transport: MailTransport = {
    name: "capture",
    async send(message) {
      sent.push(message);
      // unique across test files: they share one database, where provider ids are unique
      return { id: `captured-${randomUUID()}` };
    },
  };
  beforeAll(() => setMailTransportForTests(transport));
  afterAll(() => setMailTransportForTests(undefined));
  return {
    sent,
    to: (email: string) => sent.filter((m) => m.to === email),
  };
}

/** The token of the first `/<path>?token=` link in a mail's text (the html must carry the same link). */
export function linkToken(mail: MailMessage, path: "invite" | "reset-password"): { url: string; token: string } {
  const m = new RegExp(`(https?://[^\\s/]+/${path}\\?token=)([A-Za-z0-9_%-]+)`).exec(mail.text);
  if (!m) throw new Error(`no /${path} link in: ${mail.text}`);
  return { url: `${m[1]}${m[2]}`, token: decodeURIComponent(m[2]!) };
}

export async function tenantSummary(slug: string): Promise<TenantSummary> {
  const t = await findTenantBySlug(slug);
  if (!t) throw new Error(`no tenant ${slug}`);
  return t;
}

export async function tenantScope(slug: string): Promise<HostScope> {
  const scope = await resolveHostScope(`${hostOf(slug)}:${PORT}`);
  if (scope?.kind !== "tenant") throw new Error("tenant scope expected");
  return scope;
}

export async function apexScope(): Promise<HostScope> {
  const scope = await resolveHostScope(`${APEX}:${PORT}`);
  if (scope?.kind !== "apex") throw new Error("apex scope expected");
  return scope;
}

/** The signed-in user a request carrying `claims` to `hostname` resolves to. */
export async function sessionUser(claims: SessionClaims, hostname: string): Promise<SessionUser> {
  const user = await new AuthService(testMeta()).resolveSession(claims, hostname);
  if (!user) throw new Error(`session ${claims.sid} does not resolve on ${hostname}`);
  return user;
}

/** The TenantContext the tRPC middleware builds for `userId` on the tenant's host (for services that take a clock). */
export async function tenantContextFor(userId: string, slug: string): Promise<TenantContext> {
  const claims = await sessionFor(userId, hostOf(slug));
  const ctx = await buildTenantContext(await tenantSummary(slug), await sessionUser(claims, hostOf(slug)), testMeta());
  if (!ctx) throw new Error(`${userId} is not an active member of ${slug}`);
  return ctx;
}

/** A platform admin signed in on the apex with 2FA passed: the console caller and its session. */
export async function platformAdmin(prefix = "ops") {
  const user = await createUser({ email: uniqueEmail(prefix, "phteah"), name: `Admin ${prefix}`, isPlatformAdmin: true });
  const claims = await passMfa(await sessionFor(user.id, APEX));
  const caller: Caller = await callerFor(APEX, claims);
  return { userId: user.id, email: user.email, claims, caller, session: await sessionUser(claims, APEX) };
}

export async function tenantAudit(tenantId: string, action: string) {
  return new TenantDb(tenantId).run((tx) => tx.auditLog.findMany({ where: { action }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }));
}

export async function platformAudit(action: string, targetId: string) {
  return platformDb.run((tx) =>
    tx.auditLog.findMany({ where: { action, tenantId: null, targetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  );
}

export async function sessionRow(sid: string) {
  return getDb().userSession.findUniqueOrThrow({ where: { id: sid } });
}
