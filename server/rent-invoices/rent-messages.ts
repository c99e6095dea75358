import "server-only";
import { createFormat } from "@/lib/i18n/format";
import type { DbTx } from "@/server/db/tenant-db";
import { getEnv, publicPort } from "@/env";
import { formatMoney } from "@/lib/money";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { tenantOrigin } from "@/lib/tenancy";
import { queueMessage, type QueueInput } from "@/server/notifications/queue";
import { renterQueueInputs } from "@/server/notifications/telegram-recipients";

// The renter e-mails of the invoice engine (rent.invoice_issued, rent.reminder, rent.overdue), queued
// in the transaction of the change that causes them, deduplicated per invoice (and offset), in the
// renter's language. Nothing is queued for a renter without an e-mail address.

export interface RentMessageInvoice {
  id: string;
  number: string;
  currency: string;
  total: number;
  amountPaid: number;
  dueDate: Date;
  payToken: string | null;
}

export interface RentMessageRenter {
  nameKm: string;
  nameLatin: string;
  email: string | null;
  locale: string;
  /** the linked Telegram chat and the preferred channel (server/notifications/telegram-recipients.ts) */
  telegramChatId?: string | null;
  messageChannel?: string | null;
}

export interface RentMessageTenant {
  id: string;
  slug: string;
  name: string;
}

export function renterDisplayName(r: { nameKm: string; nameLatin: string }, locale: string): string {
  return (locale === "km" ? r.nameKm || r.nameLatin : r.nameLatin || r.nameKm).trim();
}

function messageLocale(locale: string): "km" | "en" {
  return locale === "en" ? "en" : "km";
}

/** A calendar day (a @db.Date value) for people, in `locale` (lib/i18n/format.ts). */
export function formatDay(d: Date, locale: string): string {
  return createFormat(locale).day(d);
}

/** The pay page of the invoice, or the workspace's home when the link was revoked. */
function linkOf(tenant: RentMessageTenant, token: string | null): string {
  if (token) return payLinkFor(tenant.slug, token);
  const env = getEnv();
  return tenantOrigin(tenant.slug, env.APP_ROOT_DOMAIN, env.APP_PROTOCOL, publicPort(env));
}

export type RentMessageKind = { key: "rent.invoice_issued" } | { key: "rent.reminder"; offsetLabel: string } | { key: "rent.overdue" };

/** The queue input of one renter message (null for a renter without an e-mail address). */
export function rentMessageInput(
  tenant: RentMessageTenant,
  renter: RentMessageRenter,
  invoice: RentMessageInvoice,
  kind: RentMessageKind,
): QueueInput | null {
  if (!renter.email) return null;
  const locale = messageLocale(renter.locale);
  const dedupeKey =
    kind.key === "rent.invoice_issued"
      ? `rent-invoice-issued:${invoice.id}`
      : kind.key === "rent.overdue"
        ? `rent-overdue:${invoice.id}`
        : `rent-reminder:${invoice.id}:${kind.offsetLabel}`;
  // what is still to pay (credit from earlier overpayments may already cover part of a new invoice)
  const owed = Math.max(0, invoice.total - invoice.amountPaid);
  return {
    tenantId: tenant.id,
    key: kind.key,
    to: renter.email,
    locale,
    dedupeKey,
    variables: {
      workspace: tenant.name,
      renter: renterDisplayName(renter, locale),
      number: invoice.number,
      amount: formatMoney(owed, invoice.currency, locale),
      due: formatDay(invoice.dueDate, locale),
      payLink: linkOf(tenant, invoice.payToken),
    },
  };
}

/**
 * The queue inputs of one renter message, one per channel the renter gets it on (e-mail,
 * Telegram or both; none for a renter who cannot be reached).
 */
export function rentMessageInputs(
  tenant: RentMessageTenant,
  renter: RentMessageRenter,
  invoice: RentMessageInvoice,
  kind: RentMessageKind,
): QueueInput[] {
  // the e-mail input carries the wording's variables; a renter without e-mail gets the same ones
  const base = rentMessageInput(tenant, { ...renter, email: renter.email ?? "-" }, invoice, kind);
  if (!base) return [];
  const { to: _to, channel: _channel, ...rest } = base;
  return renterQueueInputs(rest, renter);
}

/** Queues one renter message on each of the renter's channels; returns the new message ids (none written: empty). */
export async function queueRentMessage(
  tx: DbTx,
  tenant: RentMessageTenant,
  renter: RentMessageRenter,
  invoice: RentMessageInvoice,
  kind: RentMessageKind,
): Promise<string[]> {
  const ids: string[] = [];
  for (const input of rentMessageInputs(tenant, renter, invoice, kind)) {
    const { id, created } = await queueMessage(tx, input);
    if (created) ids.push(id);
  }
  return ids;
}
