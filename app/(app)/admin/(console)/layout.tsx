import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { pendingConsents } from "@/server/auth/consent.public";
import { AppShell } from "@/components/layout/app-shell";
import { getLocale, getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const admin = await requirePlatformAdmin();
  // newer terms to accept before anything else (their procedures refuse until then)
  if ((await pendingConsents(admin.userId)).length > 0) redirect("/accept-terms");
  const t = await getT();
  return (
    <AppShell
      title={t("admin.title")}
      nav={[
        { href: "/admin", labelKey: "nav.tenants", exact: true },
        { href: "/admin/users", labelKey: "nav.users" },
        { href: "/admin/billing/plans", labelKey: "adminBilling.nav.plans" },
        { href: "/admin/billing/subscriptions", labelKey: "adminBilling.nav.subscriptions" },
        { href: "/admin/billing/invoices", labelKey: "adminBilling.nav.invoices" },
        { href: "/admin/billing/payments", labelKey: "adminBilling.nav.payments" },
        { href: "/admin/billing/webhooks", labelKey: "adminBilling.nav.webhooks" },
        { href: "/admin/messages", labelKey: "messagesLog.adminNav" },
        { href: "/admin/audit", labelKey: "nav.audit" },
        { href: "/admin/templates", labelKey: "templates.nav.console" },
        { href: "/admin/flags", labelKey: "nav.flags" },
        { href: "/admin/jobs", labelKey: "nav.jobs" },
        { href: "/admin/security", labelKey: "nav.security" },
      ]}
      user={{ name: admin.name, email: admin.email }}
      i18n={{ t, locale: await getLocale() }}
    >
      {children}
    </AppShell>
  );
}
