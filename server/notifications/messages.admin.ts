import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import type { RequestMeta } from "@/server/core/request-meta";
import type { adminListMessagesSchema } from "@/lib/schemas/messages";
import {
  MESSAGE_ROW_SELECT,
  NEWEST_FIRST,
  afterCursor,
  messageDetail,
  messageFilters,
  messageRow,
  pageOf,
  retryAuditMetadata,
  retryMessage,
  suppressionOf,
  type LogPage,
  type MessageDetail,
  type MessageRow,
} from "@/server/notifications/message-log";
import { deliverSoon } from "@/server/notifications/queue";

// The console's message log: every workspace's messages (platform handle), filters by
// workspace, status, key and recipient; detail; retry by hand (audited in the message's tenant).

type TenantRef = { id: string; slug: string; name: string };
export type AdminMessageRow = MessageRow & { tenant: TenantRef };
export type AdminMessageDetail = MessageDetail & { tenant: TenantRef };

const TENANT_SELECT = { select: { id: true, slug: true, name: true } } as const;

export class AdminMessageService {
  constructor(
    private readonly admin: { userId: string; email: string },
    private readonly meta: RequestMeta,
  ) {}

  async list(input: z.output<typeof adminListMessagesSchema>): Promise<LogPage<AdminMessageRow>> {
    return platformDb.run(async (tx) => {
      const rows = await tx.outboundMessage.findMany({
        where: { AND: [input.tenant ? { tenant: { slug: input.tenant } } : {}, messageFilters(input), afterCursor(input.cursor)] },
        select: { ...MESSAGE_ROW_SELECT, tenant: TENANT_SELECT },
        orderBy: NEWEST_FIRST,
        take: input.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, input.limit);
      return { items: page.map((r) => ({ ...messageRow(r), tenant: r.tenant })), nextCursor };
    });
  }

  async get(messageId: string): Promise<AdminMessageDetail> {
    return platformDb.run(async (tx) => {
      const m = await tx.outboundMessage.findUnique({ where: { id: messageId }, include: { tenant: TENANT_SELECT } });
      if (!m) throw new AppError("NOT_FOUND", "errors.notFound");
      const { tenant, ...message } = m;
      return { ...messageDetail(message, await suppressionOf(tx, message)), tenant };
    });
  }

  /** Sends a failed or bounced message of any workspace again; audited in that workspace's log. */
  async retry(messageId: string): Promise<AdminMessageRow> {
    const result = await platformDb.run(async (tx) => {
      const found = await tx.outboundMessage.findUnique({ where: { id: messageId }, select: { tenantId: true } });
      if (!found) throw new AppError("NOT_FOUND", "errors.notFound");
      const r = await retryMessage(tx, found.tenantId, messageId);
      await new AuditLogger(this.meta).log(tx, found.tenantId, {
        action: "admin.message.retried",
        actorUserId: this.admin.userId,
        actorEmail: this.admin.email,
        targetType: "outbound_message",
        targetId: messageId,
        metadata: retryAuditMetadata(r),
      });
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: found.tenantId }, ...TENANT_SELECT });
      return { ...messageRow(r.after), tenant };
    });
    deliverSoon([result.id]);
    return result;
  }
}
