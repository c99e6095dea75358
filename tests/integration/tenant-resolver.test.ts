// The one tenant resolver (server/core/tenant-resolver.ts) and the one route-handler wrapper
// (server/api/route-kit.ts `route`):
//   - a workspace-home page request (the layouts and the dashboard page, with its server caller)
//     resolves host, session and membership + plan once, and so does a batched tRPC request;
//   - tRPC, route handlers and pages refuse the same requests (unknown host, another workspace's
//     path, suspended workspace, no session, another host's cookie, locked user, not a member,
//     deactivated member, missing permission, writes in an unpaid read-only workspace);
//   - the wrapper answers every AppError kind with the HTTP status it had before, once.
// Only Next's request plumbing (next/headers, the next-auth cookie reader) is replaced by the
// request under test; the resolver's three steps are wrapped to count their calls.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionClaims } from "@/server/core/session";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
const calls = vi.hoisted(() => ({ scope: 0, session: 0, tenant: 0 }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));
vi.mock("@/server/core/host-scope", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/core/host-scope")>();
  return { ...real, resolveHostScope: (host: string | null | undefined) => (calls.scope++, real.resolveHostScope(host)) };
});
vi.mock("@/server/core/session", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/core/session")>();
  return { ...real, readSession: (...args: Parameters<typeof real.readSession>) => (calls.session++, real.readSession(...args)) };
});
vi.mock("@/server/core/tenant-context", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/core/tenant-context")>();
  return {
    ...real,
    buildTenantContext: (...args: Parameters<typeof real.buildTenantContext>) => (calls.tenant++, real.buildTenantContext(...args)),
  };
});

import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createTranslator } from "@/lib/i18n";
import { AppError, type AppErrorCode } from "@/server/core/errors";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import { route } from "@/server/api/route-kit";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import {
  getImpersonation,
  getLocale,
  getScope,
  getServerCaller,
  getSessionUser,
  getT,
  requireTenantMember,
} from "@/server/core/page-context";
import { addMember, createTenant, setSubscription, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { APEX, PORT, hostOf, sessionFor, uniqueEmail, uniqueIp } from "./support/world";

const en = createTranslator("en");

function resetCalls() {
  calls.scope = calls.session = calls.tenant = 0;
}

/** A new request to `host` carrying `claims`: fresh headers, as Next gives each request. */
function newRequest(host: string, claims: Partial<SessionClaims> | null, extra: Record<string, string> = {}): Headers {
  current.headers = new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en", ...extra });
  current.claims = claims;
  return current.headers;
}

type Member = { userId: string; email: string };
let a: CreatedTenant & { viewer: Member; deactivated: Member; locked: Member };
let frozen: CreatedTenant;
let unpaid: CreatedTenant;
let b: CreatedTenant;

beforeAll(async () => {
  const slug = uniqueSlug("res");
  const t = await createTenant({ slug });
  a = {
    ...t,
    viewer: await addMember(t, { email: uniqueEmail("viewer", slug), role: "viewer" }),
    deactivated: await addMember(t, { email: uniqueEmail("gone", slug), role: "manager", status: "deactivated" }),
    locked: await addMember(t, { email: uniqueEmail("locked", slug), role: "manager" }),
  };
  frozen = await createTenant({ slug: uniqueSlug("resfz"), status: "suspended" });
  unpaid = await createTenant({ slug: uniqueSlug("resup") });
  await setSubscription(unpaid.tenantId, { status: "suspended" });
  b = await createTenant({ slug: uniqueSlug("resb") });
});

describe("a request resolves the tenant once", () => {
  it("the workspace home (root and workspace layouts, the dashboard page and its server caller): host, session, membership once each", async () => {
    newRequest(hostOf(a.slug), await sessionFor(a.owner.userId, hostOf(a.slug)));
    resetCalls();
    // what app/(app)/layout.tsx, app/(app)/t/[tenant]/layout.tsx, _components/workspace-shell.tsx and (home)/page.tsx ask, in order
    await getLocale();
    await getScope();
    await getT();
    const layoutCtx = await requireTenantMember();
    await getSessionUser();
    await getImpersonation();
    const pageCtx = await requireTenantMember();
    await getSessionUser();
    await getT();
    const summary = await (await getServerCaller()).dashboard.summary();
    const workspace = await (await getServerCaller()).workspace.current();
    expect(summary).toBeTruthy();
    expect(workspace.me.userId).toBe(a.owner.userId);
    expect(pageCtx).toBe(layoutCtx);
    expect(calls).toEqual({ scope: 1, session: 1, tenant: 1 });

    // the next request resolves again (nothing is kept across requests)
    newRequest(hostOf(a.slug), await sessionFor(a.owner.userId, hostOf(a.slug)));
    resetCalls();
    await requireTenantMember();
    expect(calls).toEqual({ scope: 1, session: 1, tenant: 1 });
  });

  it("a batched tRPC request of three tenant procedures: once", async () => {
    const claims = await sessionFor(a.owner.userId, hostOf(a.slug));
    const host = `${hostOf(a.slug)}:${PORT}`;
    const input = encodeURIComponent(JSON.stringify({ 0: { json: null }, 1: { json: null }, 2: { json: null } }));
    resetCalls();
    const res = await handleTrpcRequest(
      new Request(`http://${host}/api/trpc/workspace.current,dashboard.summary,roles.list?batch=1&input=${input}`, {
        headers: { host, "x-forwarded-for": uniqueIp(), "accept-language": "en" },
      }),
      async () => claims,
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(3);
    expect(calls).toEqual({ scope: 1, session: 1, tenant: 1 });
  });
});

/** A workspace route built with the wrapper: GET reads with `permission`, POST writes. */
const workspaceRoute = route<{ tenant: string }>(
  async ({ request, tenant }) => {
    const ctx = await tenant({ permission: "roles.manage", write: request.method === "POST" });
    return Response.json({ tenant: ctx.tenant.slug });
  },
  { host: "tenant", locale: "user" },
);

async function viaRoute(host: string, pathSlug: string, claims: Partial<SessionClaims> | null, method: "GET" | "POST") {
  const headers = newRequest(
    host,
    claims,
    method === "POST" ? { origin: `http://${host}:${PORT}`, "content-type": "application/json" } : {},
  );
  const res = await workspaceRoute(new Request(`http://${host}:${PORT}/x`, { method, headers, body: method === "POST" ? "{}" : null }), {
    params: Promise.resolve({ tenant: pathSlug }),
  });
  return { status: res.status, message: ((await res.json()) as { error?: { message: string } }).error?.message ?? null };
}

async function viaTrpc(host: string, claims: Partial<SessionClaims> | null, method: "GET" | "POST") {
  const caller = createCaller(
    await createContext({
      headers: new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": uniqueIp() }),
      getClaims: async () => claims,
    }),
  );
  try {
    if (method === "GET") await caller.roles.list();
    else await caller.roles.create({ key: "x", name: "x", permissions: [] } as never);
    return { status: 200, key: null };
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    // a write that got past every check may still fail on its input; that is not a refusal
    if (e.code === "BAD_REQUEST") return { status: 200, key: null };
    return { status: getHTTPStatusCodeFromError(e), key: e.cause instanceof AppError ? e.cause.key : null };
  }
}

async function viaPage(host: string, claims: Partial<SessionClaims> | null) {
  newRequest(host, claims);
  try {
    await requireTenantMember();
    return "ok";
  } catch (e) {
    const digest = (e as { digest?: string }).digest ?? "";
    if (digest.includes("404")) return "not found";
    if (digest.startsWith("NEXT_REDIRECT")) return `redirect ${digest.split(";")[2]}`;
    if (e instanceof AppError) return e.key;
    throw e;
  }
}

describe("tRPC, route handlers and pages refuse the same requests", () => {
  const TRPC_STATUS_OF_ROUTE: Record<number, number> = { 404: 404, 401: 401, 403: 403, 200: 200 };

  it.each([
    // [case, how to build it, route status, route message key, page outcome]
    ["unknown workspace host", "unknown", 404, "errors.notFound", "not found"],
    ["suspended workspace", "frozen", 403, "errors.workspaceSuspended", "errors.workspaceSuspended"],
    ["no session", "anonymous", 401, "errors.unauthorized", "redirect /login"],
    ["another host's cookie", "otherHostCookie", 401, "errors.unauthorized", "redirect /login"],
    ["locked user", "locked", 401, "errors.unauthorized", "redirect /login"],
    ["not a member", "stranger", 404, "errors.notFound", "not found"],
    ["deactivated member", "deactivated", 404, "errors.notFound", "not found"],
    ["member without the permission", "viewer", 403, "errors.missingPermission", "ok"],
    ["owner", "owner", 200, null, "ok"],
  ] as const)("%s", async (_case, kind, status, key, page) => {
    let host = hostOf(a.slug);
    let claims: Partial<SessionClaims> | null = null;
    if (kind === "unknown") host = hostOf(uniqueSlug("nowhere"));
    if (kind === "frozen") {
      host = hostOf(frozen.slug);
      claims = await sessionFor(frozen.owner.userId, host);
    }
    if (kind === "otherHostCookie") claims = await sessionFor(a.owner.userId, hostOf(b.slug));
    if (kind === "locked") {
      claims = await sessionFor(a.locked.userId, host);
      await getDb().user.update({ where: { id: a.locked.userId }, data: { lockedAt: new Date() } });
    }
    if (kind === "stranger") claims = await sessionFor(b.owner.userId, host);
    if (kind === "deactivated") claims = await sessionFor(a.deactivated.userId, host);
    if (kind === "viewer") claims = await sessionFor(a.viewer.userId, host);
    if (kind === "owner") claims = await sessionFor(a.owner.userId, host);

    const pathSlug = kind === "unknown" ? "nowhere" : host.split(".")[0]!;
    const viaRouteGet = await viaRoute(host, pathSlug, claims, "GET");
    expect(viaRouteGet.status).toBe(status);
    if (key) expect(viaRouteGet.message).toBe(en(key, { permission: "roles.manage" }));
    const trpc = await viaTrpc(host, claims, "GET");
    expect(trpc.status).toBe(TRPC_STATUS_OF_ROUTE[status]);
    if (key) expect(trpc.key).toBe(key);
    expect(await viaPage(host, claims)).toBe(page);
  });

  it("a route naming another workspace than the host's is not found, even for its owner", async () => {
    const claims = await sessionFor(a.owner.userId, hostOf(a.slug));
    expect((await viaRoute(hostOf(a.slug), b.slug, claims, "GET")).status).toBe(404);
  });

  it("an unpaid (read-only) workspace: reads work everywhere, writes are refused by tRPC and by route handlers alike", async () => {
    const host = hostOf(unpaid.slug);
    const claims = await sessionFor(unpaid.owner.userId, host);
    expect((await viaRoute(host, unpaid.slug, claims, "GET")).status).toBe(200);
    expect(await viaTrpc(host, claims, "GET")).toEqual({ status: 200, key: null });
    expect(await viaPage(host, claims)).toBe("ok");
    expect(await viaRoute(host, unpaid.slug, claims, "POST")).toEqual({ status: 403, message: en("errors.workspaceReadOnly") });
    expect(await viaTrpc(host, claims, "POST")).toEqual({ status: 403, key: "errors.workspaceReadOnly" });
    // the same owner in a paid workspace passes both checks
    const paid = await sessionFor(a.owner.userId, hostOf(a.slug));
    expect((await viaRoute(hostOf(a.slug), a.slug, paid, "POST")).status).toBe(200);
  });
});

describe("the route wrapper maps AppError once, to the statuses it always had", () => {
  const STATUS: Record<AppErrorCode, number> = {
    NOT_FOUND: 404,
    FORBIDDEN: 403,
    UNAUTHORIZED: 401,
    CONFLICT: 409,
    LIMIT_EXCEEDED: 403,
    INVALID_STATE: 409,
    VALIDATION: 400,
    TOO_MANY_REQUESTS: 429,
  };
  const throwing = (error: unknown, opts: Parameters<typeof route>[1] = {}) =>
    route(async () => {
      throw error;
    }, opts);
  const request = () => new Request(`http://${APEX}:${PORT}/x`, { headers: newRequest(APEX, null, { "accept-language": "km" }) });

  it.each(Object.entries(STATUS))("%s → %i, translated", async (code, status) => {
    const res = await throwing(new AppError(code as AppErrorCode, "errors.conflict"))(request());
    expect(res.status).toBe(status);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: { message: createTranslator("km")("errors.conflict"), fieldErrors: null } });
  });

  it("documents say only “not found” for any NOT_FOUND; other kinds keep their message", async () => {
    const opaque = await throwing(new AppError("NOT_FOUND", "files.errors.notFound"), { opaqueNotFound: true })(request());
    expect(opaque.status).toBe(404);
    expect(((await opaque.json()) as { error: { message: string } }).error.message).toBe(createTranslator("km")("errors.notFound"));
    const other = await throwing(new AppError("LIMIT_EXCEEDED", "errors.conflict"), { opaqueNotFound: true })(request());
    expect(other.status).toBe(403);
  });

  it("an unknown error → 500 with a reference id and nothing of the error; an overloaded database → 503 with Retry-After", async () => {
    const res = await throwing(new Error("secret internals"))(request());
    expect(res.status).toBe(500);
    const body = JSON.stringify(await res.json());
    expect(body).not.toContain("secret internals");
    const overloaded = await throwing(Object.assign(new Error("pool"), { code: "P2024" }))(request());
    expect(overloaded.status).toBe(503);
    expect(overloaded.headers.get("retry-after")).toBe("5");
  });

  it("another site's request to a same-origin route: 403 before anything is resolved", async () => {
    resetCalls();
    const headers = newRequest(hostOf(a.slug), null, { origin: "https://evil.example" });
    const res = await throwing(new Error("never reached"), { sameOrigin: true })(
      new Request(`http://${hostOf(a.slug)}:${PORT}/x`, { method: "POST", headers }),
    );
    expect(res.status).toBe(403);
    expect(calls).toEqual({ scope: 0, session: 0, tenant: 0 });
  });
});

describe("nothing is kept across requests: a change is refused on the very next request", () => {
  /** One tRPC request over the HTTP endpoint (the one-statement context): its status and error message. */
  async function viaHttp(host: string, claims: Partial<SessionClaims> | null, path = "workspace.current") {
    const h = `${host}:${PORT}`;
    const res = await handleTrpcRequest(
      new Request(`http://${h}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: path === "audit.list" ? {} : null }))}`, {
        headers: { host: h, "x-forwarded-for": uniqueIp(), "accept-language": "en" },
      }),
      async () => claims,
    );
    const body = (await res.json()) as { error?: { json?: { message?: string } } };
    return { status: res.status, message: body.error?.json?.message ?? null };
  }

  it("a revoked session, then a deactivated member, then a suspended workspace", async () => {
    const t = await createTenant({ slug: uniqueSlug("resnx") });
    const manager = await addMember(t, { email: uniqueEmail("mgr", t.slug), role: "manager" });
    const host = hostOf(t.slug);

    const claims = await sessionFor(t.owner.userId, host);
    expect((await viaHttp(host, claims)).status).toBe(200);
    await getDb().userSession.update({ where: { id: claims.sid }, data: { revokedAt: new Date() } });
    expect(await viaHttp(host, claims)).toEqual({ status: 401, message: en("errors.unauthorized") });
    expect(await viaPage(host, claims)).toBe("redirect /login");

    const managerClaims = await sessionFor(manager.userId, host);
    expect((await viaHttp(host, managerClaims)).status).toBe(200);
    await setMemberStatus(t.tenantId, manager.userId, "deactivated");
    expect(await viaHttp(host, managerClaims)).toEqual({ status: 404, message: en("errors.notFound") });
    expect(await viaPage(host, managerClaims)).toBe("not found");

    const ownerClaims = await sessionFor(t.owner.userId, host);
    expect((await viaHttp(host, ownerClaims)).status).toBe(200);
    await getDb().tenant.update({ where: { id: t.tenantId }, data: { status: "suspended" } });
    expect(await viaHttp(host, ownerClaims)).toEqual({ status: 403, message: en("errors.workspaceSuspended") });
  });

  it("a permission taken from the role, and a lapsed plan, apply on the next request", async () => {
    const t = await createTenant({ slug: uniqueSlug("resnp") });
    const host = hostOf(t.slug);
    const accountant = await addMember(t, { email: uniqueEmail("acct", t.slug), role: "accountant" });
    const claims = await sessionFor(accountant.userId, host);
    expect((await viaHttp(host, claims, "audit.list")).status).toBe(200);
    await new TenantDb(t.tenantId).run((tx) =>
      tx.rolePermission.deleteMany({ where: { roleId: t.roles.accountant, permissionCode: "audit.view" } }),
    );
    expect(await viaHttp(host, claims, "audit.list")).toEqual({
      status: 403,
      message: en("errors.missingPermission", { permission: "audit.view" }),
    });

    const owner = await sessionFor(t.owner.userId, host);
    expect((await viaRoute(host, t.slug, owner, "POST")).status).toBe(200);
    await setSubscription(t.tenantId, { status: "suspended" });
    expect(await viaRoute(host, t.slug, owner, "POST")).toEqual({ status: 403, message: en("errors.workspaceReadOnly") });
  });

  it("a session of another host, a damaged cookie and a locked user are refused by the one-statement context too", async () => {
    const t = await createTenant({ slug: uniqueSlug("resnc") });
    const host = hostOf(t.slug);
    const claims = await sessionFor(t.owner.userId, host);
    expect((await viaHttp(host, { ...claims, host: hostOf(b.slug) })).status).toBe(401);
    expect((await viaHttp(host, { ...claims, sid: "not-a-uuid" })).status).toBe(401);
    expect((await viaHttp(host, { ...claims, uid: b.owner.userId })).status).toBe(401);
    expect((await viaHttp(host, claims)).status).toBe(200);
    await getDb().user.update({ where: { id: t.owner.userId }, data: { lockedAt: new Date() } });
    expect((await viaHttp(host, claims)).status).toBe(401);
  });
});

async function setMemberStatus(tenantId: string, userId: string, status: "active" | "deactivated") {
  await new TenantDb(tenantId).run((tx) => tx.membership.updateMany({ where: { userId }, data: { status } }));
}
