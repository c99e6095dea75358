// What the request context costs in statements PostgreSQL receives (issue 13: it used to be 8 per
// request, in a transaction of their own). Every query of this process goes through node-postgres
// (Prisma's driver adapter), so a hook on pg.Client#query sees exactly what the server receives.
//   - one tRPC request (the HTTP endpoint) of audit.list: the context is ONE statement and no
//     transaction; the rest is what the service sends when called directly;
//   - a server-rendered page's context (host, session, membership, permissions, plan, however many
//     layouts ask) is ONE statement, and the page's server caller adds nothing to it;
//   - a standalone "call" context (tests, scripts) costs at most two on its first call;
//   - the context statement leaves no tenant or platform setting behind in the caller's transaction;
//   - a tenant transaction (TenantDb.run) binds its tenant in its BEGIN message (no round trip of
//     its own), still local to that transaction; with an isolation level it binds it separately.
// No timings: counts only (speed is bench/'s job).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import type { SessionClaims } from "@/server/core/session";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

import { listAuditSchema } from "@/lib/schemas/audit";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import { AuditService } from "@/server/audit/audit-service";
import { getServerCaller, requireTenantMember } from "@/server/core/page-context";
import { getDb } from "@/server/db/client";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { PORT, hostOf, sessionFor, uniqueIp } from "./support/world";

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as QueryFn;
let recording: string[] | null = null;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
  if (recording && typeof text === "string") recording.push(text);
  return original.apply(this, args);
};

/** Runs `fn` and returns every statement it sent. */
async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  try {
    await fn();
    return recording;
  } finally {
    recording = null;
  }
}

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
/** the statements that do work: not transaction control nor the per-transaction tenant setting */
const work = (statements: string[]) => statements.filter((s) => !CONTROL.test(s) && !/set_config\('app\./.test(s));

afterEach(() => {
  recording = null;
});

let t: CreatedTenant;
beforeAll(async () => {
  t = await createTenant({ slug: uniqueSlug("stmts") });
});

/** What the audit list's service sends by itself, with a context resolved outside the count. */
async function serviceStatements(): Promise<string[]> {
  const claims = await sessionFor(t.owner.userId, hostOf(t.slug));
  const ctx = await (
    await createContext({ headers: new Headers({ host: `${hostOf(t.slug)}:${PORT}` }), getClaims: async () => claims })
  ).resolver.tenant();
  return statementsOf(() => new AuditService(ctx).list(listAuditSchema.parse({})));
}

describe("the request context in statements", () => {
  it("one tRPC request (audit.list over the HTTP endpoint): the context is one statement, outside any transaction", async () => {
    const service = await serviceStatements();
    expect(work(service).length).toBeGreaterThan(0);
    const claims = await sessionFor(t.owner.userId, hostOf(t.slug));
    const host = `${hostOf(t.slug)}:${PORT}`;
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    let status = 0;
    const call = () =>
      statementsOf(async () => {
        const res = await handleTrpcRequest(
          new Request(`http://${host}/api/trpc/audit.list?input=${input}`, { headers: { host, "x-forwarded-for": uniqueIp() } }),
          async () => claims,
        );
        status = res.status;
      });
    // a user's first request in a process also reads which terms they accepted (server/auth/consent.public.ts,
    // remembered per process once current): one statement more (a read-only platform read)
    const first = await call();
    expect(status).toBe(200);
    expect(work(first).length - work(service).length).toBe(2);
    expect(first.filter((s) => s.includes('"ConsentRecord"'))).toHaveLength(1);
    const sent = await call();
    expect(status).toBe(200);
    // every statement the call sent beyond the service's own is the context: one, no transaction around it
    expect(work(sent).length - work(service).length).toBe(1);
    expect(sent.length - service.length).toBe(1);
    expect(sent.filter((s) => s.includes("app_request_context"))).toHaveLength(1);
  });

  it("a batched tRPC request of three tenant procedures still resolves the context in one statement", async () => {
    const claims = await sessionFor(t.owner.userId, hostOf(t.slug));
    const host = `${hostOf(t.slug)}:${PORT}`;
    const input = encodeURIComponent(JSON.stringify({ 0: { json: {} }, 1: { json: {} }, 2: { json: {} } }));
    const sent = await statementsOf(async () => {
      const res = await handleTrpcRequest(
        new Request(`http://${host}/api/trpc/audit.list,audit.list,audit.list?batch=1&input=${input}`, {
          headers: { host, "x-forwarded-for": uniqueIp() },
        }),
        async () => claims,
      );
      expect(res.status).toBe(200);
    });
    const service = await serviceStatements();
    expect(work(sent).length - 3 * work(service).length).toBe(1);
  });

  it("a page's context (layouts, page and its server caller) is one statement", async () => {
    const service = await serviceStatements();
    const claims = await sessionFor(t.owner.userId, hostOf(t.slug));
    current.headers = new Headers({ host: `${hostOf(t.slug)}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en" });
    current.claims = claims;
    const resolution = await statementsOf(async () => {
      const ctx = await requireTenantMember();
      expect(ctx.userId).toBe(t.owner.userId);
      expect(ctx.permissions.has("audit.view")).toBe(true);
      await requireTenantMember();
    });
    expect(resolution).toHaveLength(1);
    expect(resolution[0]).toContain("app_request_context");
    // the page's server caller reuses it: only the service's statements
    const viaCaller = await statementsOf(async () => (await getServerCaller()).audit.list({}));
    expect(work(viaCaller).length).toBe(work(service).length);
  });

  it("a standalone caller (tests, scripts) costs at most two statements on its first call, one on the next", async () => {
    const service = await serviceStatements();
    const claims = await sessionFor(t.owner.userId, hostOf(t.slug));
    let caller: ReturnType<typeof createCaller> | undefined;
    const first = await statementsOf(async () => {
      caller = createCaller(
        await createContext({ headers: new Headers({ host: `${hostOf(t.slug)}:${PORT}` }), getClaims: async () => claims }),
      );
      await caller.audit.list({});
    });
    expect(work(first).length - work(service).length).toBeLessThanOrEqual(2);
    // the membership and plan are read again on every call of a reused context: one statement
    const second = await statementsOf(() => caller!.audit.list({}));
    expect(work(second).length - work(service).length).toBe(1);
  });

  it("the context statement leaves the caller's tenant and platform settings as they were", async () => {
    const other = await createTenant({ slug: uniqueSlug("stmtso") });
    const settings = await getDb().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${other.tenantId}, true)`;
      await tx.$queryRaw`SELECT app_request_context(${t.slug}::text, NULL::uuid, NULL::uuid, ${t.owner.userId}::uuid, 'free')`;
      return tx.$queryRaw<Array<{ tenant: string | null; platform: string | null }>>`
        SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.platform', true) AS platform`;
    });
    expect(settings[0]!.tenant).toBe(other.tenantId);
    expect(settings[0]!.platform ?? "").toBe("");
    // nor does it leave the tenant it read set when none was (the next statement of that transaction sees no tenant)
    const unset = await getDb().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT app_request_context(${t.slug}::text, NULL::uuid, NULL::uuid, ${t.owner.userId}::uuid, 'free')`;
      return tx.$queryRaw<Array<{ tenant: string | null; members: bigint }>>`
        SELECT current_setting('app.tenant_id', true) AS tenant, (SELECT count(*) FROM "Membership") AS members`;
    });
    expect(unset[0]!.tenant ?? "").toBe("");
    expect(Number(unset[0]!.members)).toBe(0);
  });
});

describe("a tenant transaction binds its tenant with its BEGIN", () => {
  const settingOf = (tx: Pick<DbTx, "$queryRaw">) =>
    tx.$queryRaw<Array<{ tenant: string | null }>>`SELECT current_setting('app.tenant_id', true) AS tenant`;

  it("one message opens the transaction and binds the tenant; the binding ends with the transaction", async () => {
    let inside: Array<{ tenant: string | null }> = [];
    let members: Array<{ n: bigint }> = [];
    const sent = await statementsOf(() =>
      new TenantDb(t.tenantId).run(async (tx) => {
        inside = await settingOf(tx);
        members = await tx.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM "Membership"`;
      }),
    );
    expect(sent[0]).toBe(`BEGIN; SELECT set_config('app.tenant_id', '${t.tenantId}', true)`);
    expect(sent.filter((s) => /set_config/.test(s))).toHaveLength(1);
    expect(sent).toHaveLength(4); // BEGIN + binding, two reads, COMMIT
    expect(inside[0]!.tenant).toBe(t.tenantId);
    expect(Number(members[0]!.n)).toBeGreaterThan(0);
    // the pool's connections carry nothing into the next statement: outside a transaction no tenant, no rows
    for (let i = 0; i < 12; i++) {
      const after = await getDb().$queryRaw<Array<{ tenant: string | null; n: bigint }>>`
        SELECT current_setting('app.tenant_id', true) AS tenant, (SELECT count(*) FROM "Membership") AS n`;
      expect(after[0]!.tenant ?? "").toBe("");
      expect(Number(after[0]!.n)).toBe(0);
    }
  });

  it("a transaction opened inside another one's callback binds its own tenant (or none), never the outer one's", async () => {
    const other = await createTenant({ slug: uniqueSlug("stmtsn") });
    const seen = await new TenantDb(t.tenantId).run(async (tx) => {
      const nested = await new TenantDb(other.tenantId).run((inner) => settingOf(inner));
      const plain = await getDb().$transaction((inner) => settingOf(inner));
      return { outer: (await settingOf(tx))[0]!.tenant, nested: nested[0]!.tenant, plain: plain[0]!.tenant ?? "" };
    });
    expect(seen).toEqual({ outer: t.tenantId, nested: other.tenantId, plain: "" });
  });

  it("with an isolation level (SET TRANSACTION comes first) the tenant is bound by its own statement", async () => {
    let inside: Array<{ tenant: string | null }> = [];
    const sent = await statementsOf(() =>
      new TenantDb(t.tenantId).run(
        async (tx) => {
          inside = await settingOf(tx);
        },
        { isolationLevel: "Serializable" },
      ),
    );
    expect(sent[0]).toBe("BEGIN");
    expect(sent.some((s) => /^SELECT set_config\('app\.tenant_id'/.test(s))).toBe(true);
    expect(inside[0]!.tenant).toBe(t.tenantId);
  });
});
