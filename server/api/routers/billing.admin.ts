import {
  adminInvoicesSchema,
  adminPaymentsSchema,
  adminSubscriptionsSchema,
  markInvoicePaidSchema,
  refundPaymentSchema,
  updatePlanSchema,
  webhookIdSchema,
  webhookListSchema,
} from "@/lib/schemas/billing";
import { AdminBillingService } from "@/server/subscriptions/billing.admin";
import type { RequestMeta } from "@/server/core/request-meta";
import { adminProcedure, createTRPCRouter } from "../trpc";

// The console's billing: plans, subscriptions, invoices, payments and the webhook inbox.
const service = (ctx: { session: { userId: string; email: string }; meta: RequestMeta }) =>
  new AdminBillingService({ userId: ctx.session.userId, email: ctx.session.email }, ctx.meta);

export const adminBillingRouter = createTRPCRouter({
  plans: adminProcedure.query(({ ctx }) => service(ctx).plans()),
  updatePlan: adminProcedure.input(updatePlanSchema).mutation(({ ctx, input }) => service(ctx).updatePlan(input)),
  subscriptions: adminProcedure.input(adminSubscriptionsSchema).query(({ ctx, input }) => service(ctx).subscriptions(input)),
  invoices: adminProcedure.input(adminInvoicesSchema).query(({ ctx, input }) => service(ctx).invoices(input)),
  markInvoicePaid: adminProcedure.input(markInvoicePaidSchema).mutation(({ ctx, input }) => service(ctx).markInvoicePaid(input)),
  payments: adminProcedure.input(adminPaymentsSchema).query(({ ctx, input }) => service(ctx).payments(input)),
  refundPayment: adminProcedure.input(refundPaymentSchema).mutation(({ ctx, input }) => service(ctx).refundPayment(input)),
  webhooks: adminProcedure.input(webhookListSchema).query(({ ctx, input }) => service(ctx).webhooks(input)),
  webhook: adminProcedure.input(webhookIdSchema).query(({ ctx, input }) => service(ctx).webhook(input.webhookEventId)),
  replayWebhook: adminProcedure.input(webhookIdSchema).mutation(({ ctx, input }) => service(ctx).replayWebhook(input.webhookEventId)),
});
