import "server-only";
import type { z } from "zod";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { listMessagesSchema, listSuppressionsSchema } from "@/lib/schemas/messages";
import {
  MESSAGE_ROW_SELECT,
  NEWEST_FIRST,
  afterCursor,
  messageDetail,
  messagePageQuery,
  messageRow,
  pageOf,
  retryAuditMetadata,
  retryMessage,
  suppressionOf,
  suppressionRow,
  type LogPage,
  type MessageDetail,
  type MessageRow,
  type SuppressionRow,
} from "@/server/notifications/message-log";
import { inPageOrder } from "@/server/properties/list-queries";
import { lift, normalizeAddress, suppress } from "@/server/notifications/suppression";
import { deliverSoon } from "@/server/notifications/queue";

export type { MessageDetail, MessageRow, SuppressionRow };

/** The workspace's message log and suppression list (tenant handle: this tenant's rows only). */
export class MessageLogService {
  constructor(private readonly ctx: TenantContext) {}

  async list(input: z.output<typeof listMessagesSchema>): Promise<LogPage<MessageRow>> {
    const sql = messagePageQuery(this.ctx.tenantId, input);
    const rows = await this.ctx.db.run(async (tx) => {
      const ids = (await tx.$queryRaw<Array<{ id: string }>>(sql)).map((r) => r.id);
      const found = await tx.outboundMessage.findMany({
        where: { id: { in: ids }, tenantId: this.ctx.tenantId },
        select: MESSAGE_ROW_SELECT,
      });
      return inPageOrder(ids, found);
    });
    const { page, nextCursor } = pageOf(rows, input.limit);
    return { items: page.map(messageRow), nextCursor };
  }

  async get(messageId: string): Promise<MessageDetail> {
    return this.ctx.db.run(async (tx) => {
      const m = await tx.outboundMessage.findFirst({ where: { id: messageId, tenantId: this.ctx.tenantId } });
      if (!m) throw new AppError("NOT_FOUND", "errors.notFound");
      return messageDetail(m, await suppressionOf(tx, m));
    });
  }

  /** Sends a failed or bounced message again (audited), right after the transaction commits. */
  async retry(messageId: string): Promise<MessageRow> {
    const after = await this.ctx.db.run(async (tx) => {
      const r = await retryMessage(tx, this.ctx.tenantId, messageId);
      await tenantAudit(this.ctx).log(tx, {
        action: "message.retried",
        targetType: "outbound_message",
        targetId: messageId,
        metadata: retryAuditMetadata(r),
      });
      return r.after;
    });
    deliverSoon([after.id]);
    return messageRow(after);
  }

  async suppressions(input: z.output<typeof listSuppressionsSchema>): Promise<LogPage<SuppressionRow>> {
    const rows = await this.ctx.db.run((tx) =>
      tx.suppressedAddress.findMany({
        where: {
          AND: [
            { tenantId: this.ctx.tenantId },
            input.search ? { address: { contains: input.search.toLowerCase() } } : {},
            afterCursor(input.cursor),
          ],
        },
        orderBy: NEWEST_FIRST,
        take: input.limit + 1,
      }),
    );
    const { page, nextCursor } = pageOf(rows, input.limit);
    return { items: page.map(suppressionRow), nextCursor };
  }

  /** Takes an address off the list: mail to it is sent again (audited). */
  async liftSuppression(suppressionId: string): Promise<SuppressionRow> {
    return this.ctx.db.run(async (tx) => {
      const row = await lift(tx, this.ctx.tenantId, suppressionId);
      if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
      await tenantAudit(this.ctx).log(tx, {
        action: "suppression.lifted",
        targetType: "suppressed_address",
        targetId: row.id,
        metadata: { before: { address: row.address, channel: row.channel, reason: row.reason, messageId: row.messageId } },
      });
      return suppressionRow(row);
    });
  }

  /** Adds an address by hand (the recipient asked us to stop, say); already listed → CONFLICT. */
  async suppress(address: string): Promise<SuppressionRow> {
    return this.ctx.db.run(async (tx) => {
      const { row, created } = await suppress(tx, {
        tenantId: this.ctx.tenantId,
        channel: "email",
        address,
        reason: "manual",
        createdById: this.ctx.userId,
      });
      if (!created) throw new AppError("CONFLICT", "messagesLog.errors.alreadySuppressed", { address: normalizeAddress(address) });
      await tenantAudit(this.ctx).log(tx, {
        action: "suppression.added",
        targetType: "suppressed_address",
        targetId: row.id,
        metadata: { after: { address: row.address, channel: row.channel, reason: row.reason } },
      });
      return suppressionRow(row);
    });
  }
}
