// Registration points of a tenant page (CONTRIBUTING.md): its folder under app/(app)/t/[tenant]/(workspace),
// its entry in lib/navigation.ts, and the permission its page checks. Nothing else ties them
// together, so these cases do: a page without an entry, an entry without a page, or an entry shown to
// members its page refuses all fail here.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WORKSPACE_NAV, workspaceMenu, workspaceNav } from "@/lib/navigation";
import { ALL_PERMISSION_CODES, DEFAULT_ROLES, PERMISSIONS } from "@/lib/permissions";

const PERMISSION_CODES: readonly string[] = PERMISSIONS.map((p) => p.code);

const WORKSPACE = path.join(process.cwd(), "app/(app)/t/[tenant]/(workspace)");
// the home has its own layout group, (home), beside (workspace) (its messages: lib/i18n/catalogs.ts)
const pageOf = (href: string) => (href === "/" ? path.join(WORKSPACE, "../(home)/page.tsx") : path.join(WORKSPACE, href, "page.tsx"));
/** top-level pages reached from another page rather than from the menu */
const NOT_IN_MENU: readonly string[] = [];

describe("workspace navigation", () => {
  it.each(WORKSPACE_NAV.map((e) => [e.href, e] as const))("%s has a page", (href) => {
    expect(existsSync(pageOf(href)), pageOf(href)).toBe(true);
  });

  it("every top-level workspace page is in the menu", () => {
    const folders = readdirSync(WORKSPACE).filter(
      (f) => statSync(path.join(WORKSPACE, f)).isDirectory() && existsSync(path.join(WORKSPACE, f, "page.tsx")),
    );
    const inMenu = new Set(WORKSPACE_NAV.map((e) => e.href.split("/")[1]));
    expect(folders.filter((f) => !inMenu.has(f) && !NOT_IN_MENU.includes(f))).toEqual([]);
  });

  it.each(WORKSPACE_NAV.filter((e) => e.anyOf).map((e) => [e.href, e] as const))(
    "%s is shown exactly to members its page admits",
    (href, entry) => {
      const source = readFileSync(pageOf(href), "utf8");
      const checked = new Set([...source.matchAll(/"([a-z]+\.[a-z_]+)"/g)].map((m) => m[1]).filter((c) => PERMISSION_CODES.includes(c!)));
      for (const p of entry.anyOf!) expect([...checked], `${href} page checks ${p}`).toContain(p);
    },
  );

  it("shows a landlord's everyday pages first and groups the advanced ones under settings (issue 17)", () => {
    const owner = workspaceMenu(ALL_PERMISSION_CODES);
    expect(owner.main.map((e) => e.href)).toEqual([
      "/",
      "/properties",
      "/units",
      "/renters",
      "/contracts",
      "/readings",
      "/invoices",
      "/payments",
      "/account",
    ]);
    expect(owner.settings.map((e) => e.href)).toEqual([
      "/settings",
      "/members",
      "/roles",
      "/billing",
      "/messages",
      "/messages/templates",
      "/import",
      "/audit",
    ]);
    // nothing lost or doubled: the two lists are the filtered menu
    expect([...owner.main, ...owner.settings].map((e) => e.href).sort()).toEqual(
      workspaceNav(ALL_PERMISSION_CODES)
        .map((e) => e.href)
        .sort(),
    );
    // a manager's menu: the everyday pages, and the import under settings
    const manager = workspaceMenu(DEFAULT_ROLES.manager);
    expect(manager.main.map((e) => e.href)).toContain("/contracts");
    expect(manager.settings.map((e) => e.href)).toEqual(["/members", "/messages", "/import"]);
  });

  it("filters by permission", () => {
    expect(workspaceNav([]).map((e) => e.href)).toEqual(["/", "/account"]);
    expect(workspaceNav(["renters.manage"]).map((e) => e.href)).toEqual(["/", "/import", "/account"]);
    expect(workspaceNav(["messages.view"]).find((e) => e.href === "/messages")).toEqual({
      href: "/messages",
      labelKey: "messagesLog.nav",
      exact: true,
    });
  });
});
