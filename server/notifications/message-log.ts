import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { Prisma, type OutboundMessage, type SuppressedAddress } from "@/server/db/generated/client";
import { escapeLike } from "@/server/audit/audit-query";
import { pageStatement } from "@/server/properties/list-queries";
import { type MessageStatus, asEnumValue, MESSAGE_CHANNEL_VALUES, MESSAGE_STATUS_VALUES } from "@/lib/enums";
import { AppError } from "@/server/core/errors";
import { encodeLogCursor, isRetryable, parseLogCursor } from "@/lib/schemas/messages";
import { MESSAGE_CATALOG, isMessageKey } from "@/lib/notifications/catalog";
import { isSuppressed, normalizeAddress } from "./suppression";
import { redactLogText } from "./redact";
import { requeueMessage } from "./queue";

// Reading the message log and retrying a message by hand, shared by the workspace
// (MessageLogService, tenant handle) and the console (AdminMessageService, platform handle).
// Template variables are never returned: before sending they may hold links with tokens. Subject,
// text and error go through redactLogText on the way out too, so a row written before secrets were
// kept out of them (or a provider error quoting the message) never shows a token.

export interface MessageRow {
  id: string;
  key: string;
  channel: string;
  locale: string;
  to: string;
  status: MessageStatus;
  attempts: number;
  subject: string | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  bouncedAt: Date | null;
  complainedAt: Date | null;
  nextAttemptAt: Date;
  retryable: boolean;
}

export interface MessageDetail extends MessageRow {
  dedupeKey: string;
  /** the text as sent, with sensitive links replaced by "[hidden]" */
  bodyText: string | null;
  provider: string | null;
  providerId: string | null;
  updatedAt: Date;
  /** it carried a single-use link, not kept once sent: it cannot be sent again (send a new one) */
  linkGone: boolean;
  /** the recipient's entry on the suppression list, if any */
  suppression: { id: string; reason: string; createdAt: Date } | null;
}

export interface SuppressionRow {
  id: string;
  channel: string;
  address: string;
  reason: string;
  messageId: string | null;
  createdById: string | null;
  createdAt: Date;
}

export interface LogPage<T> {
  items: T[];
  nextCursor: string | null;
}

export const MESSAGE_ROW_SELECT = {
  id: true,
  tenantId: true,
  key: true,
  channel: true,
  locale: true,
  to: true,
  status: true,
  attempts: true,
  subject: true,
  lastError: true,
  createdAt: true,
  sentAt: true,
  deliveredAt: true,
  bouncedAt: true,
  complainedAt: true,
  nextAttemptAt: true,
  // only to tell whether a retry could still render the message; never returned
  variables: true,
} satisfies Prisma.OutboundMessageSelect;

type SelectedRow = Prisma.OutboundMessageGetPayload<{ select: typeof MESSAGE_ROW_SELECT }>;

/**
 * Whether the message can still be rendered as it was: the sender drops the secret variables of a
 * message with single-use links (invitation, password reset) once it has gone out.
 */
export function hasContent(m: { key: string; variables: unknown }): boolean {
  if (!isMessageKey(m.key)) return false;
  const vars =
    typeof m.variables === "object" && m.variables !== null && !Array.isArray(m.variables) ? (m.variables as Record<string, unknown>) : {};
  // a blank secret is an optional link left out (contract.activated without a Telegram link): nothing was lost
  return MESSAGE_CATALOG[m.key].secrets.every((name) => typeof vars[name] === "string");
}

export function messageRow(m: SelectedRow): MessageRow {
  return {
    id: m.id,
    key: m.key,
    channel: m.channel,
    locale: m.locale,
    to: m.to,
    status: asEnumValue(MESSAGE_STATUS_VALUES, m.status),
    attempts: m.attempts,
    subject: redactLogText(m.key, m.subject, m.variables),
    lastError: redactLogText(m.key, m.lastError, m.variables),
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    bouncedAt: m.bouncedAt,
    complainedAt: m.complainedAt,
    nextAttemptAt: m.nextAttemptAt,
    retryable: isRetryable(m.status) && hasContent(m),
  };
}

export function messageDetail(m: OutboundMessage, suppression: SuppressedAddress | null): MessageDetail {
  return {
    ...messageRow(m),
    dedupeKey: m.dedupeKey,
    bodyText: redactLogText(m.key, m.bodyText, m.variables),
    provider: m.provider,
    providerId: m.providerId,
    updatedAt: m.updatedAt,
    linkGone: !hasContent(m),
    suppression: suppression ? { id: suppression.id, reason: suppression.reason, createdAt: suppression.createdAt } : null,
  };
}

export function suppressionRow(s: SuppressedAddress): SuppressionRow {
  return {
    id: s.id,
    channel: s.channel,
    address: s.address,
    reason: s.reason,
    messageId: s.messageId,
    createdById: s.createdById,
    createdAt: s.createdAt,
  };
}

/** Newest first: rows strictly after the cursor in (createdAt desc, id desc) order. */
export function afterCursor(cursor: string | undefined): {
  OR?: Array<{ createdAt: { lt: Date } } | { createdAt: Date; id: { lt: string } }>;
} {
  const c = cursor ? parseLogCursor(cursor) : null;
  if (!c) return {};
  return { OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] };
}

/**
 * The workspace message log's page statement (ids, newest first, LIMIT limit + 1), shared with the
 * plan test: keyset `(createdAt, id) < ($c, $id)` over `(tenantId, createdAt, id)`, or
 * `(tenantId, status|key, createdAt, id)` with an exact status or key; the tenant, those equalities
 * and the row comparison are LEAKPROOF index conditions under row-level security, so a page reads
 * about a page of rows at any depth. A key prefix (LIKE) and the address search (ILIKE), not
 * leakproof, filter that walk: rows read grow with how rare a match is.
 */
export function messagePageQuery(
  tenantId: string,
  input: { status?: MessageStatus; key?: string; search?: string; cursor?: string; limit: number },
): Prisma.Sql {
  const c: Prisma.Sql[] = [Prisma.sql`m."tenantId" = ${tenantId}::uuid`];
  // an untyped parameter takes the column's type: the column's own equality, no cast on it
  if (input.status) c.push(Prisma.sql`m.status = ${input.status}`);
  const residual: Prisma.Sql[] = [];
  if (input.key) {
    if (input.key.endsWith(".")) residual.push(Prisma.sql`m.key LIKE ${`${escapeLike(input.key)}%`}`);
    else c.push(Prisma.sql`m.key = ${input.key}`);
  }
  if (input.search) residual.push(Prisma.sql`m."to" ILIKE ${`%${escapeLike(input.search)}%`}`);
  const after = input.cursor ? parseLogCursor(input.cursor) : null;
  if (input.cursor && !after) throw new AppError("VALIDATION", "messagesLog.errors.invalidCursor");
  if (after) {
    c.push(Prisma.sql`(m."createdAt", m.id) < ((${after.createdAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'), ${after.id}::uuid)`);
  }
  return pageStatement({
    table: "OutboundMessage",
    alias: "m",
    select: Prisma.sql`m.id::text AS id`,
    where: c,
    search: residual.length ? Prisma.join(residual, " AND ") : null,
    order: Prisma.sql`m."createdAt" DESC, m.id DESC`,
    limit: input.limit + 1,
  });
}

export const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

export function messageFilters(input: { status?: MessageStatus; key?: string; search?: string }): Prisma.OutboundMessageWhereInput {
  const where: Prisma.OutboundMessageWhereInput = {};
  if (input.status) where.status = input.status;
  if (input.key) where.key = input.key.endsWith(".") ? { startsWith: input.key } : input.key;
  if (input.search) where.to = { contains: input.search, mode: "insensitive" };
  return where;
}

/** One page out of `limit + 1` rows fetched. */
export function pageOf<T extends { id: string; createdAt: Date }>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? encodeLogCursor(last) : null };
}

export async function suppressionOf(tx: DbTx, m: { tenantId: string; channel: OutboundMessage["channel"]; to: string }) {
  return tx.suppressedAddress.findFirst({ where: { tenantId: m.tenantId, channel: m.channel, address: normalizeAddress(m.to) } });
}

/**
 * Puts a failed or bounced message back in the queue (the caller delivers it after commit with
 * `deliverSoon`). Refused for any other status, and while the address is suppressed: the send
 * would only be skipped again; lift the suppression first.
 */
export async function retryMessage(
  tx: DbTx,
  tenantId: string,
  messageId: string,
): Promise<{ before: OutboundMessage; after: OutboundMessage }> {
  await tx.$queryRaw`SELECT "id" FROM "OutboundMessage" WHERE "id" = ${messageId}::uuid AND "tenantId" = ${tenantId}::uuid FOR UPDATE`;
  const before = await tx.outboundMessage.findFirst({ where: { id: messageId, tenantId } });
  if (!before) throw new AppError("NOT_FOUND", "errors.notFound");
  if (!isRetryable(before.status)) throw new AppError("INVALID_STATE", "messagesLog.errors.notRetryable", { status: before.status });
  if (!hasContent(before)) throw new AppError("INVALID_STATE", "messagesLog.errors.linkGone");
  if (await isSuppressed(tx, tenantId, asEnumValue(MESSAGE_CHANNEL_VALUES, before.channel), before.to)) {
    throw new AppError("INVALID_STATE", "messagesLog.errors.addressSuppressed", { address: before.to });
  }
  if (!(await requeueMessage(tx, messageId)))
    throw new AppError("INVALID_STATE", "messagesLog.errors.notRetryable", { status: before.status });
  const after = await tx.outboundMessage.findFirstOrThrow({ where: { id: messageId, tenantId } });
  return { before, after };
}

/** The audit metadata of a retry (workspace and console alike): the last error redacted as the log shows it. */
export function retryAuditMetadata(r: { before: OutboundMessage; after: OutboundMessage }) {
  return {
    key: r.before.key,
    to: r.before.to,
    before: {
      status: r.before.status,
      attempts: r.before.attempts,
      lastError: redactLogText(r.before.key, r.before.lastError, r.before.variables),
    },
    after: { status: r.after.status },
  };
}
