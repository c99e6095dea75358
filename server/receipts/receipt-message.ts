import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Payment, RentInvoice } from "@/server/db/generated/client";
import { formatMoney } from "@/lib/money";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { createTranslator } from "@/lib/i18n";
import { isEnumValue, PAYMENT_METHOD_VALUES } from "@/lib/enums";
import { queueMessage } from "@/server/notifications/queue";
import { renterQueueInputs, type RenterContact } from "@/server/notifications/telegram-recipients";
import { createFormat } from "@/lib/i18n/format";
import { renterDisplayName } from "@/server/rent-invoices/rent-messages";

// The rent receipt pushed to the renter (rent.receipt, docs/TELEGRAM.md "Receipts"): queued in the
// transaction that applies the payment (applyRentPayment: cash and bank transfers recorded by staff,
// KHQR confirmed by the callback or the reconciliation job), on the renter's channel(s), with the
// receipt number, amount, method, invoice, what is still open on it and the receipt PDF link. The
// dedupe key `rent-receipt:<payment>` (`:telegram` for the Telegram copy) means a retried callback,
// a replayed event or a concurrent confirmation never sends it twice. The PDF link goes through the
// invoice's pay link (`/pay/<token>/receipts/<payment>`: the pay token is the key, as for the pay page).

/** Path of a payment's receipt PDF under the invoice's pay link. */
export function receiptLinkFor(tenantSlug: string, payToken: string, paymentId: string): string {
  return `${payLinkFor(tenantSlug, payToken)}/receipts/${encodeURIComponent(paymentId)}`;
}

export function receiptDedupeKey(paymentId: string): string {
  return `rent-receipt:${paymentId}`;
}

/** The contract's renter as the receipt message needs them: name, language and where to reach them. */
export type ReceiptRenter = RenterContact & { nameKm: string; nameLatin: string; locale: string; erasedAt: Date | null };

/**
 * What the receipt says, as the transaction that applied the payment already holds it
 * (applyRentPayment: the payment, its invoice locked and read, the contract's renter and the
 * workspace read with the contract's lock): nothing is read again.
 */
export interface ReceiptMessageFacts {
  payment: Pick<Payment, "id" | "tenantId" | "amount" | "currency" | "method" | "paidAt" | "createdAt">;
  /** the payment's receipt number and what was still open on the invoice after it */
  receipt: { number: string; balanceAfter: number };
  invoice: Pick<RentInvoice, "number" | "currency" | "payToken">;
  /** null: the contract's renter is not there */
  renter: ReceiptRenter | null;
  workspace: { slug: string; name: string; timezone: string };
}

/** Queues the receipt of a paid rent payment that has its number; returns the ids of new messages. */
export async function queueReceiptMessage(tx: DbTx, facts: ReceiptMessageFacts): Promise<string[]> {
  const { payment: p, receipt, invoice, renter, workspace: tenant } = facts;
  if (!renter || renter.erasedAt) return [];
  const locale = renter.locale === "en" ? "en" : "km";
  const t = createTranslator(locale);
  const method = isEnumValue(PAYMENT_METHOD_VALUES, p.method) ? t(`invoices.pdf.methods.${p.method}`) : p.method;
  const base = {
    tenantId: p.tenantId,
    key: "rent.receipt" as const,
    locale,
    dedupeKey: receiptDedupeKey(p.id),
    variables: {
      workspace: tenant.name,
      renter: renterDisplayName(renter, locale),
      receipt: receipt.number,
      amount: formatMoney(p.amount, p.currency, locale),
      method,
      // the moment's day in the workspace's zone, as on the receipt PDF
      date: createFormat(locale).date(p.paidAt ?? p.createdAt, tenant.timezone),
      number: invoice.number,
      balance: formatMoney(receipt.balanceAfter, invoice.currency, locale),
      // no pay link (revoked): the button is left out
      receiptLink: invoice.payToken ? receiptLinkFor(tenant.slug, invoice.payToken, p.id) : "",
    },
  };
  const ids: string[] = [];
  for (const input of renterQueueInputs(base, renter)) {
    const { id, created } = await queueMessage(tx, input);
    if (created) ids.push(id);
  }
  return ids;
}
