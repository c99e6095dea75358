import { listExchangeRatesSchema, setExchangeRateSchema } from "@/lib/schemas/exchange-rates";
import { rentInvoiceIdSchema } from "@/lib/schemas/rent-payments";
import { ExchangeRateService } from "@/server/rates/exchange-rates";
import { createTRPCRouter, withPermission } from "../trpc";

// A workspace's riel-per-dollar history (/settings → Exchange rates; docs/CURRENCY.md): read by
// any member, set by those who change the workspace's settings.
export const exchangeRatesRouter = createTRPCRouter({
  list: withPermission("workspace.view")
    .input(listExchangeRatesSchema)
    .query(({ ctx, input }) => new ExchangeRateService(ctx.tenant).list({ cursor: input.cursor, limit: input.limit })),
  // the staff invoice page's other-currency line (or "no exchange rate set")
  invoiceEquivalent: withPermission("invoices.view")
    .input(rentInvoiceIdSchema)
    .query(({ ctx, input }) => new ExchangeRateService(ctx.tenant).invoiceEquivalent(input.invoiceId)),
  set: withPermission("workspace.settings")
    .input(setExchangeRateSchema)
    .mutation(({ ctx, input }) => new ExchangeRateService(ctx.tenant).setManual(input)),
});
