import Link from "next/link";
import type { ReactNode } from "react";
import { LOCALES, type Locale, type MessageKey, type Translator } from "@/lib/i18n/config";
import { LanguageSelect } from "./language-select";
import { ShellFrame } from "./shell-frame";
import { SignOut } from "./sign-out";

export interface NavItem {
  href: string;
  labelKey: MessageKey;
  /** active only on exactly this path (for section roots such as / and /admin) */
  exact?: boolean;
}

/** A titled group of menu entries below the main ones (e.g. "Settings and tools"). */
export interface NavGroup {
  id: string;
  labelKey: MessageKey;
  items: NavItem[];
}

/**
 * The signed-in frame shared by the tenant workspace and the admin console; a drawer below 768 px.
 * A server component: it translates the menu, the header and its buttons' words on the server, and
 * the browser hydrates only the small islands that act (ShellFrame's drawer toggle and current
 * entry, the language select, the sign-out button) with no translator or message parsing (issue 17,
 * fast on phones). `i18n` is the page's translator and language (server/core/page-context getT, getLocale).
 */
export function AppShell({
  title,
  nav,
  groups = [],
  user,
  i18n: { t, locale },
  children,
}: {
  title: string;
  nav: NavItem[];
  /** advanced pages, listed under the main entries in titled groups (the same on phones) */
  groups?: NavGroup[];
  /** `href`: the user's own account page, where there is one (the workspace) */
  user: { name: string; email: string; href?: string };
  i18n: { t: Translator; locale: Locale };
  children: ReactNode;
}) {
  const links = (items: NavItem[]) => items.map((i) => ({ href: i.href, label: t(i.labelKey), ...(i.exact ? { exact: true } : {}) }));
  return (
    <ShellFrame
      title={title}
      skipLabel={t("app.skipToContent")}
      menuLabel={t("nav.menu")}
      nav={links(nav)}
      groups={groups.map((g) => ({ id: g.id, label: t(g.labelKey), items: links(g.items) }))}
      actions={
        <>
          <LanguageSelect locale={locale} label={t("app.language")} options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))} />
          {user.href ? (
            <Link
              href={user.href}
              title={user.email}
              className="hidden max-w-48 truncate rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 sm:inline"
              data-testid="user-menu"
            >
              {user.name}
            </Link>
          ) : (
            <span className="hidden max-w-48 truncate text-sm text-slate-600 sm:inline" data-testid="user-menu">
              {user.name}
            </span>
          )}
          <SignOut label={t("nav.signOut")} errorText={t("errors.network")} />
        </>
      }
    >
      {children}
    </ShellFrame>
  );
}
