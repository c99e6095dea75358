"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";

/** A menu entry with its label already translated (by the server: components/layout/app-shell.tsx). */
export interface FrameLink {
  href: string;
  label: string;
  /** active only on exactly this path (for section roots such as / and /admin) */
  exact?: boolean;
}

export interface FrameGroup {
  id: string;
  label: string;
  items: FrameLink[];
}

/**
 * The signed-in frame's interactive part: the phone drawer's toggle and the menu's current entry
 * (which follows client navigations). Everything it shows comes translated from the server, so its
 * hydration runs no translator (issue 17, fast on phones); `actions` and `children` are server-rendered.
 */
export function ShellFrame({
  title,
  skipLabel,
  menuLabel,
  nav,
  groups,
  actions,
  children,
}: {
  title: string;
  skipLabel: string;
  menuLabel: string;
  nav: FrameLink[];
  groups: FrameGroup[];
  actions: ReactNode;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const isActive = (item: FrameLink) => (item.exact || item.href === "/" ? pathname === item.href : pathname.startsWith(item.href));

  const link = (item: FrameLink) => {
    const active = isActive(item);
    return (
      <Link
        key={item.href}
        href={item.href}
        onClick={() => setOpen(false)}
        aria-current={active ? "page" : undefined}
        className={`block rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-teal-50 text-teal-900" : "text-slate-700 hover:bg-slate-100"}`}
      >
        {item.label}
      </Link>
    );
  };

  return (
    <div className="min-h-screen bg-slate-50">
      <a href="#main" className="sr-only focus:not-sr-only">
        {skipLabel}
      </a>
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-2 px-3 sm:px-6">
          <div className="flex min-w-0 items-center gap-2">
            <button
              type="button"
              className="rounded-md p-2 text-slate-700 hover:bg-slate-100 md:hidden"
              aria-expanded={open}
              aria-controls="app-nav"
              onClick={() => setOpen((o) => !o)}
            >
              <span className="sr-only">{menuLabel}</span>
              <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
                <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="2" />
              </svg>
            </button>
            <span className="truncate font-semibold text-slate-900" data-testid="workspace-title">
              {title}
            </span>
          </div>
          <div className="flex items-center gap-1 sm:gap-3">{actions}</div>
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl gap-6 px-3 py-4 sm:px-6">
        <nav
          id="app-nav"
          aria-label={menuLabel}
          className={`${open ? "block" : "hidden"} fixed inset-x-0 top-14 z-10 max-h-[calc(100dvh-3.5rem)] overflow-y-auto border-b border-slate-200 bg-white p-3 md:static md:max-h-none md:overflow-visible md:block md:w-48 md:shrink-0 md:border-0 md:bg-transparent md:p-0`}
        >
          {nav.map(link)}
          {/* each group under its own heading, below the main entries (no folding: every page stays
              one tap away, with or without JavaScript) */}
          {groups
            .filter((g) => g.items.length > 0)
            .map((g) => (
              <div
                key={g.id}
                role="group"
                aria-labelledby={`nav-group-${g.id}`}
                className="mt-3 border-t border-slate-200 pt-3"
                data-testid={`nav-group-${g.id}`}
              >
                <p id={`nav-group-${g.id}`} className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
                  {g.label}
                </p>
                {g.items.map(link)}
              </div>
            ))}
        </nav>
        <main id="main" className="min-w-0 flex-1">
          {children}
        </main>
      </div>
    </div>
  );
}
