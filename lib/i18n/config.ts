// The part of i18n that both sides share and that carries no catalog: the locales, the
// cookie and the key types (no runtime import: the workspace home's islands read the cookie's
// name from here and load no i18n library). Client components import from here
// (or use `@/lib/i18n/client`); `@/lib/i18n` itself holds the catalogs and is server-only, so
// a browser receives only the active locale's messages, through NextIntlClientProvider.
import type { en } from "./messages/en";

export const LOCALES = ["km", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "phteah-locale";
/** Dates without an explicit zone are shown in Phnom Penh time. */
export const DEFAULT_TIME_ZONE = "Asia/Phnom_Penh";

export type Messages = typeof en;

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<Messages>;

export type TranslateParams = Record<string, string | number>;

export type Translator = (key: MessageKey, params?: TranslateParams) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Picks km or en from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const tag = part.split(";")[0]?.trim().toLowerCase() ?? "";
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

/** The message at a dotted key, or undefined when there is none (or it is a group of messages). */
export function lookup(messages: unknown, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** `{name}` filled from params, anything else left as written (the pre-ICU behaviour). */
export function substitute(template: string, params?: TranslateParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : m));
}

/** Wraps a next-intl translator in the app's `t(key, params)`, with the fallback above. */
export function withParams(messages: unknown, translate: (key: string, params?: TranslateParams) => string): Translator {
  return (key, params) => {
    const out = translate(key, params);
    // unformattable: next-intl fell back to the message as written
    return params && out === lookup(messages, key) ? substitute(out, params) : out;
  };
}
