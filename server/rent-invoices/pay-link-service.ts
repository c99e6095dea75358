import "server-only";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import { lockRow } from "@/server/core/locks";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { newPayToken } from "./pay-token";

// Staff's side of a rent invoice's pay link: show it, rotate its token, or revoke it. The renter's
// side is the pay page (pay-page.public.ts).

export class PayLinkService {
  constructor(private readonly ctx: TenantContext) {}

  /** The invoice's pay link (null when revoked, or never issued). */
  async get(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      const invoice = await tx.rentInvoice.findUnique({ where: { id: invoiceId }, select: { id: true, payToken: true, status: true } });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      return {
        invoiceId: invoice.id,
        status: invoice.status,
        url: invoice.payToken ? payLinkFor(this.ctx.tenant.slug, invoice.payToken) : null,
      };
    });
  }

  /** A new token (the old link stops working at once); also re-enables a revoked link. */
  async rotate(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "RentInvoice", invoiceId);
      const invoice = await tx.rentInvoice.findUnique({
        where: { id: invoiceId },
        select: { id: true, number: true, status: true, payToken: true },
      });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      if (invoice.status === "void" || invoice.status === "draft")
        throw new AppError("INVALID_STATE", "rentPayments.errors.invoiceNotOpen");
      const token = newPayToken();
      await tx.rentInvoice.update({ where: { id: invoice.id }, data: { payToken: token } });
      await tenantAudit(this.ctx).log(tx, {
        action: "rent.pay_link.rotated",
        targetType: "rent_invoice",
        targetId: invoice.id,
        // never the token itself: the audit log is readable by more people than the renter
        metadata: { invoice: invoice.number, before: invoice.payToken ? "active" : "revoked", after: "active" },
      });
      return { invoiceId: invoice.id, status: invoice.status, url: payLinkFor(this.ctx.tenant.slug, token) };
    });
  }

  /** Turns the link off: the pay page answers 404, like for a token that never existed. */
  async revoke(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "RentInvoice", invoiceId);
      const invoice = await tx.rentInvoice.findUnique({
        where: { id: invoiceId },
        select: { id: true, number: true, status: true, payToken: true },
      });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      if (invoice.payToken !== null) {
        await tx.rentInvoice.update({ where: { id: invoice.id }, data: { payToken: null } });
        await tenantAudit(this.ctx).log(tx, {
          action: "rent.pay_link.revoked",
          targetType: "rent_invoice",
          targetId: invoice.id,
          metadata: { invoice: invoice.number, before: "active", after: "revoked" },
        });
      }
      return { invoiceId: invoice.id, status: invoice.status, url: null };
    });
  }
}
