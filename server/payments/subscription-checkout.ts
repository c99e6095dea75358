import "server-only";
import QRCode from "qrcode";
import { lockRow } from "@/server/core/locks";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { SubscriptionInvoice } from "@/server/db/generated/client";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { bakongConfig } from "./bakong-config";
import { generateKhqr } from "./khqr";
import { confirmKhqrIfPaid, khqrDeepLink } from "./khqr-polling";
import { asEnumValue, PAYMENT_STATUS_VALUES } from "@/lib/enums";

// "Pay with KHQR" for a workspace's subscription invoice: a dynamic KHQR for the invoice's exact
// amount (reused while it has more than a minute left), and the status the checkout polls, which
// also asks Bakong about the md5 (khqr-polling.ts). Settlement happens in settlement.ts.

/** A KHQR attempt lives 10 minutes (NBC's guidance); a fresh one is offered after that. */
export const KHQR_TTL_MS = 10 * 60_000;

export interface CheckoutView {
  paymentId: string;
  invoiceId: string;
  invoiceNumber: string;
  status: "pending" | "paid" | "failed" | "expired" | "refunded";
  amount: number;
  currency: string;
  expiresAt: Date | null;
  paidAt: Date | null;
  /** the money arrived but did not settle the invoice (a stale amount, a second transfer): an admin reviews it */
  review: boolean;
  /** the server's clock: the checkout counts down against it, not the device's */
  serverNow: Date;
  qr: string | null;
  qrImage: string | null;
  deepLink: string | null;
}

/** The workspace's KHQR checkout of its subscription invoices. */
export class SubscriptionCheckout {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Starts (or resumes) a KHQR payment for an open invoice. */
  async start(invoiceId: string): Promise<CheckoutView> {
    const now = this.clock();
    const cfg = bakongConfig();
    if (!cfg.apiBaseUrl) throw new AppError("INVALID_STATE", "billing.errors.khqrUnavailable");
    const audit = tenantAudit(this.ctx);
    const { invoice, payment } = await this.ctx.db.run(async (tx) => {
      await lockRow(tx, "SubscriptionInvoice", invoiceId);
      const invoice = await tx.subscriptionInvoice.findUnique({ where: { id: invoiceId } });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      if (invoice.status !== "open" || invoice.amount <= 0) throw new AppError("INVALID_STATE", "billing.errors.invoiceNotOpen");
      // an upgrade prices the rest of a period: once that period is over it is worth nothing
      if (invoice.kind === "upgrade" && invoice.periodEnd <= now) throw new AppError("INVALID_STATE", "billing.errors.invoiceNotOpen");
      const reusable = await tx.payment.findFirst({
        where: {
          subscriptionInvoiceId: invoice.id,
          method: "khqr",
          status: "pending",
          expiresAt: { gt: new Date(now.getTime() + 60_000) },
        },
        orderBy: { createdAt: "desc" },
      });
      if (reusable) return { invoice, payment: reusable };
      const expiresAt = new Date(now.getTime() + KHQR_TTL_MS);
      const { qr, md5 } = generateKhqr({
        accountId: cfg.accountId,
        merchantName: cfg.merchantName,
        merchantCity: cfg.merchantCity,
        amount: invoice.amount,
        currency: invoice.currency === "KHR" ? "KHR" : "USD",
        billNumber: invoice.number,
        expiresAt,
      });
      const payment = await tx.payment.create({
        data: {
          tenantId: this.ctx.tenantId,
          purpose: "subscription",
          subscriptionInvoiceId: invoice.id,
          method: "khqr",
          amount: invoice.amount,
          currency: invoice.currency,
          receivingAccount: cfg.accountId,
          billNumber: invoice.number,
          qrString: qr,
          md5,
          expiresAt,
        },
      });
      await audit.log(tx, {
        action: "billing.payment.checkout_started",
        targetType: "payment",
        targetId: payment.id,
        metadata: { invoice: invoice.number, amount: invoice.amount, currency: invoice.currency, md5 },
      });
      return { invoice, payment };
    });
    const deepLink = await this.deepLink(payment.qrString!);
    return {
      ...paymentView(payment, invoice, this.clock()),
      qrImage: await QRCode.toDataURL(payment.qrString!, { errorCorrectionLevel: "M", margin: 1, width: 320 }),
      deepLink,
    };
  }

  /** Polled by the checkout until the payment leaves `pending`. */
  async payment(paymentId: string): Promise<Omit<CheckoutView, "qr" | "qrImage" | "deepLink">> {
    await this.confirmIfPaid(paymentId);
    return this.ctx.db.run(async (tx) => {
      const payment = await tx.payment.findUnique({ where: { id: paymentId }, include: { invoice: true } });
      if (!payment || !payment.invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      const { qr: _qr, ...view } = paymentView(payment, payment.invoice, this.clock());
      return view;
    });
  }

  /** While the checkout polls, asks Bakong about this md5 (shared with the renter pay page). */
  private confirmIfPaid(paymentId: string): Promise<void> {
    return confirmKhqrIfPaid(this.ctx.db, { paymentId, now: this.clock(), meta: this.ctx.meta });
  }

  private deepLink(qr: string): Promise<string | null> {
    return khqrDeepLink(this.ctx.db, qr);
  }
}

function paymentView(
  payment: {
    id: string;
    status: string;
    amount: number;
    currency: string;
    expiresAt: Date | null;
    paidAt: Date | null;
    qrString: string | null;
    flaggedAt: Date | null;
  },
  invoice: SubscriptionInvoice,
  now: Date,
): Omit<CheckoutView, "qrImage" | "deepLink"> {
  return {
    paymentId: payment.id,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    status: asEnumValue(PAYMENT_STATUS_VALUES, payment.status),
    amount: payment.amount,
    currency: payment.currency,
    expiresAt: payment.expiresAt,
    paidAt: payment.paidAt,
    review: payment.status === "paid" && (payment.flaggedAt !== null || invoice.status !== "paid"),
    serverNow: now,
    qr: payment.qrString,
  };
}
