// The workspace navigation: one declarative list, filtered by the member's permissions. A new
// tenant page gets its entry here; tests/unit/navigation.test.ts fails when an entry has no page,
// a top-level page has no entry, or an entry shows to members its page would refuse.
import type { MessageKey } from "@/lib/i18n";
import { hasPermission, type PermissionCode } from "@/lib/permissions";

export interface WorkspaceNavEntry {
  href: string;
  labelKey: MessageKey;
  /** shown when the member holds any of these; none = every member */
  anyOf?: readonly PermissionCode[];
  /** active only on exactly this path (for section roots) */
  exact?: boolean;
  /**
   * "settings": an advanced page, shown in the menu's "Settings and tools" group instead of the
   * main list (a new workspace's menu shows first what a landlord needs to run the rentals)
   */
  group?: "settings";
}

export const WORKSPACE_NAV: readonly WorkspaceNavEntry[] = [
  { href: "/", labelKey: "nav.dashboard" },
  { href: "/properties", labelKey: "properties.nav", anyOf: ["properties.view"] },
  { href: "/units", labelKey: "properties.unitsNav", anyOf: ["properties.view"] },
  { href: "/renters", labelKey: "renters.nav", anyOf: ["renters.view"] },
  { href: "/contracts", labelKey: "contracts.nav", anyOf: ["contracts.view"] },
  { href: "/readings", labelKey: "readings.nav", anyOf: ["properties.view"] },
  { href: "/invoices", labelKey: "invoices.nav", anyOf: ["invoices.view"] },
  { href: "/payments", labelKey: "rentPayments.list.nav", anyOf: ["invoices.view"] },
  { href: "/import", labelKey: "imports.nav", anyOf: ["renters.manage", "properties.manage"], group: "settings" },
  { href: "/members", labelKey: "nav.members", anyOf: ["members.view"], group: "settings" },
  { href: "/roles", labelKey: "nav.roles", anyOf: ["roles.manage"], group: "settings" },
  { href: "/audit", labelKey: "nav.audit", anyOf: ["audit.view"], group: "settings" },
  { href: "/billing", labelKey: "billing.nav", anyOf: ["billing.view"], group: "settings" },
  { href: "/messages", labelKey: "messagesLog.nav", anyOf: ["messages.view"], exact: true, group: "settings" },
  { href: "/messages/templates", labelKey: "templates.nav.workspace", anyOf: ["templates.manage"], group: "settings" },
  { href: "/settings", labelKey: "properties.settingsNav", anyOf: ["workspace.settings"], group: "settings" },
  { href: "/account", labelKey: "nav.account" },
];

export function workspaceNav(permissions: ReadonlySet<string> | readonly string[]) {
  return WORKSPACE_NAV.filter((e) => !e.anyOf || e.anyOf.some((p) => hasPermission(permissions, p))).map(({ href, labelKey, exact }) => ({
    href,
    labelKey,
    ...(exact ? { exact } : {}),
  }));
}

/** The order of the "Settings and tools" group: the workspace's settings first, then the rest. */
const SETTINGS_GROUP_ORDER = ["/settings", "/members", "/roles", "/billing", "/messages", "/messages/templates", "/import", "/audit"];

/**
 * The menu as the workspace shows it: the main list (what a landlord needs first, and the
 * account) and the "Settings and tools" group of advanced pages, each filtered by permission.
 */
export function workspaceMenu(permissions: ReadonlySet<string> | readonly string[]) {
  const grouped = new Set(WORKSPACE_NAV.filter((e) => e.group === "settings").map((e) => e.href));
  const nav = workspaceNav(permissions);
  return {
    main: nav.filter((e) => !grouped.has(e.href)),
    settings: nav
      .filter((e) => grouped.has(e.href))
      .sort((a, b) => SETTINGS_GROUP_ORDER.indexOf(a.href) - SETTINGS_GROUP_ORDER.indexOf(b.href)),
  };
}
