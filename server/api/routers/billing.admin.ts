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
import type { AdminActor } from "@/server/subscriptions/billing-console.admin";
import { AdminPlanService } from "@/server/subscriptions/plans.admin";
import { AdminSubscriptionService } from "@/server/subscriptions/subscriptions.admin";
import { AdminInvoiceService } from "@/server/subscriptions/subscription-invoices.admin";
import { AdminPaymentService } from "@/server/payments/payments.admin";
import { AdminWebhookService } from "@/server/payments/webhooks.admin";
import type { RequestMeta } from "@/server/core/request-meta";
import { adminProcedure, createTRPCRouter } from "../trpc";

// The console's billing: plans, subscriptions, invoices, payments and the webhook inbox.
type ConsoleService<S> = new (admin: AdminActor, meta: RequestMeta) => S;
const service = <S>(Service: ConsoleService<S>, ctx: { session: { userId: string; email: string }; meta: RequestMeta }) =>
  new Service({ userId: ctx.session.userId, email: ctx.session.email }, ctx.meta);

export const adminBillingRouter = createTRPCRouter({
  plans: adminProcedure.query(({ ctx }) => service(AdminPlanService, ctx).plans()),
  updatePlan: adminProcedure.input(updatePlanSchema).mutation(({ ctx, input }) => service(AdminPlanService, ctx).updatePlan(input)),
  subscriptions: adminProcedure
    .input(adminSubscriptionsSchema)
    .query(({ ctx, input }) => service(AdminSubscriptionService, ctx).subscriptions(input)),
  invoices: adminProcedure.input(adminInvoicesSchema).query(({ ctx, input }) => service(AdminInvoiceService, ctx).invoices(input)),
  markInvoicePaid: adminProcedure
    .input(markInvoicePaidSchema)
    .mutation(({ ctx, input }) => service(AdminInvoiceService, ctx).markInvoicePaid(input)),
  payments: adminProcedure.input(adminPaymentsSchema).query(({ ctx, input }) => service(AdminPaymentService, ctx).payments(input)),
  refundPayment: adminProcedure
    .input(refundPaymentSchema)
    .mutation(({ ctx, input }) => service(AdminPaymentService, ctx).refundPayment(input)),
  webhooks: adminProcedure.input(webhookListSchema).query(({ ctx, input }) => service(AdminWebhookService, ctx).webhooks(input)),
  webhook: adminProcedure.input(webhookIdSchema).query(({ ctx, input }) => service(AdminWebhookService, ctx).webhook(input.webhookEventId)),
  replayWebhook: adminProcedure
    .input(webhookIdSchema)
    .mutation(({ ctx, input }) => service(AdminWebhookService, ctx).replayWebhook(input.webhookEventId)),
});
