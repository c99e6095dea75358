import "server-only";
import QRCode from "qrcode";
import type { TenantContext } from "@/server/core/tenant-context";
import { logger } from "@/server/core/observability/logger";
import { openRentKhqrAttempt, rentKhqrReady, RENT_PDF_KHQR_TTL_MS } from "@/server/payments/rent-khqr";
import { hasPaymentInstructions, readPaymentInstructions, type PaymentInstructions } from "@/server/workspaces/payment-instructions";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { isOpenRentInvoice } from "@/lib/rentals/invoice-state";
import { asEnumValue, RENT_INVOICE_STATUS_VALUES } from "@/lib/enums";
import type { Translator } from "@/lib/i18n/config";
import type { HowToPay } from "./billing-document";

// What the invoice PDF prints under "How to pay" for an invoice that still expects money:
//  - the KHQR for the amount still open, in the invoice's currency, when the workspace collects by
//    KHQR: made by the pay page's own code (server/payments/rent-khqr.ts), as a Payment attempt
//    that stays payable RENT_PDF_KHQR_TTL_MS and is settled by the same callback and reconciliation;
//    a PDF asked for again while that attempt has a week left reuses it;
//  - the renter's pay link as a QR code (instead of a long printed address);
//  - the workspace's own cash and bank-transfer instructions, when any is set.

/** A PDF's KHQR attempt is reused while it stays payable at least this much longer. */
const REUSE_IF_VALID_FOR_MS = 7 * 24 * 60 * 60_000;

export interface InvoicePayOptions {
  /** the amount still open, minor units (0 for an invoice that expects nothing) */
  open: number;
  currency: string;
  khqr: { qr: string; amount: number; expiresAt: Date } | null;
  payUrl: string | null;
  instructions: PaymentInstructions | null;
}

export async function invoicePayOptions(ctx: TenantContext, invoiceId: string, now: Date = new Date()): Promise<InvoicePayOptions> {
  return ctx.db.run(async (tx) => {
    const invoice = await tx.rentInvoice.findUniqueOrThrow({
      where: { id: invoiceId },
      select: { status: true, total: true, amountPaid: true, currency: true, payToken: true },
    });
    const isOpen = isOpenRentInvoice(asEnumValue(RENT_INVOICE_STATUS_VALUES, invoice.status));
    const open = isOpen ? Math.max(0, invoice.total - invoice.amountPaid) : 0;
    const instructions = await readPaymentInstructions(tx, ctx.tenantId);
    const base = { open, currency: invoice.currency, instructions: hasPaymentInstructions(instructions) ? instructions : null };
    if (open <= 0) return { ...base, khqr: null, payUrl: null };
    const payUrl = invoice.payToken ? payLinkFor(ctx.tenant.slug, invoice.payToken) : null;
    let khqr: InvoicePayOptions["khqr"] = null;
    const ready = await rentKhqrReady(tx, ctx.tenantId);
    if (ready) {
      try {
        // a QR the KHQR code refuses (checked before any write, e.g. a bad merchant city) leaves the
        // PDF without it, not broken
        const attempt = await openRentKhqrAttempt(tx, {
          tenantId: ctx.tenantId,
          invoiceId,
          ready,
          now,
          ttlMs: RENT_PDF_KHQR_TTL_MS,
          reuseIfValidForMs: REUSE_IF_VALID_FOR_MS,
          meta: ctx.meta,
          actorEmail: ctx.userEmail,
          actorUserId: ctx.userId,
          auditAction: "rent.payment.invoice_qr_created",
        });
        if (attempt.qrString) khqr = { qr: attempt.qrString, amount: attempt.amount, expiresAt: attempt.expiresAt! };
      } catch (error) {
        logger.warn({ err: error, invoiceId }, "invoice pdf: KHQR could not be made");
      }
    }
    return { ...base, khqr, payUrl };
  });
}

async function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: "M", margin: 1, width: 360 });
}

/** The PDF block for these options, or null when there is nothing to print. */
export async function howToPayBlock(
  options: InvoicePayOptions,
  t: Translator,
  money: (minor: number) => string,
  day: (d: Date) => string,
): Promise<HowToPay | null> {
  const codes: HowToPay["codes"] = [];
  if (options.khqr) {
    codes.push({
      png: await qrPng(options.khqr.qr),
      caption: [
        t("invoices.pdf.howToPay.khqr", { amount: money(options.khqr.amount) }),
        t("invoices.pdf.howToPay.khqrUntil", { date: day(options.khqr.expiresAt) }),
      ],
    });
  }
  if (options.payUrl) codes.push({ png: await qrPng(options.payUrl), caption: [t("invoices.pdf.howToPay.payLink")] });
  const p = options.instructions;
  const rows: Array<[string, string]> = [];
  if (p?.bankName) rows.push([t("invoices.pdf.howToPay.bankName"), p.bankName]);
  if (p?.accountName) rows.push([t("invoices.pdf.howToPay.accountName"), p.accountName]);
  if (p?.accountNumber) rows.push([t("invoices.pdf.howToPay.accountNumber"), p.accountNumber]);
  if (p?.phone) rows.push([t("invoices.pdf.howToPay.phone"), p.phone]);
  if (codes.length === 0 && (rows.length === 0 || options.open <= 0)) return null;
  return {
    title: t("invoices.pdf.howToPay.title"),
    codes,
    instructions: rows.length > 0 && options.open > 0 ? { title: t("invoices.pdf.howToPay.instructions"), rows } : null,
  };
}
