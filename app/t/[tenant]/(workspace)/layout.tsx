import type { ReactNode } from "react";
import { AppShell, type NavItem } from "@/components/layout/app-shell";
import { PermissionsProvider } from "@/components/layout/permissions";
import { FlagsProvider } from "@/components/layout/flags";
import { enabledFlags } from "@/server/flags/feature-flags";
import { hasPermission } from "@/lib/permissions";
import { ImpersonationBanner } from "@/components/layout/impersonation-banner";
import { SubscriptionBanner } from "@/components/billing/subscription-banner";
import { getImpersonation, getSessionUser, requireTenantMember } from "@/server/core/page-context";

export default async function WorkspaceLayout({ children }: { children: ReactNode }) {
  const ctx = await requireTenantMember();
  const user = (await getSessionUser())!;
  const nav: NavItem[] = [{ href: "/", labelKey: "nav.dashboard" }];
  if (hasPermission(ctx.permissions, "properties.view")) {
    nav.push({ href: "/properties", labelKey: "properties.nav" }, { href: "/units", labelKey: "properties.unitsNav" });
  }
  if (hasPermission(ctx.permissions, "renters.view")) nav.push({ href: "/renters", labelKey: "renters.nav" });
  if (hasPermission(ctx.permissions, "contracts.view")) nav.push({ href: "/contracts", labelKey: "contracts.nav" });
  if (hasPermission(ctx.permissions, "properties.view")) nav.push({ href: "/readings", labelKey: "readings.nav" });
  if (hasPermission(ctx.permissions, "invoices.view")) {
    nav.push({ href: "/invoices", labelKey: "invoices.nav" }, { href: "/payments", labelKey: "rentPayments.list.nav" });
  }
  if (hasPermission(ctx.permissions, "renters.manage") || hasPermission(ctx.permissions, "properties.manage")) {
    nav.push({ href: "/import", labelKey: "imports.nav" });
  }
  if (hasPermission(ctx.permissions, "members.view")) nav.push({ href: "/members", labelKey: "nav.members" });
  if (hasPermission(ctx.permissions, "roles.manage")) nav.push({ href: "/roles", labelKey: "nav.roles" });
  if (hasPermission(ctx.permissions, "audit.view")) nav.push({ href: "/audit", labelKey: "nav.audit" });
  if (hasPermission(ctx.permissions, "billing.view")) nav.push({ href: "/billing", labelKey: "billing.nav" });
  if (hasPermission(ctx.permissions, "messages.view")) nav.push({ href: "/messages", labelKey: "messagesLog.nav", exact: true });
  if (hasPermission(ctx.permissions, "templates.manage")) nav.push({ href: "/messages/templates", labelKey: "templates.nav.workspace" });
  if (hasPermission(ctx.permissions, "workspace.settings")) nav.push({ href: "/settings", labelKey: "properties.settingsNav" });
  nav.push({ href: "/account", labelKey: "nav.account" });
  const impersonation = await getImpersonation();
  return (
    <PermissionsProvider permissions={[...ctx.permissions]}>
      {impersonation ? (
        <ImpersonationBanner
          adminEmail={impersonation.adminEmail}
          userName={impersonation.userName}
          endsAt={impersonation.endsAt.toISOString()}
        />
      ) : null}
      <FlagsProvider flags={await enabledFlags(ctx.tenantId)}>
        <AppShell title={ctx.tenant.name} nav={nav} user={{ name: user.name, email: user.email, href: "/account" }}>
          <SubscriptionBanner
            status={ctx.plan.status}
            graceEndsAt={ctx.plan.graceEndsAt?.toISOString() ?? null}
            timeZone={ctx.tenant.timezone}
            canOpenBilling={hasPermission(ctx.permissions, "billing.view")}
          />
          {children}
        </AppShell>
      </FlagsProvider>
    </PermissionsProvider>
  );
}
