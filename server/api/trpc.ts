import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { PermissionCode } from "@/lib/permissions";
import type { TenantContext } from "@/server/core/tenant-context";
import type { SessionUser } from "@/server/core/session";
import { assertTenantAccess } from "@/server/core/tenant-resolver";
import { assertConsentCurrent } from "@/server/auth/consent.public";
import type { Context } from "./context";
import { safeError, toTRPCError } from "./errors";
import { logger } from "@/server/core/observability/logger";

/** Procedure metadata; the cross-tenant test walks the router and uses `scope`. */
export interface Meta {
  scope: "public" | "tenant" | "admin";
  permission?: PermissionCode;
  /** a suspended (read-only) workspace may still call it: billing, so they can pay; own account */
  allowWhenReadOnly?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    defaultMeta: { scope: "public" },
    errorFormatter({ shape, error, ctx }) {
      const safe = safeError(error, ctx?.locale ?? "en", ctx?.meta.requestId ?? null);
      return {
        message: safe.message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode: safe.appCode,
          ref: safe.ref,
          fieldErrors: safe.fieldErrors,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Maps AppError/Prisma errors thrown by services to tRPC codes, in one place, and writes one
 * JSON log line per call with the request id and tenant (never inputs: they may hold secrets).
 */
const errorMapping = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const error = result.ok ? null : toTRPCError(result.error);
  logger.info(
    {
      requestId: ctx.meta.requestId,
      tenant: ctx.scope?.kind === "tenant" ? ctx.scope.tenant.slug : null,
      path,
      type,
      ms: Math.round(performance.now() - started),
      code: error?.code ?? "OK",
    },
    "trpc",
  );
  if (error) throw error;
  return result;
});

export const publicProcedure = t.procedure.use(errorMapping);

/**
 * Tenant host, not suspended, valid session for this host, active membership → ctx.tenant, from
 * the request's one resolver (server/core/tenant-resolver.ts), resolved once per request; then
 * the terms the user must accept again first (server/auth/consent.public.ts, FORBIDDEN consent.pending).
 */
export const tenantProcedure = publicProcedure.meta({ scope: "tenant" }).use(async ({ ctx, next }) => {
  const tenant = await ctx.resolver.tenant();
  const session = (await ctx.getSession())!;
  await assertConsentCurrent(session);
  return next({ ctx: { ...ctx, session, tenant } });
});

/** The one permission check for procedures; the UI calls the same `hasPermission`. */
export function withPermission(code: PermissionCode, options: { allowWhenReadOnly?: boolean } = {}) {
  return tenantProcedure.meta({ scope: "tenant", permission: code, ...options }).use(({ ctx, type, next }) => {
    // the permission, then an unpaid (suspended) workspace's read-only rule for writes
    assertTenantAccess(ctx.tenant, { permission: code, write: type === "mutation", allowWhenReadOnly: options.allowWhenReadOnly });
    return next();
  });
}

/** A platform admin on the apex whose session has not necessarily passed 2FA yet (the 2FA steps themselves). */
export const adminMfaPendingProcedure = publicProcedure.meta({ scope: "admin" }).use(async ({ ctx, next }) => {
  const session = await ctx.resolver.platformAdmin({ pendingMfa: true });
  return next({ ctx: { ...ctx, session } });
});

/** Everything else in the admin console: platform admin, apex host, 2FA passed in this session, current terms accepted. */
export const adminProcedure = adminMfaPendingProcedure.use(async ({ ctx, next }) => {
  await assertConsentCurrent(await ctx.resolver.platformAdmin());
  return next();
});

export type TenantProcedureContext = Context & { session: SessionUser; tenant: TenantContext };
export { TRPCError };
