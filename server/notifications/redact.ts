import "server-only";
import { MESSAGE_CATALOG, isMessageKey } from "@/lib/notifications/catalog";

// Defence in depth for the message log: whatever a template did, the VALUES of a message's secret
// variables (single-use links) never reach a stored subject, text or error, nor what the log shows.
// The renderer already keeps secrets out of everything but a button's address; this catches the
// rest (a provider error quoting the message, rows written before the placement rule existed).

export const HIDDEN = "[hidden]";

/** Values shorter than this are not treated as secrets (a blank or a stray short string). */
const MIN_SECRET_LENGTH = 8;

/** The non-empty values of `key`'s secret variables, longest first. */
export function secretValues(key: string, variables: unknown): string[] {
  if (!isMessageKey(key) || typeof variables !== "object" || variables === null || Array.isArray(variables)) return [];
  const vars = variables as Record<string, unknown>;
  return MESSAGE_CATALOG[key].secrets
    .map((name) => vars[name])
    .filter((v): v is string => typeof v === "string" && v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/**
 * `variables` without `key`'s secret ones: what is kept of a message once its single-use links have
 * gone out (the rest still explains the log entry; the link itself is never stored again).
 */
export function withoutSecrets(key: string, variables: unknown): Record<string, unknown> {
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) return {};
  const secrets = new Set<string>(isMessageKey(key) ? MESSAGE_CATALOG[key].secrets : []);
  return Object.fromEntries(Object.entries(variables as Record<string, unknown>).filter(([name]) => !secrets.has(name)));
}

/** Every form a value may take in a rendered message: as is, percent-encoded, HTML-escaped, and its token. */
function forms(value: string): string[] {
  const out = new Set([value, encodeURIComponent(value), value.replace(/&/g, "&amp;")]);
  // the token of a link on its own (quoted, say, by a provider error that cut the address)
  try {
    for (const v of new URL(value).searchParams.values()) if (v.length >= MIN_SECRET_LENGTH) out.add(v);
  } catch {
    // not an address: the value itself is the secret
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of the given secret values replaced by "[hidden]". */
export function redactValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) for (const form of forms(value)) out = out.split(form).join(HIDDEN);
  return out;
}

/** An http(s) address in free text (up to whitespace, quotes or brackets). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>()[\]]+/gi;
/** A token-bearing query parameter anywhere (`?token=…`, `&code=…`). */
const TOKEN_PARAM = /([?&](?:token|code|key|secret|signature|sig)=)[^\s&"'<>()[\]]+/gi;

/**
 * Text of the message log as shown: the secret values when still known, every address in a
 * message of a key that carries secrets (its only link is the secret one; a row written before the
 * placement rule may have it anywhere), and any token-bearing query parameter in any message.
 */
export function redactLogText(key: string, text: string, variables?: unknown): string;
export function redactLogText(key: string, text: string | null, variables?: unknown): string | null;
export function redactLogText(key: string, text: string | null, variables?: unknown): string | null {
  if (text === null) return null;
  let out = redactValues(text, secretValues(key, variables));
  if (isMessageKey(key) && MESSAGE_CATALOG[key].secrets.length > 0) out = out.replace(URL_IN_TEXT, HIDDEN);
  return out.replace(TOKEN_PARAM, `$1${HIDDEN}`);
}
