import "server-only";
import type { z } from "zod";
import { createTranslator, type Locale, type MessageKey } from "@/lib/i18n";
import { isSameOrigin, localeFromHeaders, metaFromHeaders } from "@/server/core/http";
import { resolveHostScope, type HostScope } from "@/server/core/host-scope";
import { handleServerError } from "@/server/core/observability/report";
import { AppError } from "@/server/core/errors";
import { isDatabaseOverload, OVERLOAD_RETRY_AFTER_SECONDS } from "@/server/core/overload";
import { formErrorCode } from "@/lib/form-errors";
import { HTTP_STATUS } from "./errors";
import type { RequestMeta } from "@/server/core/request-meta";

export interface RouteContext {
  request: Request;
  scope: HostScope;
  meta: RequestMeta;
  locale: Locale;
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
 * Wraps a POST route handler of the session API: same-origin only, host resolved (unknown → 404),
 * AppError → its status with a translated message, anything else → 500 with a reference id.
 * With `form`, a plain form post (a page that has not hydrated, or no JavaScript) gets the same
 * handling answered as a 303 redirect (see formAnswer); the JSON answers are unchanged.
 */
export function sessionRoute(
  handler: (ctx: RouteContext) => Promise<Response>,
  opts: { apexOnly?: boolean; form?: FormPostOptions } = {},
): (request: Request) => Promise<Response> {
  const { form } = opts;
  if (!form) return jsonSessionRoute(handler, opts);
  const json = jsonSessionRoute(handler, opts);
  return async (request) => {
    const response = await json(request);
    // a cross-site post is refused as it is (403), never redirected
    if (!isFormPost(request) || !isSameOrigin(request)) return response;
    return formAnswer(request, response, form);
  };
}

function jsonSessionRoute(
  handler: (ctx: RouteContext) => Promise<Response>,
  opts: { apexOnly?: boolean },
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
