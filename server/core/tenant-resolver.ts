import "server-only";
import { hasPermission, type PermissionCode } from "@/lib/permissions";
import { AppError } from "./errors";
import { metaFromHeaders } from "./http";
import { normaliseHost } from "@/lib/tenancy";
import { resolveHostScope, tenantSlugOfHost, type HostScope } from "./host-scope";
import { isUuid, lookupRequestContext, type ContextFacts } from "./request-lookup";
import type { RequestMeta } from "./request-meta";
import { readSession, type SessionClaims, type SessionUser } from "./session";
import { buildTenantContext, type TenantContext } from "./tenant-context";

/**
 * The one tenant resolver. Every request path asks it, in the same order and with the same checks:
 * the tRPC context (server/api/context.ts, HTTP and the server components' caller), server-rendered
 * pages (page-context.ts, one resolver per request through React cache()) and route handlers
 * (route-kit.ts, one per Request). Each step runs at most once per request and is then reused
 * (see ResolverInput.lifetime for a context reused across calls). The database work is one
 * statement (request-lookup.ts: host, session, membership, permissions and plan together) when
 * the resolver prefetches (tRPC endpoint, pages), at most two otherwise (the host, then the rest):
 *
 *   scope()   the Host header → apex, an existing tenant, or null (neither: 404)
 *   session() the cookie's claims → a user (readSession: minted for this host, the row of this
 *             user and host, not revoked, not expired (support sessions: 30 minutes), user not locked)
 *   tenant()  a tenant host (else NOT_FOUND), not suspended (FORBIDDEN errors.workspaceSuspended),
 *             a session (UNAUTHORIZED), an active membership of this user in this tenant (else
 *             NOT_FOUND: do not reveal that the workspace exists), with its role, permissions and plan
 *   platformAdmin()  the apex (NOT_FOUND), a session (UNAUTHORIZED), a platform admin (NOT_FOUND),
 *             2FA passed in this session unless `pendingMfa` (FORBIDDEN errors.mfaRequired)
 *
 * and, per call, assertTenantAccess: the permission (FORBIDDEN errors.missingPermission) and the
 * read-only rule of an unpaid workspace (writes FORBIDDEN errors.workspaceReadOnly).
 * Refusals are AppErrors; each surface maps them once (tRPC codes, HTTP statuses, notFound/redirect).
 */
export interface RequestResolver {
  readonly headers: Headers;
  readonly meta: RequestMeta;
  scope(): Promise<HostScope | null>;
  session(): Promise<SessionUser | null>;
  /** Called once the session has been read (at once if it already has been). */
  onSession(listener: (user: SessionUser | null) => void): void;
  tenant(): Promise<TenantContext>;
  platformAdmin(options?: { pendingMfa?: boolean }): Promise<SessionUser>;
}

export interface ResolverInput {
  headers: Headers;
  /** the session cookie's claims; next-auth in the app, fabricated in tests */
  getClaims: () => Promise<Partial<SessionClaims> | null>;
  meta?: RequestMeta;
  /**
   * "request" (default): one HTTP request or one page render; tenant() is resolved once and reused.
   * "call": a context reused for many calls (a test's or script's caller): the host and session
   * are read once, the membership, permissions and plan again on every call, so a change made
   * in between (a new role, a deactivation, a lapsed plan) applies on the next call.
   */
  lifetime?: "request" | "call";
  /**
   * true (the tRPC endpoint, pages): scope() reads the cookie's claims too and resolves host,
   * session, membership, permissions and plan in ONE statement (request-lookup.ts), used by the
   * later steps of this request. false (default; route handlers, whose public routes never read
   * the cookie, and every "call" context): the host alone first, then the session with the
   * membership and plan in one more statement when a step asks for them.
   */
  prefetch?: boolean;
}

export function createRequestResolver({
  headers,
  getClaims,
  meta = metaFromHeaders(headers),
  lifetime = "request",
  prefetch = false,
}: ResolverInput): RequestResolver {
  let scope: Promise<HostScope | null> | undefined;
  let session: Promise<SessionUser | null> | undefined;
  let tenant: Promise<TenantContext> | undefined;
  let claims: Promise<Partial<SessionClaims> | null> | undefined;
  /** what the last context statement read; tenant() takes its membership and plan once */
  let facts: ContextFacts | undefined;
  let read: { user: SessionUser | null } | undefined;
  const listeners: Array<(user: SessionUser | null) => void> = [];
  const host = headers.get("host");
  const readClaims = () => (claims ??= getClaims());

  /** host, session, membership and plan in one statement (an unknown host, or the apex signed out: none) */
  async function prefetchAll(): Promise<HostScope | null> {
    const slug = tenantSlugOfHost(host);
    const c = await readClaims();
    const ours = !!c && c.host === normaliseHost(host);
    if (slug !== null || ours) {
      facts = await lookupRequestContext({ slug, sessionId: ours ? c.sid : null, userId: ours ? c.uid : null });
    }
    return resolveHostScope(host, facts);
  }

  const resolver: RequestResolver = {
    headers,
    meta,
    scope: () => (scope ??= prefetch && lifetime === "request" ? prefetchAll() : resolveHostScope(host)),
    session: () =>
      (session ??= resolver.scope().then(async (s) => {
        let user: SessionUser | null = null;
        if (s) {
          const c = await readClaims();
          // the session with this user's membership and the plan, in one statement (readSession
          // refuses claims of another host or malformed ids before any query)
          if (!facts && c?.host === s.hostname && isUuid(c.sid) && isUuid(c.uid)) {
            facts = await lookupRequestContext({ tenantId: s.kind === "tenant" ? s.tenant.id : null, sessionId: c.sid, userId: c.uid });
          }
          user = await readSession(c, s.hostname, undefined, facts);
        }
        read = { user };
        for (const listener of listeners) listener(user);
        return user;
      })),
    onSession: (listener) => {
      if (read) listener(read.user);
      else listeners.push(listener);
    },
    tenant: () => {
      if (tenant) return tenant;
      const resolved = resolveTenant();
      if (lifetime === "request") tenant = resolved;
      return resolved;
    },
    platformAdmin: async ({ pendingMfa = false } = {}) => {
      const s = await resolver.scope();
      if (s?.kind !== "apex") throw new AppError("NOT_FOUND", "errors.notFound");
      const user = await resolver.session();
      if (!user) throw new AppError("UNAUTHORIZED", "errors.unauthorized");
      if (!user.isPlatformAdmin) throw new AppError("NOT_FOUND", "errors.notFound");
      if (!pendingMfa && !user.mfaVerified) throw new AppError("FORBIDDEN", "errors.mfaRequired");
      return user;
    },
  };
  async function resolveTenant(): Promise<TenantContext> {
    const s = await resolver.scope();
    if (s?.kind !== "tenant") throw new AppError("NOT_FOUND", "errors.notFound");
    if (s.tenant.status === "suspended") throw new AppError("FORBIDDEN", "errors.workspaceSuspended");
    // closed for deletion: only the deletion router's own procedures (status, restore) reach it
    if (s.tenant.status === "closed") throw new AppError("FORBIDDEN", "errors.workspaceClosed");
    // a "call" context uses the membership and plan read with the session only if that read is this call's
    const fresh = lifetime === "request" || session === undefined;
    const user = await resolver.session();
    if (!user) throw new AppError("UNAUTHORIZED", "errors.unauthorized");
    const prefetched = fresh ? facts : undefined;
    facts = undefined;
    const ctx = await buildTenantContext(s.tenant, user, meta, prefetched);
    // not a member: do not reveal that the workspace exists
    if (!ctx) throw new AppError("NOT_FOUND", "errors.notFound");
    return ctx;
  }

  return resolver;
}

export interface TenantAccess {
  permission?: PermissionCode;
  /** the call changes something (a mutation, a POST) */
  write?: boolean;
  /** a suspended (read-only) workspace may still do it: billing, so they can pay; own account */
  allowWhenReadOnly?: boolean;
}

/** The per-call checks on a resolved tenant: the permission, then an unpaid workspace's read-only rule. */
export function assertTenantAccess(ctx: TenantContext, { permission, write = false, allowWhenReadOnly = false }: TenantAccess): void {
  if (permission && !hasPermission(ctx.permissions, permission)) {
    throw new AppError("FORBIDDEN", "errors.missingPermission", { permission });
  }
  // an unpaid (suspended) workspace is read-only: reads work, writes are refused, billing stays open
  if (write && ctx.plan.readOnly && !allowWhenReadOnly) throw new AppError("FORBIDDEN", "errors.workspaceReadOnly");
}
