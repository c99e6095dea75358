import Link from "next/link";
import { getEnv } from "@/env";
import { getT } from "@/server/core/page-context";
import { PublicHeader } from "@/components/layout/public-header";

export default async function LandingPage() {
  const t = await getT();
  const features = [
    ["marketing.feature1Title", "marketing.feature1Body"],
    ["marketing.feature2Title", "marketing.feature2Body"],
    ["marketing.feature3Title", "marketing.feature3Body"],
  ] as const;
  return (
    <div className="min-h-screen bg-white">
      <PublicHeader />
      <main id="main" className="mx-auto max-w-6xl px-4 py-12 sm:py-20">
        <h1 className="max-w-3xl text-3xl font-bold tracking-tight text-slate-900 sm:text-5xl">{t("marketing.heroTitle")}</h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-600">{t("marketing.heroBody")}</p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/signup" className="rounded-lg bg-teal-700 px-5 py-3 font-medium text-white hover:bg-teal-800">
            {t("marketing.cta")}
          </Link>
        </div>
        <p className="mt-4 text-sm text-slate-500">{t("marketing.haveWorkspace", { root: getEnv().APP_ROOT_DOMAIN })}</p>
        <div className="mt-12 grid gap-4 sm:grid-cols-3">
          {features.map(([title, body]) => (
            <section key={title} className="rounded-xl border border-slate-200 p-5">
              <h2 className="font-semibold text-slate-900">{t(title)}</h2>
              <p className="mt-1 text-sm text-slate-600">{t(body)}</p>
            </section>
          ))}
        </div>
      </main>
    </div>
  );
}
