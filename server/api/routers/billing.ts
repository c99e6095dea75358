import { changePlanSchema, invoiceIdSchema, listInvoicesSchema, paymentIdSchema } from "@/lib/schemas/billing";
import { BillingService } from "@/server/subscriptions/billing-service";
import { SubscriptionCheckout } from "@/server/payments/subscription-checkout";
import { createTRPCRouter, withPermission } from "../trpc";

// Billing stays open in a suspended (read-only) workspace: it is how they pay their way back.
const view = withPermission("billing.view", { allowWhenReadOnly: true });
const manage = withPermission("billing.manage", { allowWhenReadOnly: true });

export const billingRouter = createTRPCRouter({
  /** every member: the UI disables what the plan does not allow and offers the upgrade that does */
  entitlements: withPermission("workspace.view", { allowWhenReadOnly: true }).query(({ ctx }) =>
    new BillingService(ctx.tenant).entitlements(),
  ),
  overview: view.query(({ ctx }) => new BillingService(ctx.tenant).overview()),
  invoices: view.input(listInvoicesSchema).query(({ ctx, input }) => new BillingService(ctx.tenant).listInvoices(input)),
  changePlan: manage.input(changePlanSchema).mutation(({ ctx, input }) => new BillingService(ctx.tenant).changePlan(input)),
  cancelScheduledChange: manage.mutation(({ ctx }) => new BillingService(ctx.tenant).cancelScheduledChange()),
  checkout: manage.input(invoiceIdSchema).mutation(({ ctx, input }) => new SubscriptionCheckout(ctx.tenant).start(input.invoiceId)),
  payment: view.input(paymentIdSchema).query(({ ctx, input }) => new SubscriptionCheckout(ctx.tenant).payment(input.paymentId)),
});
