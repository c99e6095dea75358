import type { Metadata } from "next";
import { getT } from "@/server/core/page-context";
import { requireRenter } from "@/server/portal/renter-session";
import { renterInvoices } from "@/server/portal/portal-queries";
import { PortalPage } from "../_components/portal-page";
import { PortalInvoicesList } from "../_components/invoices-list";
import { invoiceListRow } from "../_components/rows";

// /renter/invoices: every invoice of the renter's contracts, newest first, keyset-paged.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("portalPages.invoices.title") };
}

export default async function RenterInvoicesPage() {
  const renter = await requireRenter();
  const t = await getT();
  const first = await renterInvoices(renter);
  return (
    <PortalPage testId="renter-invoices">
      <div>
        <h1 className="text-2xl font-semibold">{t("portalPages.invoices.title")}</h1>
        <p className="text-sm text-slate-600">{t("portalPages.invoices.intro")}</p>
      </div>
      <PortalInvoicesList first={{ items: first.items.map(invoiceListRow), nextCursor: first.nextCursor }} />
    </PortalPage>
  );
}
