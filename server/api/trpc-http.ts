import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import { createRequestResolver, type ResolverInput } from "@/server/core/tenant-resolver";
import { handleServerError } from "@/server/core/observability/report";
import { logger } from "@/server/core/observability/logger";
import { annotateLogContext, logContextFromHeaders, runWithLogContext } from "@/server/core/observability/log-context";
import { isSameOrigin, localeFromHeaders } from "@/server/core/http";
import { OVERLOAD_RETRY_AFTER_SECONDS } from "@/server/core/overload";
import { jsonError } from "./route-kit";
import { toTRPCError } from "./errors";

/**
 * Is this POST one the app's own tRPC client sent? Mutations only ever come as JSON from this
 * origin (httpBatchLink). A cross-site page could otherwise run them with the member's cookie:
 * a plain HTML form posts multipart/form-data or urlencoded, which tRPC would accept as input
 * (and mutations without input need none), and the browser sends no preflight for it.
 */
export function refuseCrossSiteMutation(req: Request): Response | null {
  if (req.method === "GET" || req.method === "HEAD") return null;
  const locale = localeFromHeaders(req.headers);
  if (!isSameOrigin(req)) return jsonError(403, locale, "errors.crossSite");
  const type = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") return jsonError(415, locale, "errors.unsupportedMediaType");
  return null;
}

/** The tRPC endpoint: CSRF gate, overload → 503 with Retry-After, unexpected errors reported once. */
export async function handleTrpcRequest(req: Request, getClaims: ResolverInput["getClaims"]): Promise<Response> {
  const refused = refuseCrossSiteMutation(req);
  if (refused) return refused;
  // every log record of this request carries its request id, trace id, workspace and user
  return runWithLogContext(logContextFromHeaders(req.headers), () => trpcResponse(req, getClaims));
}

function trpcResponse(req: Request, getClaims: ResolverInput["getClaims"]): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      try {
        // one resolver for the request: a batch of procedures resolves host, session and membership once,
        // in one statement (prefetch)
        const ctx = await createContext({ resolver: createRequestResolver({ headers: req.headers, getClaims, prefetch: true }) });
        annotateLogContext({ tenant: ctx.scope?.kind === "tenant" ? ctx.scope.tenant.slug : null });
        ctx.resolver.onSession((user) => annotateLogContext({ userId: user?.userId }));
        return ctx;
      } catch (error) {
        // the host lookup hit the database: an overloaded pool answers 503, not 500
        throw toTRPCError(error);
      }
    },
    responseMeta({ errors }) {
      if (errors.length > 0 && errors.every((e) => e.code === "SERVICE_UNAVAILABLE")) {
        return { status: 503, headers: new Headers({ "Retry-After": String(OVERLOAD_RETRY_AFTER_SECONDS) }) };
      }
      if (errors.some((e) => e.code === "SERVICE_UNAVAILABLE")) {
        return { headers: new Headers({ "Retry-After": String(OVERLOAD_RETRY_AFTER_SECONDS) }) };
      }
      return {};
    },
    onError({ error, path, ctx }) {
      const tenant = ctx?.scope?.kind === "tenant" ? ctx.scope.tenant.slug : null;
      if (error.code === "SERVICE_UNAVAILABLE") {
        logger.warn({ requestId: ctx?.meta.requestId, tenant, path }, "database overloaded: answered 503");
      } else if (error.code === "INTERNAL_SERVER_ERROR") {
        handleServerError(error.cause ?? error, { requestId: ctx?.meta.requestId, tenant, path });
      }
    },
  });
}
