import { adminListMessagesSchema, messageIdSchema } from "@/lib/schemas/messages";
import { AdminMessageService } from "@/server/notifications/messages.admin";
import type { RequestMeta } from "@/server/core/request-meta";
import { adminProcedure, createTRPCRouter } from "../trpc";

// The console's message log across every workspace.
const service = (ctx: { session: { userId: string; email: string }; meta: RequestMeta }) =>
  new AdminMessageService({ userId: ctx.session.userId, email: ctx.session.email }, ctx.meta);

export const adminMessagesRouter = createTRPCRouter({
  list: adminProcedure.input(adminListMessagesSchema).query(({ ctx, input }) => service(ctx).list(input)),
  get: adminProcedure.input(messageIdSchema).query(({ ctx, input }) => service(ctx).get(input.messageId)),
  retry: adminProcedure.input(messageIdSchema).mutation(({ ctx, input }) => service(ctx).retry(input.messageId)),
});
