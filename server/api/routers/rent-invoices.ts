import {
  addRentChargeSchema,
  invoiceRunRefSchema,
  listInvoiceRunsSchema,
  listRentInvoicesSchema,
  rentContractRefSchema,
  rentInvoiceRefSchema,
  startInvoiceRunSchema,
  voidRentInvoiceSchema,
} from "@/lib/schemas/rent-invoices";
import { RentInvoiceService } from "@/server/rent-invoices/rent-invoice-service";
import { localizeLines } from "@/lib/i18n/invoice-lines";
import { createTRPCRouter, withPermission } from "../trpc";

const view = withPermission("invoices.view");
const manage = withPermission("invoices.manage");

// Rent invoices: the list (URL filters), one invoice, void, one-off charges, the manual invoice run.
export const rentInvoicesRouter = createTRPCRouter({
  list: view.input(listRentInvoicesSchema).query(({ ctx, input }) => new RentInvoiceService(ctx.tenant).list(input)),
  propertyOptions: view.query(({ ctx }) => new RentInvoiceService(ctx.tenant).propertyOptions()),
  // line descriptions in the viewer's language (lib/i18n/invoice-lines.ts)
  get: view.input(rentInvoiceRefSchema).query(async ({ ctx, input }) => {
    const inv = await new RentInvoiceService(ctx.tenant).get(input.invoiceId);
    return { ...inv, lines: localizeLines(inv.lines, inv.period, ctx.locale) };
  }),
  void: manage.input(voidRentInvoiceSchema).mutation(({ ctx, input }) => new RentInvoiceService(ctx.tenant).void(input)),
  addCharge: manage.input(addRentChargeSchema).mutation(({ ctx, input }) => new RentInvoiceService(ctx.tenant).addCharge(input)),
  pendingCharges: view
    .input(rentContractRefSchema)
    .query(({ ctx, input }) => new RentInvoiceService(ctx.tenant).pendingCharges(input.contractId)),
  startRun: manage.input(startInvoiceRunSchema).mutation(({ ctx, input }) => new RentInvoiceService(ctx.tenant).startRun(input)),
  run: view.input(invoiceRunRefSchema).query(({ ctx, input }) => new RentInvoiceService(ctx.tenant).run(input.runId)),
  runs: view.input(listInvoiceRunsSchema).query(({ ctx, input }) => new RentInvoiceService(ctx.tenant).runs(input)),
});
