import "server-only";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import type { RequestMeta } from "@/server/core/request-meta";
import type { DbTx } from "@/server/db/tenant-db";
import type { Payment } from "@/server/db/generated/client";
import { lockRow } from "@/server/core/locks";
import { loadPlanInfo } from "@/server/subscriptions/plan-info";
import { bakongConfig } from "@/server/payments/bakong-config";
import { generateKhqr } from "@/server/payments/khqr";
import { isOpenRentInvoice } from "@/lib/rentals/invoice-state";
import { asEnumValue, RENT_INVOICE_STATUS_VALUES } from "@/lib/enums";
import { dayIn } from "@/lib/dates";
import { credited, otherCurrency, quote, type RateCurrency } from "@/server/rates/conversion";
import { rateOn } from "@/server/rates/exchange-rates";

// The one place a rent KHQR is made: the renter's pay page (a 10-minute attempt) and the invoice
// PDF (an attempt that lives as long as a printed page is kept, RENT_PDF_KHQR_TTL_MS) both call
// openRentKhqrAttempt. Same rule for when KHQR is offered, same payload (the workspace's own
// Bakong account, the amount still open in the invoice's currency, bill number = invoice number),
// same Payment row: the Bakong callback and the reconciliation job settle either by its md5.

export interface RentKhqrReady {
  accountId: string;
  merchantName: string;
}

/** A name the KHQR (printable ASCII, ≤ 25 characters) can carry: Khmer names fall back to the address. */
export function khqrMerchantName(name: string, slug: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[^\x20-\x7E]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 25)
    .trim();
  return ascii.length >= 2 ? ascii : slug.slice(0, 25);
}

/** KHQR rent collection is on: Bakong configured, the plan's feature on a writable plan, the workspace's account. */
export async function rentKhqrReady(tx: DbTx, tenantId: string): Promise<RentKhqrReady | null> {
  const cfg = bakongConfig();
  if (!cfg.apiBaseUrl) return null;
  const [plan, tenant] = await Promise.all([
    loadPlanInfo(tx, tenantId),
    tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { bakongAccountId: true, name: true, slug: true } }),
  ]);
  if (!plan.features.has("khqr_rent_collection") || plan.readOnly || !tenant.bakongAccountId) return null;
  return { accountId: tenant.bakongAccountId, merchantName: khqrMerchantName(tenant.name, tenant.slug) };
}

/** The invoice PDF's KHQR stays payable this long (a printed page is kept for weeks). */
export const RENT_PDF_KHQR_TTL_MS = 30 * 24 * 60 * 60_000;

export interface OpenRentKhqrArgs {
  tenantId: string;
  invoiceId: string;
  ready: RentKhqrReady;
  now: Date;
  /** how long a new attempt stays payable */
  ttlMs: number;
  /** an attempt of the same amount that stays payable at least this much longer is reused */
  reuseIfValidForMs: number;
  meta: RequestMeta;
  /** who asked, for the audit row ("renter (pay page)", "invoice pdf") */
  actorEmail: string;
  actorUserId?: string | null;
  /** the audit action of a new attempt: the pay page's checkout, or the invoice PDF's QR */
  auditAction?: "rent.payment.checkout_started" | "rent.payment.invoice_qr_created";
  /**
   * pay in the other currency (a USD invoice in "KHR", a KHR invoice in "USD"): the QR asks the
   * open amount at the rate of the payment day, rounded up (docs/CURRENCY.md); the invoice's own
   * currency (or nothing) is the ordinary QR
   */
  payIn?: RateCurrency | null;
}

export interface OtherCurrencyQuote {
  currency: RateCurrency;
  /** minor units of `currency` the QR asks */
  amount: number;
  khrPerUsd: number;
}

/**
 * What a payment of `open` (minor units of `invoiceCurrency`) in `payIn` asks at the rate of the
 * workspace-local day of `now`. INVALID_STATE when that day has no rate (never a made-up rate).
 */
export async function otherCurrencyQuote(
  tx: DbTx,
  args: { tenantId: string; invoiceCurrency: string; open: number; payIn: RateCurrency; now: Date },
): Promise<OtherCurrencyQuote> {
  if (otherCurrency(args.invoiceCurrency) !== args.payIn) throw new AppError("VALIDATION", "currency.errors.currency");
  const { timezone } = await tx.tenant.findUniqueOrThrow({ where: { id: args.tenantId }, select: { timezone: true } });
  const rate = await rateOn(tx, args.tenantId, dayIn(args.now, timezone));
  if (!rate) throw new AppError("INVALID_STATE", "currency.errors.noRate");
  return {
    currency: args.payIn,
    amount: quote(args.open, args.invoiceCurrency as RateCurrency, rate.khrPerUsd),
    khrPerUsd: rate.khrPerUsd,
  };
}

/**
 * Starts (or resumes) a KHQR attempt for what is still open on the invoice, into the workspace's
 * own Bakong account. Refuses (INVALID_STATE) an invoice that expects no money.
 */
export async function openRentKhqrAttempt(tx: DbTx, args: OpenRentKhqrArgs): Promise<Payment> {
  const { ready, now } = args;
  await lockRow(tx, "RentInvoice", args.invoiceId);
  const invoice = await tx.rentInvoice.findUniqueOrThrow({ where: { id: args.invoiceId } });
  const due = invoice.total - invoice.amountPaid;
  if (!isOpenRentInvoice(asEnumValue(RENT_INVOICE_STATUS_VALUES, invoice.status)) || due <= 0)
    throw new AppError("INVALID_STATE", "payPage.errors.notOpen");
  const other =
    args.payIn && args.payIn !== invoice.currency
      ? await otherCurrencyQuote(tx, { tenantId: args.tenantId, invoiceCurrency: invoice.currency, open: due, payIn: args.payIn, now })
      : null;
  const reusable = await tx.payment.findFirst({
    where: {
      rentInvoiceId: invoice.id,
      method: "khqr",
      status: "pending",
      amount: due,
      receivedCurrency: other?.currency ?? null,
      receivedAmount: other?.amount ?? null,
      receivingAccount: ready.accountId,
      flaggedAt: null,
      expiresAt: { gt: new Date(now.getTime() + args.reuseIfValidForMs) },
    },
    orderBy: { createdAt: "desc" },
  });
  if (reusable) return reusable;
  const expiresAt = new Date(now.getTime() + args.ttlMs);
  const { qr, md5 } = generateKhqr({
    accountId: ready.accountId,
    merchantName: ready.merchantName,
    merchantCity: bakongConfig().merchantCity,
    amount: other?.amount ?? due,
    currency: other?.currency ?? (invoice.currency === "KHR" ? "KHR" : "USD"),
    billNumber: invoice.number,
    expiresAt,
  });
  const created = await tx.payment.create({
    data: {
      tenantId: args.tenantId,
      purpose: "rent",
      rentInvoiceId: invoice.id,
      propertyId: invoice.propertyId,
      method: "khqr",
      // in the invoice's currency: paying the quote exactly credits the open amount (the rounding is absorbed)
      amount: other ? credited(other.amount, invoice.currency as RateCurrency, due, other.khrPerUsd) : due,
      currency: invoice.currency,
      ...(other ? { receivedAmount: other.amount, receivedCurrency: other.currency, khrPerUsd: other.khrPerUsd } : {}),
      receivingAccount: ready.accountId,
      billNumber: invoice.number,
      qrString: qr,
      md5,
      expiresAt,
    },
  });
  await new AuditLogger(args.meta).log(tx, args.tenantId, {
    action: args.auditAction ?? "rent.payment.checkout_started",
    actorUserId: args.actorUserId ?? null,
    actorEmail: args.actorEmail,
    targetType: "payment",
    targetId: created.id,
    metadata: {
      invoice: invoice.number,
      amount: due,
      currency: invoice.currency,
      md5,
      ...(other ? { received: { amount: other.amount, currency: other.currency, khrPerUsd: other.khrPerUsd } } : {}),
    },
  });
  return created;
}
