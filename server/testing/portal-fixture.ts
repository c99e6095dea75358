import "server-only";
import { TenantDb } from "@/server/db/tenant-db";
import { applyRentPayment } from "@/server/payments/rent-payments";
import { createTenant } from "./factories";
import { createContract, createProperty, createRenter, createRentInvoice, createUnit } from "./rental-factories";

// e2e fixture for e2e/renter-portal-pages.spec.ts and e2e/renter-portal.spec.ts (scripts/e2e-server.ts): a workspace whose renter
// reads the portal in Khmer: an active contract with three invoices (one paid by bank transfer, one
// paid in part in cash, one open with its pay link); the spec signs the renter in with the code
// e-mailed to them. Dates are fixed.

export const E2E_PORTAL_PAGES = {
  slug: "portalpages",
  renterEmail: "renter@portalpages.test",
  /** the renter of e2e/renter-portal.spec.ts (sign-in, settings, sign-out): not the pages spec's renter,
   * whose language and sessions that spec would change while the pages spec runs on the other worker */
  settingsRenterEmail: "settings@portalpages.test",
  /** a second renter of the same workspace, with an invoice the first must never reach */
  otherInvoicePeriod: "2026-10",
} as const;

export async function seedRenterPortalPagesFixture(): Promise<{ otherInvoiceId: string }> {
  const t = await createTenant({
    slug: E2E_PORTAL_PAGES.slug,
    name: "Portal Pages Rentals",
    password: "phteah-demo-2026",
    locale: "km",
  });
  const property = await createProperty({ tenantId: t.tenantId, name: "Boeung Keng Kang Residence" });
  const unit = await createUnit({ tenantId: t.tenantId, propertyId: property.id, code: "B-204" });
  const renter = await createRenter({
    tenantId: t.tenantId,
    nameKm: "ចាន់ សុភា",
    nameLatin: "Chan Sophea",
    email: E2E_PORTAL_PAGES.renterEmail,
    locale: "km",
  });
  const contract = await createContract({
    tenantId: t.tenantId,
    unitId: unit.id,
    renterId: renter.id,
    status: "active",
    startDate: "2026-08-01",
    rentAmount: 30_000,
    depositAmount: 30_000,
  });
  const lines = (rent: string) => [
    { kind: "rent" as const, description: rent, unitAmount: 30_000 },
    { kind: "electricity" as const, description: "Electricity 100 kWh", quantity: 100, unitAmount: 25 },
  ];
  const aug = await createRentInvoice({
    tenantId: t.tenantId,
    contractId: contract.id,
    period: "2026-08",
    lines: lines("Rent August 2026"),
  });
  const sep = await createRentInvoice({
    tenantId: t.tenantId,
    contractId: contract.id,
    period: "2026-09",
    lines: lines("Rent September 2026"),
  });
  await createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "2026-10", lines: lines("Rent October 2026") });

  const db = new TenantDb(t.tenantId);
  const pay = (invoiceId: string, method: "cash" | "bank_transfer", amount: number, paidAt: Date, reference: string | null) =>
    db.run(async (tx) => {
      const payment = await tx.payment.create({
        data: {
          tenantId: t.tenantId,
          purpose: "rent",
          rentInvoiceId: invoiceId,
          method,
          status: "paid",
          amount,
          currency: "USD",
          paidAt,
          reference,
        },
      });
      await applyRentPayment(tx, payment.id, paidAt);
    });
  await pay(aug.id, "bank_transfer", 32_500, new Date("2026-08-04T03:00:00Z"), "ABA-5521");
  await pay(sep.id, "cash", 20_000, new Date("2026-09-05T03:00:00Z"), null);

  // the sign-in and settings spec's renter, with a contract of their own
  const settingsRenter = await createRenter({
    tenantId: t.tenantId,
    nameKm: "កែវ ដារ៉ា",
    nameLatin: "Keo Dara",
    email: E2E_PORTAL_PAGES.settingsRenterEmail,
    locale: "km",
  });
  const settingsUnit = await createUnit({ tenantId: t.tenantId, propertyId: property.id, code: "B-305" });
  await createContract({
    tenantId: t.tenantId,
    unitId: settingsUnit.id,
    renterId: settingsRenter.id,
    status: "active",
    startDate: "2026-09-01",
    rentAmount: 28_000,
    depositAmount: 28_000,
  });

  // another renter of the same workspace
  const other = await createContract({ tenantId: t.tenantId, status: "active", startDate: "2026-10-01" });
  const otherInvoice = await createRentInvoice({ tenantId: t.tenantId, contractId: other.id, period: E2E_PORTAL_PAGES.otherInvoicePeriod });

  return { otherInvoiceId: otherInvoice.id };
}
