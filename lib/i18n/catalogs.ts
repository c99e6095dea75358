// Both catalogs. Server-only: a browser gets the active locale's messages from its page's layout
// (server/core/app-providers.tsx, NextIntlClientProvider), never this module, so importing it from a client component fails
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

/** `messages` completed from English, for callers holding a catalog of their own. */
export function completeFromEnglish(messages: unknown): Messages {
  return messages === en ? en : messages === km ? complete.km : fillFrom(en, messages);
}
