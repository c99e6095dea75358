// The request context cache (server/core/context-cache.ts) against the real database: a signed-in
// request's second lookup costs no statement, and every change to what the context reads reaches
// the cache — made by this process (dropped at once) or by another instance (dropped by the
// database's notification) — before a request can use the old facts; a lookup that raced with a
// change is not kept; without working notifications the cache is off.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { contextWriteTags, writesContextTable } from "@/server/db/tenant-binding";
import { CONTEXT_CHANNEL, ContextCache, contextCache, startContextCache, stopContextCache } from "@/server/core/context-cache";
import { lookupRequestContext, type ContextFacts } from "@/server/core/request-lookup";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { createRole, hostOf, sessionFor, setMembershipRole, uniqueEmail } from "./support/world";
import type { SessionClaims } from "@/server/core/session";

const APP_URL = process.env.DATABASE_URL!;

/** Another instance's connection: its writes reach this process only through notifications. */
let other: pg.Client;
let tenant: CreatedTenant;
/** a viewer of the workspace, signed in on its host */
let member: { userId: string; membershipId: string };
let claims: SessionClaims;

/** Polls until `done` (the notification is delivered asynchronously); fails after `ms`. */
async function until(done: () => boolean, ms = 5_000): Promise<void> {
  const t0 = Date.now();
  while (!done()) {
    if (Date.now() - t0 > ms) throw new Error("the notification did not arrive");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Waits until the cache is on, then sends a marker notification on `other` and waits until this
 * process has handled it: every notification sent before it has been handled too. On a loaded
 * machine the cache may turn itself off for a moment (a heartbeat later than its deadline, or the
 * LISTEN connection lost and reconnected, which loses the notifications of the gap): then it waits
 * for the cache to be back and sends a new marker (at most three times). A synchronisation step,
 * not an assertion: the tests assert delivery with `until` on their own changes.
 */
async function settle(): Promise<void> {
  const cache = contextCache()!;
  for (let attempt = 1; ; attempt++) {
    await until(() => cache.status === "on", 15_000);
    const marker = `t:${randomUUID()}`;
    await other.query("SELECT pg_notify($1, $2)", [CONTEXT_CHANNEL, marker]);
    try {
      await until(() => cache.stats.lastPayload === marker);
      if (cache.status === "on") return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
    if (attempt >= 3) throw new Error("the cache did not stay on");
  }
}

const ask = () => ({ slug: tenant.slug, sessionId: claims.sid, userId: claims.uid });

/** A lookup, and whether the cache answered it. */
async function lookup(): Promise<{ facts: ContextFacts; hit: boolean }> {
  const cache = contextCache()!;
  const hits = cache.stats.hits;
  const facts = await lookupRequestContext(ask());
  return { facts, hit: cache.stats.hits > hits };
}

beforeAll(async () => {
  other = new pg.Client({ connectionString: APP_URL });
  await other.connect();
  tenant = await createTenant({ slug: uniqueSlug("ccache") });
  member = await addMember(tenant, { email: uniqueEmail("cc", tenant.slug), role: "viewer" });
  claims = await sessionFor(member.userId, hostOf(tenant.slug));
  const cache = startContextCache(APP_URL);
  await until(() => cache.status === "on");
});

afterAll(async () => {
  await stopContextCache();
  await other.end();
});

describe("which statements are context writes", () => {
  it("writes to the tables the context reads, not a new session or a lastSeenAt refresh", () => {
    expect(writesContextTable(`UPDATE "public"."UserSession" SET "revokedAt" = $1 WHERE ("public"."UserSession"."id" = $2)`)).toBe(true);
    expect(writesContextTable(`DELETE FROM "public"."Membership" WHERE "id" = $1`)).toBe(true);
    expect(writesContextTable(`update "Tenant" set status = 'suspended'`)).toBe(true);
    expect(writesContextTable(`INSERT INTO "public"."RolePermission" ("id") VALUES ($1)`)).toBe(true);
    expect(writesContextTable(`UPDATE "public"."User" SET "lockedAt" = $1 WHERE "id" = $2`)).toBe(true);
    expect(writesContextTable(`INSERT INTO "public"."UserSession" ("id","userId") VALUES ($1,$2)`)).toBe(false);
    expect(writesContextTable(`UPDATE "public"."UserSession" SET "lastSeenAt" = $1 WHERE ("public"."UserSession"."id" = $2)`)).toBe(false);
    expect(writesContextTable(`UPDATE "public"."UserSession" SET "lastSeenAt" = $1, "revokedAt" = $2 WHERE "id" = $3`)).toBe(true);
    expect(writesContextTable(`SELECT * FROM "public"."User"`)).toBe(false);
    expect(writesContextTable(`INSERT INTO "public"."AuditLog" ("id") VALUES ($1)`)).toBe(false);
    expect(writesContextTable(`UPDATE "public"."RentInvoice" SET "status" = $1`)).toBe(false);
  });

  it("narrows a session, user or workspace write to the ids in its parameters; anything else drops everything", () => {
    const sid = "0190f0f0-0000-7000-8000-00000000000A";
    const at = new Date();
    expect(
      contextWriteTags(`UPDATE "public"."UserSession" SET "revokedAt" = $1 WHERE ("public"."UserSession"."id" = $2)`, [at, sid]),
    ).toEqual(["s:0190f0f0-0000-7000-8000-00000000000a", "u:0190f0f0-0000-7000-8000-00000000000a"]);
    expect(contextWriteTags(`UPDATE "public"."Tenant" SET "status" = $1 WHERE "id" = $2`, ["suspended", sid])).toEqual([
      "t:0190f0f0-0000-7000-8000-00000000000a",
    ]);
    // no id among the parameters (by e-mail, by a cut-off date, a literal): cannot be narrowed
    expect(contextWriteTags(`UPDATE "public"."User" SET "lockedAt" = $1 WHERE "email" = $2`, [at, "a@b.c"])).toBe("*");
    expect(contextWriteTags(`DELETE FROM "public"."UserSession" WHERE "expiresAt" < $1`, [at])).toBe("*");
    expect(contextWriteTags(`update "Tenant" set status = 'suspended'`, undefined)).toBe("*");
    // a membership or a role is found by its own id (not a tag) inside the RLS binding: everything
    expect(contextWriteTags(`UPDATE "public"."Membership" SET "roleId" = $1 WHERE "id" = $2`, [sid, sid])).toBe("*");
    expect(contextWriteTags(`UPDATE "public"."Plan" SET "name" = $1`, ["x"])).toBe("*");
    expect(
      contextWriteTags(`UPDATE "public"."UserSession" SET "lastSeenAt" = $1 WHERE ("public"."UserSession"."id" = $2)`, [at, sid]),
    ).toBeNull();
    expect(contextWriteTags(`UPDATE "public"."RentInvoice" SET "status" = $1 WHERE "id" = $2`, ["paid", sid])).toBeNull();
  });
});

describe("the cache in this process", () => {
  it("answers a signed-in request's second lookup without a statement, with the same facts", async () => {
    const first = await lookup();
    const second = await lookup();
    expect(first.facts.session?.id).toBe(claims.sid);
    expect(first.facts.membership?.roleKey).toBe("viewer");
    expect(second.hit).toBe(true);
    expect(second.facts).toEqual(first.facts);
  });

  it("never keeps a lookup that found no session (a forged cookie)", async () => {
    const cache = contextCache()!;
    const size = cache.size;
    const forged = { slug: tenant.slug, sessionId: "0190f0f0-0000-7000-8000-000000000000", userId: claims.uid };
    expect((await lookupRequestContext(forged)).session).toBeNull();
    expect(cache.size).toBe(size);
  });

  it("keeps a signed-out lookup of a workspace's host (the renter's pay page), never one of an unknown slug", async () => {
    const cache = contextCache()!;
    const signedOut = { slug: tenant.slug, sessionId: null, userId: null };
    const hits = cache.stats.hits;
    const first = await lookupRequestContext(signedOut);
    expect(first.tenant?.id).toBe(tenant.tenantId);
    expect(first.session).toBeNull();
    expect(await lookupRequestContext(signedOut)).toEqual(first);
    expect(cache.stats.hits).toBe(hits + 1);
    const size = cache.size;
    const unknown = { slug: uniqueSlug("nosuch"), sessionId: null, userId: null };
    expect((await lookupRequestContext(unknown)).tenant).toBeNull();
    expect(cache.size).toBe(size);
  });

  it("another instance suspends the workspace: a signed-out lookup of its host sees it at once after the notification", async () => {
    const signedOut = { slug: tenant.slug, sessionId: null, userId: null };
    await settle();
    await lookupRequestContext(signedOut);
    const cache = contextCache()!;
    const hits = cache.stats.hits;
    expect((await lookupRequestContext(signedOut)).tenant?.status).toBe("active");
    expect(cache.stats.hits).toBe(hits + 1);
    await other.query(`UPDATE "Tenant" SET status = 'suspended' WHERE id = $1`, [tenant.tenantId]);
    try {
      await settle();
      expect((await lookupRequestContext(signedOut)).tenant?.status).toBe("suspended");
    } finally {
      await other.query(`UPDATE "Tenant" SET status = 'active' WHERE id = $1`, [tenant.tenantId]);
      await settle();
    }
    expect((await lookupRequestContext(signedOut)).tenant?.status).toBe("active");
  });

  it("another instance revokes the session: the notification drops it before the next lookup can use it", async () => {
    await lookup();
    expect((await lookup()).hit).toBe(true);
    await other.query(`UPDATE "UserSession" SET "revokedAt" = now() WHERE id = $1`, [claims.sid]);
    await settle();
    const after = await lookup();
    expect(after.hit).toBe(false);
    expect(after.facts.session?.revokedAt).toBeInstanceOf(Date);
    await other.query(`UPDATE "UserSession" SET "revokedAt" = NULL WHERE id = $1`, [claims.sid]);
    await settle();
    expect((await lookup()).facts.session?.revokedAt).toBeNull();
  });

  it("another instance changes the member's role: the permissions follow", async () => {
    await lookup();
    const roleId = await createRole(tenant.tenantId, "clerk", ["renters.view"]);
    await settle();
    await lookup();
    expect((await lookup()).hit).toBe(true);
    await other.query("BEGIN");
    await other.query("SELECT set_config('app.tenant_id', $1, true)", [tenant.tenantId]);
    await other.query(`UPDATE "Membership" SET "roleId" = $1 WHERE id = $2`, [roleId, member.membershipId]);
    await other.query("COMMIT");
    await settle();
    const after = await lookup();
    expect(after.hit).toBe(false);
    expect(after.facts.membership?.permissions).toEqual(["renters.view"]);
    await setMembershipRole(tenant.tenantId, member.membershipId, tenant.roles.viewer);
    expect((await lookup()).facts.membership?.roleKey).toBe("viewer");
  });

  it("a change made by this process is seen by the very next lookup (no waiting on the notification)", async () => {
    // the echoes of earlier changes are handled first: one arriving between the two lookups below
    // would drop the entry again (rightly), and the second lookup would not be a hit
    await settle();
    await lookup();
    expect((await lookup()).hit).toBe(true);
    await getDb().user.update({ where: { id: claims.uid }, data: { lockedAt: new Date() } });
    const after = await lookup();
    expect(after.hit).toBe(false);
    expect(after.facts.session?.user.lockedAt).toBeInstanceOf(Date);
    await getDb().user.update({ where: { id: claims.uid }, data: { lockedAt: null } });
    expect((await lookup()).facts.session?.user.lockedAt).toBeNull();
    // a tenant table written through TenantDb: the workspace's plan (subscription)
    await settle();
    await lookup();
    expect((await lookup()).hit).toBe(true);
    await new TenantDb(tenant.tenantId).run((tx) =>
      tx.subscription.updateMany({ data: { graceEndsAt: new Date("2031-01-01T00:00:00Z") } }),
    );
    const plan = await lookup();
    expect(plan.hit).toBe(false);
  });

  it("this process signs another user's session out or locks another user: this entry stays; its own sign-out drops it", async () => {
    const bystander = await addMember(tenant, { email: uniqueEmail("cc-by", tenant.slug), role: "viewer" });
    const theirs = await sessionFor(bystander.userId, hostOf(tenant.slug));
    await lookup();
    expect((await lookup()).hit).toBe(true);
    await getDb().userSession.updateMany({ where: { id: theirs.sid, revokedAt: null }, data: { revokedAt: new Date() } });
    await getDb().user.update({ where: { id: bystander.userId }, data: { lockedAt: new Date() } });
    expect((await lookup()).hit).toBe(true);
    await getDb().userSession.updateMany({ where: { id: claims.sid, revokedAt: null }, data: { revokedAt: new Date() } });
    const after = await lookup();
    expect(after.hit).toBe(false);
    expect(after.facts.session?.revokedAt).toBeInstanceOf(Date);
    await getDb().userSession.update({ where: { id: claims.sid }, data: { revokedAt: null } });
    await settle();
    expect((await lookup()).facts.session?.revokedAt).toBeNull();
  });

  it("a lastSeenAt refresh by another instance keeps the entry (no notification for it)", async () => {
    await lookup();
    expect((await lookup()).hit).toBe(true);
    await other.query(`UPDATE "UserSession" SET "lastSeenAt" = now() WHERE id = $1`, [claims.sid]);
    await settle();
    expect((await lookup()).hit).toBe(true);
  });

  it("a plan change drops every entry", async () => {
    await lookup();
    const cache = contextCache()!;
    expect(cache.size).toBeGreaterThan(0);
    await other.query(`UPDATE "Plan" SET "name" = "name" WHERE code = (SELECT code FROM "Plan" ORDER BY tier LIMIT 1)`);
    await until(() => cache.size === 0);
  });

  it("the workspace is suspended by another instance: the tenant's status follows", async () => {
    await lookup();
    await other.query(`UPDATE "Tenant" SET status = 'suspended' WHERE id = $1`, [tenant.tenantId]);
    await settle();
    expect((await lookup()).facts.tenant?.status).toBe("suspended");
    await other.query(`UPDATE "Tenant" SET status = 'active' WHERE id = $1`, [tenant.tenantId]);
    await settle();
    expect((await lookup()).facts.tenant?.status).toBe("active");
  });

  it("the LISTEN connection dies: the cache is off (every lookup reads) until it is back", async () => {
    const cache = contextCache()!;
    await lookup();
    expect((await lookup()).hit).toBe(true);
    await other.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'phteah-context-cache' AND pid <> pg_backend_pid()`,
    );
    await until(() => cache.status !== "on");
    expect(cache.size).toBe(0);
    expect((await lookup()).hit).toBe(false);
    expect((await lookup()).hit).toBe(false);
    await until(() => cache.status === "on", 15_000);
    await lookup();
    expect((await lookup()).hit).toBe(true);
  });
});

describe("the cache's rules, on a cache of its own", () => {
  const facts = (sessionId: string): ContextFacts => ({
    tenant: { id: "t1", slug: "s", name: "n", status: "active", locale: "en", timezone: "Asia/Phnom_Penh", currency: "USD" },
    session: {
      id: sessionId,
      userId: "u1",
      host: "s.localhost",
      expiresAt: new Date("2030-01-01T00:00:00Z"),
      revokedAt: null,
      lastSeenAt: new Date("2029-01-01T00:00:00Z"),
      mfaVerifiedAt: null,
      impersonatorUserId: null,
      user: { id: "u1", email: "a@b.c", name: "A", locale: null, isPlatformAdmin: false, lockedAt: null },
    },
    membership: null,
    plan: null,
    slugAsked: "s",
    membershipOf: "u1",
  });

  it("a lookup that was running when a notification came is not kept", async () => {
    const cache = new ContextCache(APP_URL);
    cache.start();
    try {
      await until(() => cache.status === "on");
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const q = { slug: "s", tenantId: null, sessionId: "s1", userId: "u1" };
      const running = cache.lookup(q, async () => {
        await held;
        return facts("s1");
      });
      cache.invalidate("t:t1");
      release();
      await running;
      expect(cache.size).toBe(0);
      // the next one is kept, and a notification naming it drops it
      await cache.lookup(q, async () => facts("s1"));
      expect(cache.size).toBe(1);
      cache.invalidate("u:u1");
      expect(cache.size).toBe(0);
    } finally {
      await cache.stop();
    }
  });

  it("without a heartbeat that comes back (PgBouncer in transaction mode), the cache never turns on", async () => {
    // the heartbeat goes nowhere the listener hears: as when LISTEN and NOTIFY meet different server connections
    const cache = new ContextCache(APP_URL, async () => undefined);
    cache.start();
    try {
      await new Promise((r) => setTimeout(r, 3_500));
      expect(cache.status).toBe("starting");
      let loads = 0;
      const q = { slug: "s", tenantId: null, sessionId: "s2", userId: "u1" };
      await cache.lookup(q, async () => (loads++, facts("s2")));
      await cache.lookup(q, async () => (loads++, facts("s2")));
      expect(loads).toBe(2);
      expect(cache.size).toBe(0);
    } finally {
      await cache.stop();
    }
  });
});
