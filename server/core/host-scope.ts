import "server-only";
import { getEnv } from "@/env";
import { classifyHost, normaliseHost, tenantOrigin, apexOrigin } from "@/lib/tenancy";
import { getDb } from "@/server/db/client";
import { publicPort } from "@/env";
import { withEnums, TENANT_STATUS_VALUES, type TenantStatus } from "@/lib/enums";

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  locale: string;
  timezone: string;
  currency: string;
}

/** What a request's Host header points at, resolved once per request on the server. */
export type HostScope = { kind: "apex"; hostname: string } | { kind: "tenant"; hostname: string; tenant: TenantSummary };

export const tenantSummarySelect = {
  id: true,
  slug: true,
  name: true,
  status: true,
  locale: true,
  timezone: true,
  currency: true,
} as const;

export async function findTenantBySlug(slug: string): Promise<TenantSummary | null> {
  const tenant = await getDb().tenant.findUnique({ where: { slug }, select: tenantSummarySelect });
  return tenant && withEnums(tenant, { status: TENANT_STATUS_VALUES });
}

/** The workspace slug a Host header names (null: the apex or an unknown host). */
export function tenantSlugOfHost(host: string | null | undefined): string | null {
  const kind = classifyHost(host, getEnv().APP_ROOT_DOMAIN);
  return kind.kind === "tenant" ? kind.slug : null;
}

/**
 * null = neither the apex nor an existing tenant (→ 404). `prefetched`: the request's one context
 * statement (request-lookup.ts) already looked the host's slug up; otherwise it is looked up here.
 */
export async function resolveHostScope(
  host: string | null | undefined,
  prefetched?: { tenant: TenantSummary | null; slugAsked: string | null },
): Promise<HostScope | null> {
  const env = getEnv();
  const kind = classifyHost(host, env.APP_ROOT_DOMAIN);
  const hostname = normaliseHost(host);
  if (kind.kind === "apex") return { kind: "apex", hostname };
  if (kind.kind === "unknown") return null;
  const tenant = prefetched?.slugAsked === kind.slug ? prefetched.tenant : await findTenantBySlug(kind.slug);
  return tenant ? { kind: "tenant", hostname, tenant } : null;
}

export function originForTenant(slug: string): string {
  const env = getEnv();
  return tenantOrigin(slug, env.APP_ROOT_DOMAIN, env.APP_PROTOCOL, publicPort(env));
}

export function originForApex(): string {
  const env = getEnv();
  return apexOrigin(env.APP_ROOT_DOMAIN, env.APP_PROTOCOL, publicPort(env));
}

export function originForScope(scope: HostScope): string {
  return scope.kind === "tenant" ? originForTenant(scope.tenant.slug) : originForApex();
}
