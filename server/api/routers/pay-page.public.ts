import { z } from "zod";
import { payTokenPaymentSchema, payTokenSchema } from "@/lib/schemas/rent-payments";
import { AppError } from "@/server/core/errors";
import { openPayPage, RentPayPageService } from "@/server/rent-invoices/pay-page.public";
import type { Context } from "../context";
import { localizeLines } from "@/lib/i18n/invoice-lines";
import { createTRPCRouter, publicProcedure } from "../trpc";

// The renter's pay page: no session, the token is the key. A malformed token fails the same way
// as an unknown one (NOT_FOUND from the service), never with a validation message.
const tokenInput = z.object({ token: z.string().max(200) });
const tokenPaymentInput = tokenInput.extend({ paymentId: z.string().max(100).nullable() });

function service(ctx: Context): RentPayPageService {
  if (ctx.scope?.kind !== "tenant" || ctx.scope.tenant.status !== "active") throw new AppError("NOT_FOUND", "errors.notFound");
  return new RentPayPageService(ctx.scope.tenant, ctx.meta);
}

function token(input: { token: string }): string {
  const parsed = payTokenSchema.safeParse(input);
  return parsed.success ? parsed.data.token : "";
}

function tokenAndPayment(input: { token: string; paymentId: string | null }): { token: string; paymentId: string | null } {
  if (input.paymentId === null) return { token: token(input), paymentId: null };
  const parsed = payTokenPaymentSchema.safeParse(input);
  if (!parsed.success) throw new AppError("NOT_FOUND", "errors.notFound");
  return parsed.data;
}

export const payPageRouter = createTRPCRouter({
  // line descriptions in the renter's language (lib/i18n/invoice-lines.ts)
  view: publicProcedure.input(tokenInput).query(async ({ ctx, input }) => {
    const view = await service(ctx).view(token(input));
    return { ...view, invoice: { ...view.invoice, lines: localizeLines(view.invoice.lines, view.invoice.period, ctx.locale) } };
  }),
  // the page's render (issue 13): the view and the KHQR attempt to show, resumed without a write when
  // one is still payable (started through checkout's throttles when not); payIn as for checkout;
  // telegramLink: whether the page shows its Telegram box (read by the view's statement)
  open: publicProcedure.input(tokenInput.extend({ payIn: z.enum(["USD", "KHR"]).nullish() })).mutation(({ ctx, input }) => {
    if (ctx.scope?.kind !== "tenant") throw new AppError("NOT_FOUND", "errors.notFound");
    return openPayPage(ctx.scope.tenant, ctx.meta, ctx.locale, { token: input.token, payIn: input.payIn ?? null });
  }),
  // payIn: the other currency (a USD invoice in riel, a KHR one in dollars; docs/CURRENCY.md)
  checkout: publicProcedure
    .input(tokenInput.extend({ payIn: z.enum(["USD", "KHR"]).nullish() }))
    .mutation(({ ctx, input }) => service(ctx).checkout(token(input), input.payIn ?? null)),
  status: publicProcedure.input(tokenPaymentInput).query(({ ctx, input }) => {
    const p = tokenAndPayment(input);
    return service(ctx).status(p.token, p.paymentId);
  }),
  simulate: publicProcedure.input(tokenPaymentInput).mutation(({ ctx, input }) => {
    const p = tokenAndPayment(input);
    if (!p.paymentId) throw new AppError("NOT_FOUND", "errors.notFound");
    return service(ctx).simulate(p.token, p.paymentId);
  }),
});
