import {
  listMessagesSchema,
  listSuppressionsSchema,
  messageIdSchema,
  suppressAddressSchema,
  suppressionIdSchema,
} from "@/lib/schemas/messages";
import { MessageLogService } from "@/server/notifications/message-log-service";
import { createTRPCRouter, withPermission } from "../trpc";

// The workspace's message log (what was sent to whom, delivery status) and suppression list.
export const messagesRouter = createTRPCRouter({
  list: withPermission("messages.view")
    .input(listMessagesSchema)
    .query(({ ctx, input }) => new MessageLogService(ctx.tenant).list(input)),
  get: withPermission("messages.view")
    .input(messageIdSchema)
    .query(({ ctx, input }) => new MessageLogService(ctx.tenant).get(input.messageId)),
  retry: withPermission("messages.manage")
    .input(messageIdSchema)
    .mutation(({ ctx, input }) => new MessageLogService(ctx.tenant).retry(input.messageId)),
  suppressions: withPermission("messages.view")
    .input(listSuppressionsSchema)
    .query(({ ctx, input }) => new MessageLogService(ctx.tenant).suppressions(input)),
  liftSuppression: withPermission("messages.manage")
    .input(suppressionIdSchema)
    .mutation(({ ctx, input }) => new MessageLogService(ctx.tenant).liftSuppression(input.suppressionId)),
  suppress: withPermission("messages.manage")
    .input(suppressAddressSchema)
    .mutation(({ ctx, input }) => new MessageLogService(ctx.tenant).suppress(input.address)),
});
