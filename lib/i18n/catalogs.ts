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
 * The messages (namespaces, or paths inside one) the root layout (app/(app)/layout.tsx) hands to
 * the browser on a workspace's host: what the client components of the layouts every workspace page sits in (the app shell,
 * banners, the closed and suspended notices, the error boundary) and of the workspace home read,
 * plus the errors any tRPC call may show. Every other page of the workspace's host adds the rest of
 * the catalog with its own layout (server/core/rest-of-messages.tsx, `restOfMessages`): layouts
 * persist across client navigation, so what the root layout gives must be the same for every page.
 * The home page is the one most requests render (issue 13: it carried ~115 KB in English and
 * ~250 KB in Khmer of every screen's messages). tests/unit/page-message-scopes.test.ts checks that
 * every key those components read is here and that every other page gets the rest.
 */
export const SHELL_MESSAGES = [
  "app",
  "locale",
  "nav",
  "common",
  "errors",
  "validation",
  "roles",
  "workspace",
  "dashboard",
  "onboarding",
  "workspaceDeletion",
  "billing.banner",
  "team.impersonating",
  "team.stopImpersonating",
  "flags.whatsNew",
  // the menu's entries (lib/navigation.ts)
  "properties.nav",
  "properties.unitsNav",
  "properties.settingsNav",
  "renters.nav",
  "contracts.nav",
  "readings.nav",
  "invoices.nav",
  "rentPayments.list.nav",
  "imports.nav",
  "billing.nav",
  "messagesLog.nav",
  "templates.nav.workspace",
] as const;

/** The messages at `paths` (a namespace, or a dotted path inside one), nested as in the catalog. */
function pickPaths(all: Messages, paths: readonly string[]): Messages {
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const parts = p.split(".");
    let from: unknown = all;
    let to = out;
    parts.forEach((part, i) => {
      from = (from as Record<string, unknown>)[part];
      if (i === parts.length - 1) to[part] = from;
      else to = (to[part] ??= {}) as Record<string, unknown>;
    });
  }
  return out as unknown as Messages;
}

/** The namespaces the shell has whole (the rest's layers give the others whole, a few keys again). */
export const SHELL_NAMESPACES = SHELL_MESSAGES.filter((p) => !p.includes("."));

const whole = new Set<string>(SHELL_NAMESPACES);
const shellMessages: Record<Locale, Messages> = {
  en: pickPaths(complete.en, SHELL_MESSAGES),
  km: pickPaths(complete.km, SHELL_MESSAGES),
};
const restMessages: Record<Locale, Messages> = {
  en: pickPaths(
    complete.en,
    Object.keys(complete.en).filter((ns) => !whole.has(ns)),
  ),
  km: pickPaths(
    complete.km,
    Object.keys(complete.km).filter((ns) => !whole.has(ns)),
  ),
};

/** What the root layout gives the browser: the shell's namespaces on a workspace's host, else the whole catalog. */
export function clientMessagesFor(locale: Locale, scope: "shell" | null): Messages {
  return scope === "shell" ? shellMessages[locale] : messagesFor(locale);
}

/** The namespaces of the catalog the shell does not have whole (a page layer's part). */
export function restOfMessages(locale: Locale): Messages {
  return restMessages[locale];
}

/** `messages` completed from English, for callers holding a catalog of their own. */
export function completeFromEnglish(messages: unknown): Messages {
  return messages === en ? en : messages === km ? complete.km : fillFrom(en, messages);
}
