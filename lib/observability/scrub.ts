// Secrets that travel in URLs and free text, taken out before anything leaves the process (Sentry
// events and breadcrumbs on the server and in the browser, shipped log records). Pure functions,
// safe in both runtimes.

/** Query parameters that carry a bearer secret: reset, invite and handoff links (`token`), 2FA enrolment (`enrol`), KHQR `md5`… */
const SECRET_PARAM =
  /([?&;#](?:token|enrol|md5|ticket|code|secret|password|key|signature|sig|hash|access_token|refresh_token)=)[^&#;\s"'<>]*/gi;
/** The renter pay page: `/pay/<token>` (the token is the whole credential). */
const PAY_PATH = /(\/pay\/)(?!\[)[A-Za-z0-9_-]{8,}/g;
/**
 * A KHQR md5 (32 hex digits) anywhere, also inside URL-encoded JSON (`%22<md5>%22`, where no word
 * boundary separates it): it lets anyone query the payment's status. Longer hex runs go too.
 */
const MD5 = /[0-9a-f]{32,}/gi;
/** A bearer credential in free text. */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const EMAIL = /[^\s@"'<>/?&=]+@[^\s@"'<>/?&=]+\.[a-z]{2,}/gi;

export const SCRUBBED = "[scrubbed]";

/** A URL (absolute or relative) or any text with URLs in it, without its secrets. */
export function scrubUrl(text: string): string {
  return text
    .replace(SECRET_PARAM, `$1${SCRUBBED}`)
    .replace(PAY_PATH, `$1${SCRUBBED}`)
    .replace(MD5, "[md5]")
    .replace(BEARER, `$1 ${SCRUBBED}`);
}

/** Free text (messages, breadcrumb lines): URL secrets and e-mail addresses out. */
export function scrubText(text: string): string {
  return scrubUrl(text).replace(EMAIL, "[email]");
}

/**
 * scrubText's rules as [source, flags, replacement], in its order: the renter pay page's own error
 * reports (server/pay-page/runtime.ts) apply them in the browser without this module.
 */
export function browserScrubRules(): [string, string, string][] {
  return [
    [SECRET_PARAM.source, SECRET_PARAM.flags, `$1${SCRUBBED}`],
    [PAY_PATH.source, PAY_PATH.flags, `$1${SCRUBBED}`],
    [MD5.source, MD5.flags, "[md5]"],
    [BEARER.source, BEARER.flags, `$1 ${SCRUBBED}`],
    [EMAIL.source, EMAIL.flags, "[email]"],
  ];
}

/** Keys whose values are never kept, at any depth. */
export const SENSITIVE_KEY = /pass(word)?|token|secret|authorization|cookie|email|phone|md5|api[-_]?key|signature/i;

/**
 * A copy of `value` with every sensitive key's value replaced and every string scrubbed
 * (`scrubText`); depth-limited, cycles cut.
 */
export function scrubDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8 || seen.has(value)) return "[…]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEY.test(k) ? SCRUBBED : scrubDeep(v, depth + 1, seen);
  return out;
}
