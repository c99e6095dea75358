import type { ReactNode } from "react";

/** Centered card for sign-in, sign-up and password pages; comfortable from 360 px up. */
export function AuthCard({
  title,
  subtitle,
  children,
  header,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
  header: ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      {header}
      <main id="main" className="flex flex-1 items-start justify-center px-4 py-8 sm:items-center">
        <div className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
          <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-slate-600">{subtitle}</p> : null}
          <div className="mt-6">{children}</div>
        </div>
      </main>
    </div>
  );
}
