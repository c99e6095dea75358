import "server-only";
import { TenantDb } from "@/server/db/tenant-db";
import type { TenantSummary } from "@/server/core/host-scope";
import type { RequestMeta } from "@/server/core/request-meta";
import { RentPayPageService } from "@/server/rent-invoices/pay-page.public";
import { ReceiptService, type ReceiptDocument } from "./receipts";

// The receipt PDF behind the link of the rent.receipt message (/pay/<token>/receipts/<payment>):
// no session, the invoice's pay token is the key. The token is looked up (and throttled) as a pay
// page view; only a payment of that invoice is found. Everything else is the same NOT_FOUND.
export async function receiptForPayLink(
  tenant: TenantSummary,
  meta: RequestMeta,
  token: string,
  paymentId: string,
): Promise<ReceiptDocument> {
  const invoiceId = await new RentPayPageService(tenant, meta).invoiceIdOf(token);
  return new ReceiptService({ db: new TenantDb(tenant.id) }).document(paymentId, { invoiceId });
}
