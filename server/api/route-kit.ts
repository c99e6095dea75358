import "server-only";
import type { z } from "zod";
import { createTranslator, isLocale, type Locale, type MessageKey } from "@/lib/i18n";
import { hasLocaleCookie, isSameOrigin, localeFromHeaders } from "@/server/core/http";
import type { HostScope } from "@/server/core/host-scope";
import { handleServerError } from "@/server/core/observability/report";
import { annotateLogContext, logContextFromHeaders, runWithLogContext } from "@/server/core/observability/log-context";
import { AppError } from "@/server/core/errors";
import { isDatabaseOverload, OVERLOAD_RETRY_AFTER_SECONDS } from "@/server/core/overload";
import { StorageUnavailableError } from "@/server/files/file-store";
import type { SessionClaims, SessionUser } from "@/server/core/session";
import type { TenantContext } from "@/server/core/tenant-context";
import { assertTenantAccess, createRequestResolver, type RequestResolver, type TenantAccess } from "@/server/core/tenant-resolver";
import { formErrorCode } from "@/lib/form-errors";
import { assertConsentCurrent } from "@/server/auth/consent.public";
import { HTTP_STATUS } from "./errors";
import type { RequestMeta } from "@/server/core/request-meta";

export interface RouteContext {
  request: Request;
  scope: HostScope;
  meta: RequestMeta;
  /** the language of every answer, error or not (see RouteOptions.locale) */
  locale: Locale;
  /** the request's one tenant resolver: host, session and membership, each resolved once */
  resolver: RequestResolver;
  /**
   * A workspace route's checks: the resolver's tenant checks (not suspended, a session for this
   * host, an active membership), then the permission and, for a write, the read-only rule. Throws
   * AppError, which the wrapper answers (404 / 401 / 403).
   */
  tenant(access?: TenantAccess): Promise<TenantContext>;
  /** The console's checks: apex, a platform admin (404), a session (401), 2FA passed unless `pendingMfa` (403). */
  platformAdmin(options?: { pendingMfa?: boolean }): Promise<SessionUser>;
}

export interface RouteOptions {
  /** state-changing handlers: refuse another site's request (403) before anything else runs */
  sameOrigin?: boolean;
  /** the host the route serves; any other (or an unknown one) is 404. Default: the apex or a workspace */
  host?: "apex" | "tenant" | "any";
  /**
   * "request" (default): the language cookie, Accept-Language, the workspace's language.
   * "user": the signed-in user's saved language before Accept-Language (documents, downloads),
   * as server-rendered pages and tRPC answer a signed-in member.
   */
  locale?: "request" | "user";
  /** answer a plain form post with redirects (see formAnswer) */
  form?: FormPostOptions;
  /** documents and downloads: every NOT_FOUND answers the same "Not found." (a 404 does not say why) */
  opaqueNotFound?: boolean;
}

/** The next-auth cookie reader, loaded only when a handler reads the session. */
async function currentClaims(): Promise<Partial<SessionClaims> | null> {
  return (await import("@/server/auth/next-auth.public")).currentClaims();
}

// What a form post's redirect needs after the handler ran: the fields it sent (the page may keep
// one, such as a link's token) and the message key and field of a failure.
const postedFields = new WeakMap<Request, Record<string, string>>();
const failures = new WeakMap<Response, { key: string; field?: string }>();

export function jsonError(
  status: number,
  locale: Locale,
  key: MessageKey,
  extra: { params?: Record<string, string | number>; headers?: Record<string, string>; fieldErrors?: Record<string, string> } = {},
): Response {
  const t = createTranslator(locale);
  const response = Response.json(
    { error: { message: t(key, extra.params), fieldErrors: extra.fieldErrors ?? null } },
    { status, headers: { "Cache-Control": "no-store", ...extra.headers } },
  );
  failures.set(response, { key });
  return response;
}

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

/** A plain browser form post (no JavaScript ran): answered with redirects, never with JSON. */
export function isFormPost(request: Request): boolean {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
}

async function readBody(request: Request): Promise<unknown> {
  if (!isFormPost(request)) return request.json();
  const values: Record<string, string> = {};
  for (const [name, value] of (await request.formData()).entries()) if (typeof value === "string") values[name] ??= value;
  postedFields.set(request, values);
  return values;
}

/** The JSON body of the hydrated form's fetch, or the fields of a plain form post, checked by `schema`. */
export async function parseBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  locale: Locale,
): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  let raw: unknown;
  try {
    raw = await readBody(request);
  } catch {
    return { ok: false, response: jsonError(400, locale, "errors.validation") };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const t = createTranslator(locale);
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".")] ??= t(issue.message as MessageKey);
  const response = jsonError(400, locale, "errors.validation", { fieldErrors });
  const first = parsed.error.issues[0];
  if (first) failures.set(response, { key: first.message, field: first.path.join(".") });
  return { ok: false, response };
}

export interface FormPostOptions {
  /** The form's page; a failure goes back there with `?error=<code>[&field=<name>]`. */
  page: string;
  /** Posted fields carried back to the page on failure (a link's token that the page needs). */
  keep?: readonly string[];
  /** Where a success without a `redirectTo` goes (for example "/forgot-password?sent=1"). */
  done?: string;
  /** The field a business error belongs to, by message key (a wrong current password). */
  fieldOf?: Readonly<Record<string, string>>;
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

/**
 * The answer to a plain form post, made from the JSON answer the same handler gives the hydrated
 * form: success follows its `redirectTo`; failure returns to the page with only an error code.
 * Nothing the person typed goes into the URL.
 */
async function formAnswer(request: Request, response: Response, form: FormPostOptions): Promise<Response> {
  if (response.ok) {
    const body = (await response.json().catch(() => ({}))) as { redirectTo?: unknown };
    return seeOther(typeof body.redirectTo === "string" ? body.redirectTo : (form.done ?? form.page));
  }
  const failure = failures.get(response);
  const url = new URL(form.page, "http://form.invalid");
  const posted = postedFields.get(request) ?? {};
  for (const name of form.keep ?? []) if (posted[name]) url.searchParams.set(name, posted[name]);
  url.searchParams.set("error", failure ? formErrorCode(failure.key) : response.status === 429 ? "throttled" : "failed");
  const field = failure?.field ?? (failure ? form.fieldOf?.[failure.key] : undefined);
  if (field) url.searchParams.set("field", field);
  return seeOther(`${url.pathname}${url.search}`);
}

/**
 * The one route-handler wrapper. In order: same-origin (with `sameOrigin`: another site → 403),
 * the host (unknown, or not the route's kind, → 404; a workspace route's [tenant] segment must be
 * the host's workspace, → 404), then the handler with the request's one resolver. Whatever the
 * handler (or the resolver's checks) throws is answered here and only here: AppError → its HTTP
 * status (HTTP_STATUS) with the translated message, an overloaded database → 503 with Retry-After,
 * anything else → 500 with a reference id, reported once. With `form`, a plain form post (a page
 * that has not hydrated, or no JavaScript) gets the same handling answered as a 303 redirect (see
 * formAnswer); the JSON answers are unchanged.
 */
export function route<P extends Record<string, string | string[]> = Record<string, never>>(
  handler: (ctx: RouteContext, params: P) => Promise<Response>,
  opts: RouteOptions = {},
): (request: Request, segment?: { params: Promise<P> }) => Promise<Response> {
  const { form } = opts;
  const json = jsonRoute(handler, opts);
  if (!form) return json;
  return async (request, segment) => {
    const response = await json(request, segment);
    // a cross-site post is refused as it is (403), never redirected
    if (!isFormPost(request) || !isSameOrigin(request)) return response;
    return formAnswer(request, response, form);
  };
}

function jsonRoute<P extends Record<string, string | string[]>>(
  handler: (ctx: RouteContext, params: P) => Promise<Response>,
  opts: RouteOptions,
): (request: Request, segment?: { params: Promise<P> }) => Promise<Response> {
  return (request, segment) => runWithLogContext(logContextFromHeaders(request.headers), () => handle(request, segment));
  async function handle(request: Request, segment?: { params: Promise<P> }): Promise<Response> {
    const resolver = createRequestResolver({ headers: request.headers, getClaims: currentClaims });
    const { meta } = resolver;
    let locale = localeFromHeaders(request.headers);
    try {
      if (opts.sameOrigin && !isSameOrigin(request)) return jsonError(403, locale, "errors.forbidden");
      const scope = await resolver.scope();
      if (scope?.kind === "tenant") locale = localeFromHeaders(request.headers, scope.tenant.locale);
      annotateLogContext({ tenant: scope?.kind === "tenant" ? scope.tenant.slug : null });
      resolver.onSession((user) => annotateLogContext({ userId: user?.userId }));
      if (opts.locale === "user" && !hasLocaleCookie(request.headers)) {
        const saved = (await resolver.session())?.locale;
        if (isLocale(saved)) locale = saved;
      }
      if (!scope || (opts.host && opts.host !== "any" && scope.kind !== opts.host)) return jsonError(404, locale, "errors.notFound");
      const params = ((await segment?.params) ?? {}) as P;
      // the tenant comes from the Host header; a path naming another workspace is not found
      const slug = (params as Record<string, unknown>).tenant;
      if (typeof slug === "string" && (scope.kind !== "tenant" || scope.tenant.slug !== slug)) {
        return jsonError(404, locale, "errors.notFound");
      }
      const ctx: RouteContext = {
        request,
        scope,
        meta,
        locale,
        resolver,
        tenant: async (access = {}) => {
          const tenant = await resolver.tenant();
          assertTenantAccess(tenant, access);
          // new terms to accept first (server/auth/consent.public.ts)
          await assertConsentCurrent((await resolver.session())!);
          return tenant;
        },
        platformAdmin: async (options) => {
          const admin = await resolver.platformAdmin(options);
          if (!options?.pendingMfa) await assertConsentCurrent(admin);
          return admin;
        },
      };
      return await handler(ctx, params);
    } catch (error) {
      if (error instanceof AppError) {
        if (opts.opaqueNotFound && error.code === "NOT_FOUND") return jsonError(404, locale, "errors.notFound");
        return jsonError(HTTP_STATUS[error.code], locale, error.key, { params: error.params });
      }
      if (isDatabaseOverload(error)) return overloaded(locale);
      handleServerError(error, { requestId: meta.requestId, path: new URL(request.url).pathname });
      // the file store refused or cannot be reached: the operator is told (above), the user gets 503, never the store's details
      if (error instanceof StorageUnavailableError)
        return jsonError(503, locale, "files.errors.storageUnavailable", { headers: { "Retry-After": "30" } });
      return jsonError(500, locale, "errors.internal", { params: { ref: meta.requestId ?? "-" } });
    }
  }
}
