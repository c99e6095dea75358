// Issue 13, the workspace home (SSR): on a workspace's host the root layout hands the browser only
// the namespaces its shell and home read (lib/i18n/catalogs.ts SHELL_NAMESPACES); every other page
// of that host adds the rest of the catalog with its layout (server/core/rest-of-messages.tsx).
// A key a client component reads and does not get shows as the raw key: these tests look for that.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SHELL_MESSAGES, SHELL_NAMESPACES, clientMessagesFor, messagesFor, restOfMessages } from "@/lib/i18n";
import { I18nProvider, MessagesLayer, useI18n } from "@/lib/i18n/client";
import { ROOT, importClosure, messageAt as at, readSource as read } from "../support/imports";

const TENANT = "app/(app)/t/[tenant]";
/** what every page of a workspace's host renders in (layouts, boundaries), and the workspace home */
const SHELL_ENTRIES = [
  "app/(app)/layout.tsx",
  "app/(app)/error.tsx",
  "app/(app)/not-found.tsx",
  `${TENANT}/layout.tsx`,
  `${TENANT}/(home)/layout.tsx`,
  `${TENANT}/(home)/page.tsx`,
];
const NAMESPACES = new Set(Object.keys(messagesFor("en")));

/**
 * The project files the entries load, transitively. server/ modules translate on the server and
 * are not followed, but the home's data (server/dashboard/) is read: its client components render
 * what it returns.
 */
const closure = (entries: string[]) =>
  importClosure(entries, {
    reExports: true,
    keep: (file) => !file.startsWith("server/") || file.startsWith("server/dashboard/"),
    follow: (file) => !file.startsWith("server/"),
  });

/**
 * The message keys the files name ("ns.key" that is a message of the catalog) and the groups they
 * index into (`ns.group.${…}`), each with the files that do.
 */
function keysIn(files: Iterable<string>): { keys: Map<string, string[]>; groups: Map<string, string[]> } {
  const all = messagesFor("en");
  const keys = new Map<string, string[]>();
  const groups = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, file: string) => map.set(key, [...new Set([...(map.get(key) ?? []), file])]);
  for (const file of files) {
    const text = read(file);
    for (const m of text.matchAll(/["'`]([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)["'`]/g))
      if (NAMESPACES.has(m[1]!.split(".")[0]!) && typeof at(all, m[1]!) === "string") add(keys, m[1]!, file);
    for (const m of text.matchAll(/`([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)\.\$\{/g))
      if (NAMESPACES.has(m[1]!.split(".")[0]!)) add(groups, m[1]!, file);
  }
  return { keys, groups };
}

function pagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...pagesUnder(rel));
    else if (name === "page.tsx") out.push(rel);
  }
  return out;
}

/** a layout that wraps its pages in server/core/rest-of-messages.tsx (or is it) */
const isLayer = (layout: string) =>
  existsSync(path.join(ROOT, layout)) &&
  /from "@\/server\/core\/rest-of-messages"/.test(read(layout)) &&
  /<RestOfMessages>|^export \{ default \} from/m.test(read(layout));

describe("the messages a workspace's pages hand the browser", () => {
  it("the root layout gives every key the shell's and the home's code reads, in English and Khmer", () => {
    const files = closure(SHELL_ENTRIES);
    expect(files).toContain("components/layout/app-shell.tsx");
    expect(files).toContain("components/dashboard/dashboard-view.tsx");
    expect(files).toContain("lib/navigation.ts");
    const { keys, groups } = keysIn(files);
    expect(keys.size).toBeGreaterThan(40);
    expect(groups.size).toBeGreaterThan(1);
    for (const locale of ["en", "km"] as const) {
      const shell = clientMessagesFor(locale, "shell");
      expect(
        [...keys].filter(([key]) => typeof at(shell, key) !== "string"),
        locale,
      ).toEqual([]);
      expect(
        [...groups].filter(([group]) => {
          const here = at(shell, group);
          return typeof here !== "object" || JSON.stringify(here) !== JSON.stringify(at(messagesFor(locale), group));
        }),
        locale,
      ).toEqual([]);
    }
  });

  it("every other page of a workspace's host sits under a layout that adds the rest", () => {
    const pages = pagesUnder(TENANT).filter((p) => p !== `${TENANT}/(home)/page.tsx`);
    expect(pages.length).toBeGreaterThan(25);
    const uncovered = pages.filter((page) => {
      for (let dir = path.dirname(page); dir !== TENANT; dir = path.dirname(dir)) if (isLayer(`${dir}/layout.tsx`)) return false;
      return true;
    });
    expect(uncovered).toEqual([]);
    // and nothing between the root layout and those layers gives a partial catalog of its own
    expect(read(`${TENANT}/layout.tsx`)).not.toMatch(/MessagesLayer|RestOfMessages/);
    expect(read(`${TENANT}/(home)/layout.tsx`)).not.toMatch(/MessagesLayer|RestOfMessages/);
    expect(read(`${TENANT}/_components/workspace-shell.tsx`)).not.toMatch(/MessagesLayer|RestOfMessages/);
    // the sections share one layer, kept while the member moves between them
    expect(isLayer(`${TENANT}/(workspace)/layout.tsx`)).toBe(true);
  });

  it("shell and rest are the whole catalog, apart, and the shell is a fraction of it, in both languages", () => {
    for (const locale of ["en", "km"] as const) {
      const all = messagesFor(locale);
      const shell = clientMessagesFor(locale, "shell");
      const rest = restOfMessages(locale);
      expect(Object.keys(shell).filter((ns) => Object.hasOwn(rest, ns) === (SHELL_NAMESPACES as readonly string[]).includes(ns))).toEqual(
        [],
      );
      // a layer lays the rest's namespaces over the shell's whole (lib/i18n/client.tsx MessagesLayer)
      expect({ ...shell, ...rest }).toEqual(all);
      for (const p of SHELL_MESSAGES) expect(at(shell, p), p).toEqual(at(all, p));
      expect(clientMessagesFor(locale, null)).toBe(all);
      expect(JSON.stringify(shell).length).toBeLessThan(JSON.stringify(all).length / 3);
    }
  });

  it("a page's layer adds its messages on top of the root layout's, in the reader's language and digits", () => {
    function Probe() {
      const { t, fmt } = useI18n();
      return createElement("p", null, `${t("nav.dashboard")}|${t("invoices.title")}|${fmt.number(1500)}|${t("nosuch.key" as never)}`);
    }
    const render = (locale: "en" | "km", layered: boolean) =>
      renderToString(
        // eslint-disable-next-line react/no-children-prop -- createElement in a .ts file: the provider's props type requires children
        createElement(I18nProvider, {
          locale,
          digits: locale === "km" ? "khmr" : "latn",
          messages: clientMessagesFor(locale, "shell"),
          children: layered
            ? // eslint-disable-next-line react/no-children-prop -- as above
              createElement(MessagesLayer, { messages: restOfMessages(locale), children: createElement(Probe) })
            : createElement(Probe),
        }),
      );
    expect(render("en", true)).toContain(`${messagesFor("en").nav.dashboard}|${messagesFor("en").invoices.title}|1,500|nosuch.key`);
    expect(render("km", true)).toContain(`${messagesFor("km").nav.dashboard}|${messagesFor("km").invoices.title}|១,៥០០|`);
    // without the layer the shell has no invoices: the raw key (which the layer test above rules out)
    expect(render("en", false)).toContain("|invoices.title|");
  });
});
