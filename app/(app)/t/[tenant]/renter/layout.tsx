import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getScope, getT } from "@/server/core/page-context";
import { currentRenter } from "@/server/portal/renter-session";
import { renterProfile } from "@/server/portal/renter-auth";
import { RenterLanguageSwitch, RenterSignOut } from "./renter-header-controls";
import AppProviders from "@/server/core/app-providers";

// The renter portal's shell, phone first (docs/RENTER_PORTAL.md): the workspace's name, and for a
// signed-in renter their name, the portal's links and sign-out. /renter/login shares the header;
// the (portal) group's layout is the guard.
export default async function RenterLayout({ children }: { children: ReactNode }) {
  const scope = await getScope();
  if (scope?.kind !== "tenant") notFound();
  const t = await getT();
  const renter = await currentRenter();
  const profile = renter ? await renterProfile(renter) : null;
  const links = [
    { href: "/renter", label: t("renterPortal.nav.home") },
    { href: "/renter/invoices", label: t("renterPortal.nav.invoices") },
    { href: "/renter/receipts", label: t("renterPortal.nav.receipts") },
    { href: "/renter/contracts", label: t("portalPages.nav.contracts") },
    { href: "/renter/settings", label: t("renterPortal.nav.settings") },
    // the sign-in proved more than one renter (a shared phone or e-mail): the chooser
    ...(renter?.canSwitch ? [{ href: "/renter/choose", label: t("renterPortal.nav.switch") }] : []),
  ];
  // the translator and the tRPC client for the portal's client components (server/core/app-providers.tsx)
  return (
    <AppProviders>
      <div className="flex min-h-screen flex-col bg-slate-50">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-3xl items-center justify-between gap-3 px-4 py-3">
            <div className="min-w-0">
              <p className="truncate text-base font-semibold text-slate-900" data-testid="renter-workspace">
                {scope.tenant.name}
              </p>
              <p className="truncate text-sm text-slate-600" data-testid="renter-name">
                {profile ? profile.name : t("renterPortal.title")}
              </p>
            </div>
            <div className="flex shrink-0 items-center gap-1">
              <RenterLanguageSwitch />
              {profile ? <RenterSignOut /> : null}
            </div>
          </div>
          {profile ? (
            <nav aria-label={t("renterPortal.nav.label")} className="mx-auto max-w-3xl overflow-x-auto px-2">
              <ul className="flex gap-1 text-sm">
                {links.map((l) => (
                  <li key={l.href}>
                    <Link
                      href={l.href}
                      className="inline-flex min-h-10 items-center rounded-t-lg px-3 font-medium text-slate-700 hover:bg-slate-100"
                    >
                      {l.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col">{children}</div>
      </div>
    </AppProviders>
  );
}
