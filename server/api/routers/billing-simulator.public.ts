import { paymentIdSchema } from "@/lib/schemas/billing";
import { BakongSimulator } from "@/server/payments/bakong-simulator.public";
import { createTRPCRouter, withPermission } from "../trpc";

// "Simulate payment" on the KHQR checkout: only with BAKONG_SIMULATOR=1 and the local fake Bakong
// (env.ts refuses it with a real Bakong URL in production). It plays the relay: marks the md5 paid
// in the fake and delivers a signed callback to the same webhook code path.
export const billingSimulatorRouter = createTRPCRouter({
  pay: withPermission("billing.manage", { allowWhenReadOnly: true })
    .input(paymentIdSchema)
    .mutation(({ ctx, input }) => new BakongSimulator().pay(ctx.tenant.tenantId, input.paymentId)),
});
