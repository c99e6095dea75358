import "server-only";
import { renderRentPdf } from "@/server/pdf/rent-pdf";
import { renderReceiptPdf } from "@/server/pdf/receipt-pdf";
import { hasPaymentInstructions, readPaymentInstructions } from "@/server/workspaces/payment-instructions";
import type { TenantSummary } from "@/server/core/host-scope";
import { TenantDb } from "@/server/db/tenant-db";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { isOpenRentInvoice } from "@/lib/rentals/invoice-state";
import type { Locale } from "@/lib/i18n";
import type { RenterScope } from "./renter-session";
import { renterInvoiceDocument, renterReceiptDocument } from "./portal-queries";

// The renter's PDF downloads (the routes /renter/invoices/<id>/pdf and /renter/receipts/<id>/pdf
// check the renter session first). null: not one of this renter's (unknown, a draft, another
// renter's, another workspace's: the routes answer the same 404 for each, so an id's existence
// never leaks).

export interface PortalPdf {
  pdf: Buffer;
  filename: string;
}

/**
 * The invoice PDF, with the pay link's QR code and the workspace's cash and transfer instructions
 * while money is due. No KHQR attempt is made by a download (the pay page makes one when the
 * renter pays there).
 */
export async function renterInvoicePdf(
  scope: RenterScope,
  tenant: TenantSummary,
  invoiceId: string,
  locale: Locale,
): Promise<PortalPdf | null> {
  const data = await renterInvoiceDocument(scope, invoiceId);
  if (!data) return null;
  const open = isOpenRentInvoice(data.status) ? Math.max(0, data.total - data.amountPaid) : 0;
  const instructions = await new TenantDb(scope.tenantId).run((tx) => readPaymentInstructions(tx, scope.tenantId));
  const pay = {
    open,
    currency: data.currency,
    khqr: null,
    payUrl: open > 0 && data.payToken ? payLinkFor(tenant.slug, data.payToken) : null,
    instructions: hasPaymentInstructions(instructions) ? instructions : null,
  };
  return { pdf: await renderRentPdf(data, "invoice", locale, tenant, pay), filename: `${data.number}.pdf` };
}

/** The receipt PDF of one of the renter's payments. */
export async function renterReceiptPdf(
  scope: RenterScope,
  tenant: TenantSummary,
  paymentId: string,
  locale: Locale,
): Promise<PortalPdf | null> {
  const data = await renterReceiptDocument(scope, paymentId);
  if (!data) return null;
  return { pdf: await renderReceiptPdf(data, locale, tenant), filename: `${data.number}.pdf` };
}
