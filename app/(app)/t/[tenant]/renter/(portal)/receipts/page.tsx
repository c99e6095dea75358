import type { Metadata } from "next";
import { getScope, getT } from "@/server/core/page-context";
import { requireRenter } from "@/server/portal/renter-session";
import { renterReceipts } from "@/server/portal/portal-queries";
import { PortalPage } from "../_components/portal-page";
import { PortalReceiptsList } from "../_components/receipts-list";
import { receiptListRow } from "../_components/rows";

// /renter/receipts: one receipt per payment, newest first, keyset-paged, each with its PDF.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("portalPages.receipts.title") };
}

export default async function RenterReceiptsPage() {
  const renter = await requireRenter();
  const t = await getT();
  const scope = await getScope();
  const timeZone = scope?.kind === "tenant" ? scope.tenant.timezone : "Asia/Phnom_Penh";
  const first = await renterReceipts(renter);
  return (
    <PortalPage testId="renter-receipts">
      <div>
        <h1 className="text-2xl font-semibold">{t("portalPages.receipts.title")}</h1>
        <p className="text-sm text-slate-600">{t("portalPages.receipts.intro")}</p>
      </div>
      <PortalReceiptsList first={{ items: first.items.map(receiptListRow), nextCursor: first.nextCursor }} timeZone={timeZone} />
    </PortalPage>
  );
}
