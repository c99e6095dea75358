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
  { href: "/import", labelKey: "imports.nav", anyOf: ["renters.manage", "properties.manage"] },
  { href: "/members", labelKey: "nav.members", anyOf: ["members.view"] },
  { href: "/roles", labelKey: "nav.roles", anyOf: ["roles.manage"] },
  { href: "/audit", labelKey: "nav.audit", anyOf: ["audit.view"] },
  { href: "/billing", labelKey: "billing.nav", anyOf: ["billing.view"] },
  { href: "/messages", labelKey: "messagesLog.nav", anyOf: ["messages.view"], exact: true },
  { href: "/messages/templates", labelKey: "templates.nav.workspace", anyOf: ["templates.manage"] },
  { href: "/settings", labelKey: "properties.settingsNav", anyOf: ["workspace.settings"] },
  { href: "/account", labelKey: "nav.account" },
];

export function workspaceNav(permissions: ReadonlySet<string> | readonly string[]) {
  return WORKSPACE_NAV.filter((e) => !e.anyOf || e.anyOf.some((p) => hasPermission(permissions, p))).map(({ href, labelKey, exact }) => ({
    href,
    labelKey,
    ...(exact ? { exact } : {}),
  }));
}
