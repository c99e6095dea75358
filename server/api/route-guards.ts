import "server-only";
import type { Locale } from "@/lib/i18n";
import { hasPermission, type PermissionCode } from "@/lib/permissions";
import { metaFromHeaders } from "@/server/core/http";
import { getLocale, getScope, getSessionUser } from "@/server/core/page-context";
import type { SessionUser } from "@/server/auth/auth.public";
import { buildTenantContext, type TenantContext } from "@/server/core/tenant-context";
import { jsonError } from "./route-kit";

// Guards of the route handlers that serve files (CSV exports, PDFs). A route handler answers
// with status codes, not notFound()/redirect().

/** A streamed CSV download: never cached, never sniffed. */
export function csvResponse({ filename, stream }: { filename: string; stream: ReadableStream<Uint8Array> }): Response {
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * The guard of the console's export routes: 404 off the apex or for non-admins (the console is
 * not revealed), 401 without a session, 403 until the session passed 2FA.
 */
export async function consoleExportGuard(): Promise<{ ok: true; user: SessionUser; locale: Locale } | { ok: false; response: Response }> {
  const locale = await getLocale();
  const scope = await getScope();
  if (scope?.kind !== "apex") return { ok: false, response: jsonError(404, locale, "errors.notFound") };
  const user = await getSessionUser();
  if (!user) return { ok: false, response: jsonError(401, locale, "errors.unauthorized") };
  if (!user.isPlatformAdmin) return { ok: false, response: jsonError(404, locale, "errors.notFound") };
  if (!user.mfaVerified) return { ok: false, response: jsonError(403, locale, "errors.mfaRequired") };
  return { ok: true, user, locale };
}

/**
 * The guard of a workspace file route: 404 unknown workspace (or another workspace's path) or not
 * a member, 403 suspended workspace or without `permission`, 401 without a session.
 */
export async function workspaceRouteGuard(
  request: Request,
  tenantSlug: string,
  permission: PermissionCode,
): Promise<{ ok: true; ctx: TenantContext; locale: Locale } | { ok: false; response: Response }> {
  const locale = await getLocale();
  const scope = await getScope();
  if (scope?.kind !== "tenant" || scope.tenant.slug !== tenantSlug)
    return { ok: false, response: jsonError(404, locale, "errors.notFound") };
  if (scope.tenant.status === "suspended") return { ok: false, response: jsonError(403, locale, "errors.workspaceSuspended") };
  const user = await getSessionUser();
  if (!user) return { ok: false, response: jsonError(401, locale, "errors.unauthorized") };
  const ctx = await buildTenantContext(scope.tenant, user, metaFromHeaders(request.headers));
  if (!ctx) return { ok: false, response: jsonError(404, locale, "errors.notFound") };
  if (!hasPermission(ctx.permissions, permission)) {
    return { ok: false, response: jsonError(403, locale, "errors.missingPermission", { params: { permission } }) };
  }
  return { ok: true, ctx, locale };
}
