import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getT } from "@/server/core/page-context";
import { currentRenterChoices, requireRenter } from "@/server/portal/renter-session";
import { chooseRenter } from "@/server/portal/renter-auth-actions";
import { PortalPage } from "../_components/portal-page";

// /renter/choose: when renters of the workspace share a phone number or e-mail (one who rented twice,
// a family), the sign-in's code proved each renter whose own address it reached; the person chooses
// which one to open (names only, and only after the code was verified: docs/RENTER_PORTAL.md).
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("renterPortal.choose.title") };
}

export default async function RenterChoosePage({ searchParams }: { searchParams: Promise<{ failed?: string }> }) {
  await requireRenter();
  const [t, choices, { failed }] = await Promise.all([getT(), currentRenterChoices(), searchParams]);
  if (choices.length < 2) redirect("/renter");
  return (
    <PortalPage testId="renter-choose">
      <div>
        <h1 className="text-2xl font-semibold">{t("renterPortal.choose.title")}</h1>
        <p className="text-sm text-slate-600">{t("renterPortal.choose.intro")}</p>
      </div>
      {failed ? (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
          {t("renterPortal.choose.failed")}
        </p>
      ) : null}
      <ul className="space-y-2">
        {choices.map((c) => (
          <li key={c.id}>
            <form action={chooseRenter}>
              <input type="hidden" name="renterId" value={c.id} />
              <button
                type="submit"
                aria-label={t("renterPortal.choose.openName", { name: c.name })}
                className="flex min-h-12 w-full items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 text-left font-medium text-slate-900 hover:border-teal-700 hover:bg-teal-50"
                data-testid="renter-choice"
              >
                <span className="min-w-0 truncate">{c.name}</span>
                {c.current ? <span className="shrink-0 text-sm font-normal text-teal-800">{t("renterPortal.choose.current")}</span> : null}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </PortalPage>
  );
}
