import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { pendingConsents } from "@/server/auth/consent.public";
import { AppShell, type NavGroup, type NavItem } from "@/components/layout/app-shell";
import { PermissionsProvider } from "@/components/layout/permissions";
import { FlagsProvider } from "@/components/layout/flags";
import { workspaceFlags } from "@/server/dashboard/workspace-home";
import { hasPermission } from "@/lib/permissions";
import { workspaceMenu } from "@/lib/navigation";
import { ImpersonationBanner } from "@/components/layout/impersonation-banner";
import { SubscriptionBanner } from "@/components/billing/subscription-banner";
import { getImpersonation, getLocale, getSessionUser, getT, requireTenantMember } from "@/server/core/page-context";

/**
 * The signed-in workspace's frame (menu, banners, permissions and flags for its client code): the
 * layout of the home page, (home)/layout.tsx, and of every other workspace page, (workspace)/layout.tsx,
 * which adds the rest of the message catalog for them (the home carries only the shell's messages:
 * lib/i18n/catalogs.ts SHELL_MESSAGES; issue 13). Between the sections that layer persists.
 */
export async function WorkspaceShell({ children }: { children: ReactNode }) {
  const ctx = await requireTenantMember();
  // the flags' read starts beside the checks below
  const flags = workspaceFlags(ctx);
  flags.catch(() => undefined);
  const user = (await getSessionUser())!;
  // newer terms to accept before anything else (their procedures refuse until then)
  if (!user.impersonatorUserId && (await pendingConsents(user.userId)).length > 0) redirect("/accept-terms");
  // what a landlord needs first in the main list; advanced pages under "Settings and tools"
  const menu = workspaceMenu(ctx.permissions);
  const nav: NavItem[] = menu.main;
  const groups: NavGroup[] = [{ id: "settings", labelKey: "nav.settingsGroup", items: menu.settings }];
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
      <FlagsProvider flags={await flags}>
        <AppShell
          title={ctx.tenant.name}
          nav={nav}
          groups={groups}
          user={{ name: user.name, email: user.email, href: "/account" }}
          i18n={{ t: await getT(), locale: await getLocale() }}
        >
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
