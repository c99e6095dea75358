import type { ReactNode } from "react";
import { AppShell, type NavItem } from "@/components/layout/app-shell";
import { PermissionsProvider } from "@/components/layout/permissions";
import { hasPermission } from "@/lib/permissions";
import { getSessionUser, requireTenantMember } from "@/server/page-context";

export default async function WorkspaceLayout({ children }: { children: ReactNode }) {
  const ctx = await requireTenantMember();
  const user = (await getSessionUser())!;
  const nav: NavItem[] = [{ href: "/", labelKey: "nav.dashboard" }];
  if (hasPermission(ctx.permissions, "members.view")) nav.push({ href: "/members", labelKey: "nav.members" });
  return (
    <PermissionsProvider permissions={[...ctx.permissions]}>
      <AppShell title={ctx.tenant.name} nav={nav} user={{ name: user.name, email: user.email }}>
        {children}
      </AppShell>
    </PermissionsProvider>
  );
}
