import Link from "next/link";
import type { Translator } from "@/lib/i18n/config";

const ITEMS = [
  { key: "home", href: "/renter" },
  { key: "invoices", href: "/renter/invoices" },
  { key: "receipts", href: "/renter/receipts" },
  { key: "contracts", href: "/renter/contracts" },
] as const;

/** The portal's sections as tabs (a row that scrolls sideways on a narrow phone). */
export function PortalNav({ t, current }: { t: Translator; current: (typeof ITEMS)[number]["key"] }) {
  return (
    <nav aria-label={t("portalPages.nav.label")} className="-mx-4 overflow-x-auto px-4" data-testid="portal-nav">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {ITEMS.map((item) => {
          const active = item.key === current;
          return (
            <li key={item.key}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                  active ? "border-teal-700 text-teal-800" : "border-transparent text-slate-600 hover:text-slate-900"
                }`}
                data-testid={`portal-nav-${item.key}`}
              >
                {t(`portalPages.nav.${item.key}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The frame of every portal page: a narrow column, phone first. */
export function PortalPage({ children, testId }: { children: React.ReactNode; testId: string }) {
  return (
    <main id="main" className="mx-auto w-full max-w-4xl space-y-5 px-4 py-5 sm:py-8" data-testid={testId}>
      {children}
    </main>
  );
}
