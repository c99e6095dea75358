import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getScope, getT } from "@/server/core/page-context";
import { currentRenter } from "@/server/portal/renter-session";
import { RenterLoginForm } from "./login-form";

// /renter/login on the workspace host: sign-in with a one-time code, no password (docs/RENTER_PORTAL.md).
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("renterPortal.login.title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function RenterLoginPage() {
  const scope = await getScope();
  if (scope?.kind !== "tenant") notFound();
  if (await currentRenter()) redirect("/renter");
  const t = await getT();
  return (
    <main id="main" className="flex flex-1 items-start justify-center px-4 py-8 sm:items-center">
      <div className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-semibold text-slate-900">{t("renterPortal.login.title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("renterPortal.login.subtitle", { workspace: scope.tenant.name })}</p>
        <div className="mt-6">
          <RenterLoginForm workspace={scope.tenant.name} />
        </div>
      </div>
    </main>
  );
}
