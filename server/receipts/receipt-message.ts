import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { formatMoney } from "@/lib/money";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { createTranslator } from "@/lib/i18n";
import { isEnumValue, PAYMENT_METHOD_VALUES } from "@/lib/enums";
import { queueMessage } from "@/server/notifications/queue";
import { renterQueueInputs } from "@/server/notifications/telegram-recipients";
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

/** Queues the receipt of a paid rent payment that has its number; returns the ids of new messages. */
export async function queueReceiptMessage(tx: DbTx, paymentId: string): Promise<string[]> {
  const p = await tx.payment.findUnique({
    where: { id: paymentId },
    select: {
      id: true,
      tenantId: true,
      status: true,
      amount: true,
      currency: true,
      method: true,
      paidAt: true,
      createdAt: true,
      receiptNumber: true,
      receiptBalanceAfter: true,
      rentInvoice: {
        select: {
          number: true,
          currency: true,
          payToken: true,
          contract: {
            select: {
              renter: {
                select: {
                  nameKm: true,
                  nameLatin: true,
                  email: true,
                  locale: true,
                  telegramChatId: true,
                  telegramBotId: true,
                  messageChannel: true,
                  erasedAt: true,
                },
              },
            },
          },
        },
      },
    },
  });
  const renter = p?.rentInvoice?.contract.renter;
  if (!p || p.status !== "paid" || !p.receiptNumber || !p.rentInvoice || !renter || renter.erasedAt) return [];
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, select: { slug: true, name: true, timezone: true } });
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
      receipt: p.receiptNumber,
      amount: formatMoney(p.amount, p.currency, locale),
      method,
      // the moment's day in the workspace's zone, as on the receipt PDF
      date: createFormat(locale).date(p.paidAt ?? p.createdAt, tenant.timezone),
      number: p.rentInvoice.number,
      balance: formatMoney(p.receiptBalanceAfter ?? 0, p.rentInvoice.currency, locale),
      // no pay link (revoked): the button is left out
      receiptLink: p.rentInvoice.payToken ? receiptLinkFor(tenant.slug, p.rentInvoice.payToken, p.id) : "",
    },
  };
  const ids: string[] = [];
  for (const input of renterQueueInputs(base, renter)) {
    const { id, created } = await queueMessage(tx, input);
    if (created) ids.push(id);
  }
  return ids;
}
