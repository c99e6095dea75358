import "server-only";
import { randomUUID } from "node:crypto";
import { isLocale, localeFromAcceptLanguage, DEFAULT_LOCALE, LOCALE_COOKIE, type Locale } from "@/lib/i18n";
import type { RequestMeta } from "@/server/services/request-meta";

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * The client address: the right-most X-Forwarded-For entry, i.e. the one appended by the
 * nearest proxy (Next's own server or the load balancer), which a client cannot forge.
 */
export function clientIp(headers: Headers): string | null {
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

export function metaFromHeaders(headers: Headers): RequestMeta {
  return {
    ip: clientIp(headers),
    userAgent: headers.get("user-agent"),
    requestId: headers.get(REQUEST_ID_HEADER) ?? randomUUID(),
  };
}

function readCookie(headers: Headers, name: string): string | undefined {
  const raw = headers.get("cookie");
  if (!raw) return undefined;
  for (const part of raw.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** Cookie (the language switcher) → Accept-Language → the workspace's language → English. */
export function localeFromHeaders(headers: Headers, fallback?: string): Locale {
  const fromCookie = readCookie(headers, LOCALE_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(headers.get("accept-language")) ?? (isLocale(fallback) ? fallback : DEFAULT_LOCALE);
}

/** State-changing route handlers accept only same-origin browser requests. */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") !== "cross-site";
  try {
    return new URL(origin).host === request.headers.get("host");
  } catch {
    return false;
  }
}
