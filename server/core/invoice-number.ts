import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { yearIn } from "@/lib/dates";

export function formatInvoiceNumber(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(6, "0")}`;
}

/**
 * Takes the next number of a gap-free sequence. The upsert locks the counter row until the
 * caller's transaction ends: concurrent invoices queue behind it, and a rolled-back invoice
 * gives its number back, so numbers have neither gaps nor duplicates.
 */
export async function nextInvoiceNumber(tx: DbTx, scope: string, at: Date, prefix = "INV", timeZone = "Asia/Phnom_Penh"): Promise<string> {
  // the year in the issuer's zone: an invoice of 31 Dec 23:30 in Phnom Penh belongs to that year
  const year = yearIn(at, timeZone);
  const rows = await tx.$queryRaw<Array<{ last: number }>>`
    INSERT INTO "InvoiceCounter" ("scope", "year", "last") VALUES (${scope}, ${year}, 1)
    ON CONFLICT ("scope", "year") DO UPDATE SET "last" = "InvoiceCounter"."last" + 1
    RETURNING "last"`;
  return formatInvoiceNumber(prefix, year, Number(rows[0]!.last));
}

/** Subscription invoices share one platform-wide sequence. */
export const SUBSCRIPTION_INVOICE_SCOPE = "subscription";

/** Rent invoices: one sequence per tenant and year (R-<year>-<6 digits>). */
export function rentInvoiceScope(tenantId: string): string {
  return `rent:${tenantId}`;
}
export const RENT_INVOICE_PREFIX = "R";
