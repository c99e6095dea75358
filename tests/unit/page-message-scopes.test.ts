// Issues 13 and 17: the workspace home (the page most requests render) carries no message catalog and
// no translator: its words are translated on the server, its client islands get theirs as props. Every
// other page gets the translator with the reader's whole catalog, and the tRPC client, from its own
// layout (server/core/app-providers.tsx). A client component that reads a key with no provider above it
// fails; a page outside such a layout would show raw keys: these tests look for both.
import { readdirSync, statSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, importClosure, readSource as read } from "../support/imports";

const APP = "app/(app)";
const TENANT = `${APP}/t/[tenant]`;
const HOME = `${TENANT}/(home)/page.tsx`;

function pagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...pagesUnder(rel));
    else if (name === "page.tsx") out.push(rel);
  }
  return out;
}

/** a layout that wraps its pages in server/core/app-providers.tsx (or is it) */
const givesProviders = (layout: string) =>
  existsSync(path.join(ROOT, layout)) &&
  /from "@\/server\/core\/app-providers"/.test(read(layout)) &&
  /<AppProviders>|^export \{ default \} from "@\/server\/core\/app-providers";$/m.test(read(layout));

/** the layouts from a page's folder up to the root layout's */
function layoutsAbove(page: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(page); dir.startsWith(APP); dir = path.dirname(dir)) out.push(`${dir}/layout.tsx`);
  return out;
}

describe("where the browser gets its translator", () => {
  it("every page but the workspace home sits under a layout that gives the translator and the tRPC client", () => {
    const pages = pagesUnder(APP).filter((p) => p !== HOME);
    expect(pages.length).toBeGreaterThan(60);
    expect(pages.filter((page) => !layoutsAbove(page).some(givesProviders))).toEqual([]);
    // the workspace's sections share one, kept while the member moves between them
    expect(givesProviders(`${TENANT}/(workspace)/layout.tsx`)).toBe(true);
  });

  it("the workspace home and every layout above it give none, and import none", () => {
    expect(layoutsAbove(HOME).filter(givesProviders)).toEqual([]);
    // what the home's segments load in the browser: their modules, server components and client islands
    // alike (a segment's client modules are downloaded with every page under it), and the error and
    // not-found boundaries every page sits in
    const modules = importClosure(
      [...layoutsAbove(HOME).filter((l) => existsSync(path.join(ROOT, l))), HOME, `${APP}/error.tsx`, `${APP}/not-found.tsx`],
      {
        keep: (f) => !f.startsWith("server/") || f === "server/core/reader-i18n.ts",
        // server-only modules (the catalogs, the server's translator) never reach the browser
        follow: (f) => !f.startsWith("server/") && !/^import "server-only";$/m.test(read(f)),
        specifiers: true,
      },
    );
    expect(modules).toContain("components/layout/error-panel.tsx");
    expect(modules).toContain("components/billing/subscription-banner.tsx");
    expect(
      [...modules].filter((m) => /^(@\/)?lib\/i18n\/client|^next-intl|^use-intl|^intl-messageformat|server\/core\/app-providers/.test(m)),
    ).toEqual([]);
  });

  it("the provider gives the reader's whole catalog and digits", () => {
    const source = read("server/core/app-providers.tsx");
    expect(source).toMatch(/<I18nProvider locale=\{locale\} digits=\{digits\} messages=\{messagesFor\(locale\)\}>\s*<TRPCReactProvider>/);
    // the digits of the reader's cookie, read as the home's server-side translator reads them
    expect(source).toMatch(/const digits = await readerDigits\(\);/);
    expect(read("server/core/reader-i18n.ts")).toMatch(/\.get\(DIGITS_COOKIE\)/);
  });
});
