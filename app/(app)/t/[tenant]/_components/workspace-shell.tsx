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
import { readerI18n } from "@/server/core/reader-i18n";

/**
 * The signed-in workspace's frame (menu, banners, permissions and flags for its client code): the
 * layout of the home page, (home)/layout.tsx, and of every other workspace page, (workspace)/layout.tsx,
 * which gives them the translator and the tRPC client (server/core/app-providers.tsx); the home has
 * neither (issue 17). Its words are the server's; its islands get theirs as props.
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
  // the banners' words in the reader's language and digits: the home's JavaScript carries no translator (issue 17)
  const i18n = await readerI18n();
  return (
    <PermissionsProvider permissions={[...ctx.permissions]}>
      {impersonation ? (
        <ImpersonationBanner
          text={{
            message: i18n.t("team.impersonating", {
              admin: impersonation.adminEmail,
              user: impersonation.userName,
              time: i18n.fmt.time(impersonation.endsAt, "Asia/Phnom_Penh"),
            }),
            stop: i18n.t("team.stopImpersonating"),
            error: i18n.t("errors.errorBody"),
          }}
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
            graceEndsAt={ctx.plan.graceEndsAt}
            timeZone={ctx.tenant.timezone}
            canOpenBilling={hasPermission(ctx.permissions, "billing.view")}
            i18n={i18n}
          />
          {children}
        </AppShell>
      </FlagsProvider>
    </PermissionsProvider>
  );
}
