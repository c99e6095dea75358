import "server-only";
import type { z } from "zod";
import { createTranslator, type Locale, type MessageKey } from "@/lib/i18n";
import { isSameOrigin, localeFromHeaders, metaFromHeaders } from "@/server/http";
import { resolveHostScope, type HostScope } from "@/server/services/host-scope";
import { handleServerError } from "@/server/observability/report";
import { AppError } from "@/server/errors";
import { isDatabaseOverload, OVERLOAD_RETRY_AFTER_SECONDS } from "@/server/overload";
import { HTTP_STATUS } from "./errors";
import type { RequestMeta } from "@/server/services/request-meta";

export interface RouteContext {
  request: Request;
  scope: HostScope;
  meta: RequestMeta;
  locale: Locale;
}

export function jsonError(
  status: number,
  locale: Locale,
  key: MessageKey,
  extra: { params?: Record<string, string | number>; headers?: Record<string, string>; fieldErrors?: Record<string, string> } = {},
): Response {
  const t = createTranslator(locale);
  return Response.json(
    { error: { message: t(key, extra.params), fieldErrors: extra.fieldErrors ?? null } },
    { status, headers: { "Cache-Control": "no-store", ...extra.headers } },
  );
}

/** A generated PDF for a signed-in member: shown inline, never kept by a shared cache, never sniffed. */
export function pdfResponse(pdf: Uint8Array, filename: string): Response {
  return new Response(new Uint8Array(pdf), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** The database is saturated (pool exhausted, connections refused): 503 with Retry-After, never 500. */
export function overloaded(locale: Locale): Response {
  return jsonError(503, locale, "errors.overloaded", { headers: { "Retry-After": String(OVERLOAD_RETRY_AFTER_SECONDS) } });
}

export function tooManyRequests(locale: Locale, retryAfterSeconds: number): Response {
  return jsonError(429, locale, "errors.tooManyRequestsRetry", {
    params: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) },
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

export async function parseBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  locale: Locale,
): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    return { ok: false, response: jsonError(400, locale, "errors.validation") };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const t = createTranslator(locale);
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".")] ??= t(issue.message as MessageKey);
  return { ok: false, response: jsonError(400, locale, "errors.validation", { fieldErrors }) };
}

/**
 * Wraps a POST route handler of the session API: same-origin only, host resolved (unknown → 404),
 * AppError → its status with a translated message, anything else → 500 with a reference id.
 */
export function sessionRoute(
  handler: (ctx: RouteContext) => Promise<Response>,
  opts: { apexOnly?: boolean } = {},
): (request: Request) => Promise<Response> {
  return async (request) => {
    const meta = metaFromHeaders(request.headers);
    let locale = localeFromHeaders(request.headers);
    try {
      if (!isSameOrigin(request)) return jsonError(403, locale, "errors.forbidden");
      const scope = await resolveHostScope(request.headers.get("host"));
      if (!scope || (opts.apexOnly && scope.kind !== "apex")) return jsonError(404, locale, "errors.notFound");
      if (scope.kind === "tenant") locale = localeFromHeaders(request.headers, scope.tenant.locale);
      return await handler({ request, scope, meta, locale });
    } catch (error) {
      if (error instanceof AppError) return jsonError(HTTP_STATUS[error.code], locale, error.key, { params: error.params });
      if (isDatabaseOverload(error)) return overloaded(locale);
      handleServerError(error, { requestId: meta.requestId, path: new URL(request.url).pathname });
      return jsonError(500, locale, "errors.internal", { params: { ref: meta.requestId ?? "-" } });
    }
  };
}
