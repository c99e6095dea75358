// Both catalogs. Server-only: a browser gets the active locale's messages from the root layout
// (NextIntlClientProvider), never this module, so importing it from a client component fails
// the build instead of shipping both languages.
import "server-only";
import { en } from "./messages/en";
import { km } from "./messages/km";
import type { Locale, Messages } from "./config";

export const catalogs: Record<Locale, Messages> = { en, km };

/** `base` with every message of `over` on top: a key missing in `over` keeps base's message. */
function fillFrom<T>(base: T, over: unknown): T {
  if (typeof base === "string") return (typeof over === "string" && over.trim() !== "" ? over : base) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base as Record<string, unknown>)) {
    const o = typeof over === "object" && over !== null ? (over as Record<string, unknown>)[k] : undefined;
    out[k] = fillFrom(v, o);
  }
  return out as T;
}

const complete: Record<Locale, Messages> = { en, km: fillFrom(en, km) };

/** The messages of one locale, English where that locale lacks a message. */
export function messagesFor(locale: Locale): Messages {
  return complete[locale];
}

/**
 * The namespaces a page group's browser code uses, for groups that need few: every other page
 * gets the whole catalog. The renter's pay page is one invoice on a phone: its client components
 * (components/payments/pay-page.tsx and what it renders, the error panel) read only these, so it
 * does not ship the ~95 KB (English) / ~200 KB (Khmer) of every workspace screen's messages.
 */
export const PAGE_MESSAGE_SCOPES = {
  pay: ["app", "locale", "common", "errors", "validation", "payPage", "files", "billing"],
} as const satisfies Record<string, ReadonlyArray<keyof Messages>>;

export type PageMessageScope = keyof typeof PAGE_MESSAGE_SCOPES;

export function isPageMessageScope(value: unknown): value is PageMessageScope {
  return typeof value === "string" && Object.hasOwn(PAGE_MESSAGE_SCOPES, value);
}

/** The messages a page group's browser code needs (the whole catalog without a scope). */
export function clientMessagesFor(locale: Locale, scope: PageMessageScope | null): Messages {
  const all = messagesFor(locale);
  if (!scope) return all;
  return Object.fromEntries(PAGE_MESSAGE_SCOPES[scope].map((ns) => [ns, all[ns]])) as unknown as Messages;
}

/** `messages` completed from English, for callers holding a catalog of their own. */
export function completeFromEnglish(messages: unknown): Messages {
  return messages === en ? en : messages === km ? complete.km : fillFrom(en, messages);
}
