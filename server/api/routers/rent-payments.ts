import { contractLedgerSchema, listRentPaymentsSchema, recordRentPaymentSchema, rentInvoiceIdSchema } from "@/lib/schemas/rent-payments";
import { RentPaymentService } from "@/server/payments/rent-payment-service";
import { ContractLedgerService } from "@/server/payments/contract-ledger";
import { PayLinkService } from "@/server/rent-invoices/pay-link-service";
import { createTRPCRouter, withPermission } from "../trpc";

// Rent payments recorded by staff, the payments list, the contract ledger and the invoice's renter pay link.
export const rentPaymentsRouter = createTRPCRouter({
  list: withPermission("invoices.view")
    .input(listRentPaymentsSchema)
    .query(({ ctx, input }) => new RentPaymentService(ctx.tenant).list(input)),
  record: withPermission("payments.record")
    .input(recordRentPaymentSchema)
    .mutation(({ ctx, input }) => new RentPaymentService(ctx.tenant).record(input)),
  forInvoice: withPermission("invoices.view")
    .input(rentInvoiceIdSchema)
    .query(({ ctx, input }) => new RentPaymentService(ctx.tenant).forInvoice(input.invoiceId)),
  ledger: withPermission("invoices.view")
    .input(contractLedgerSchema)
    .query(({ ctx, input }) => new ContractLedgerService(ctx.tenant).get(input.contractId)),
  payLink: withPermission("invoices.view")
    .input(rentInvoiceIdSchema)
    .query(({ ctx, input }) => new PayLinkService(ctx.tenant).get(input.invoiceId)),
  rotatePayLink: withPermission("invoices.manage")
    .input(rentInvoiceIdSchema)
    .mutation(({ ctx, input }) => new PayLinkService(ctx.tenant).rotate(input.invoiceId)),
  revokePayLink: withPermission("invoices.manage")
    .input(rentInvoiceIdSchema)
    .mutation(({ ctx, input }) => new PayLinkService(ctx.tenant).revoke(input.invoiceId)),
});
