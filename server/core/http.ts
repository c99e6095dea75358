import "server-only";
import { randomUUID } from "node:crypto";
import { isLocale, localeFromAcceptLanguage, DEFAULT_LOCALE, LOCALE_COOKIE, type Locale } from "@/lib/i18n";
import type { RequestMeta } from "@/server/core/request-meta";
import { CLIENT_IP_HEADER, isClientAddressServer } from "@/server/core/client-address.mjs";

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * The client address. In production server.mjs resolves it from the TCP peer (and, only when the
 * peer is a TRUSTED_PROXIES entry, from X-Forwarded-For) and passes it in CLIENT_IP_HEADER, which
 * it always replaces; nothing a client writes is believed. Without server.mjs (`next dev`, tests;
 * a production start refuses to run without it) the right-most X-Forwarded-For entry, which Next
 * sets from the socket when the header is absent but which a client can write: development only.
 */
export function clientIp(headers: Headers): string | null {
  if (isClientAddressServer()) return headers.get(CLIENT_IP_HEADER)?.slice(0, 64) || null;
  const xff = headers.get("x-forwarded-for");
  if (xff) {
    const parts = xff
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    const last = parts[parts.length - 1];
    if (last) return last.slice(0, 64);
  }
  return headers.get("x-real-ip")?.slice(0, 64) ?? null;
}

/** Node's request headers as Fetch `Headers` (repeated values joined with ", "), for what server.mjs answers before Next. */
export function fetchHeadersOf(node: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(node)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(", "));
  }
  return headers;
}

export function metaFromHeaders(headers: Headers): RequestMeta {
  return {
    ip: clientIp(headers),
    userAgent: headers.get("user-agent"),
    requestId: headers.get(REQUEST_ID_HEADER) ?? randomUUID(),
  };
}

/** A cookie's value from the Cookie header (undefined when absent or not decodable: a stray `%` is no crash). */
export function readCookie(headers: Headers, name: string): string | undefined {
  const raw = headers.get("cookie");
  if (!raw) return undefined;
  for (const part of raw.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The language switcher's cookie names a language: it outranks the signed-in user's saved one. */
export function hasLocaleCookie(headers: Headers): boolean {
  return isLocale(readCookie(headers, LOCALE_COOKIE));
}

/** Cookie (the language switcher) → Accept-Language → the workspace's language → English. */
export function localeFromHeaders(headers: Headers, fallback?: string): Locale {
  const fromCookie = readCookie(headers, LOCALE_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(headers.get("accept-language")) ?? (isLocale(fallback) ? fallback : DEFAULT_LOCALE);
}

/**
 * State-changing requests (tRPC mutations, session and upload route handlers) accept only
 * same-origin browser requests: an Origin naming this host, or, without Origin, a Sec-Fetch-Site
 * that is not another site or a sibling subdomain (clients that send neither, such as curl, pass:
 * they carry no victim's cookies).
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return false;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.get("host");
  } catch {
    return false;
  }
}
