import Link from "next/link";
import { getT } from "@/server/core/page-context";

/** The 404 page's content: both root layouts' not-found.tsx and app/global-not-found.tsx (unmatched URLs). */
export async function NotFoundPanel() {
  const t = await getT();
  return (
    <main id="main" className="flex min-h-screen flex-col items-center justify-center gap-3 bg-slate-50 px-4 text-center">
      <p className="text-5xl font-bold text-teal-800">404</p>
      <h1 className="text-2xl font-semibold" data-testid="not-found">
        {t("errors.notFoundTitle")}
      </h1>
      <p className="max-w-md text-slate-600">{t("errors.notFoundBody")}</p>
      <Link href="/" className="text-teal-800 underline">
        {t("errors.goHome")}
      </Link>
    </main>
  );
}
