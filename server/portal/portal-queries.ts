import "server-only";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { Prisma } from "@/server/db/generated/client";
import { afterCursor, decodeOptionalCursor, keysetOrder, pageOf, type KeysetSpec } from "@/server/core/keyset";
import { ContractLedgerService, type ContractLedger } from "@/server/payments/contract-ledger";
import { ensureReceipt, ReceiptService, type ReceiptDocument } from "@/server/receipts/receipts";
import { rentLineRow, type InvoiceListRaw } from "@/server/rent-invoices/rent-invoice-service";
import { isOpenRentInvoice } from "@/lib/rentals/invoice-state";
import { payLinkPath } from "@/lib/rentals/pay-link";
import {
  asEnumValue,
  withEnums,
  CONTRACT_STATUS_VALUES,
  PAYMENT_METHOD_VALUES,
  RENT_INVOICE_STATUS_VALUES,
  RENT_LINE_KIND_VALUES,
} from "@/lib/enums";
import type { RenterScope } from "./renter-session";

// Every read of the renter portal (/renter on the workspace host). Each function takes the signed-in
// renter's scope first and returns that renter's rows only:
//  - one transaction per call under the renter's workspace (TenantDb: the tenant filter on every
//    model call and PostgreSQL's forced row-level security);
//  - within the workspace, every query is filtered by the renter's id (a contract's renterId; an
//    invoice or payment through its contract), so a second renter of the same workspace reads
//    nothing of the first one's: another renter's id is "not found" (null), exactly like an id that
//    does not exist, never a different answer;
//  - drafts are never shown (staff have not issued them).
// The cross-renter walk (tests/integration) calls every export of this module with another renter's
// scope and ids: keep every export a function taking the scope first.

export type { RenterScope };

/** Rows per page of the invoice and receipt lists (and the most a caller may ask for). */
const PORTAL_PAGE_SIZE = 20;
const MAX_PAGE = 50;

const INVOICES: KeysetSpec = { tag: "portal.invoices.issuedAt", kinds: ["timestamp"], desc: true };
const RECEIPTS: KeysetSpec = { tag: "portal.receipts.paidAt", kinds: ["timestamp"], desc: true };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function db(scope: RenterScope): TenantDb {
  return new TenantDb(scope.tenantId);
}

function pageSize(limit: number | undefined): number {
  return Math.min(MAX_PAGE, Math.max(1, Math.trunc(limit ?? PORTAL_PAGE_SIZE) || PORTAL_PAGE_SIZE));
}

/** The renter's portal links of one invoice: its PDF, and the pay page while money is still due and the link is on. */
function invoiceLinks(inv: { id: string; status: string; total: number; amountPaid: number; payToken: string | null }) {
  const open = isOpenRentInvoice(asEnumValue(RENT_INVOICE_STATUS_VALUES, inv.status)) ? Math.max(0, inv.total - inv.amountPaid) : 0;
  return {
    open,
    payUrl: open > 0 && inv.payToken ? payLinkPath(inv.payToken) : null,
    pdfUrl: `/renter/invoices/${inv.id}/pdf`,
  };
}

async function ownsInvoice(tx: DbTx, scope: RenterScope, invoiceId: string): Promise<boolean> {
  if (!UUID.test(invoiceId)) return false;
  const found = await tx.rentInvoice.findFirst({
    where: { id: invoiceId, status: { not: "draft" }, contract: { renterId: scope.renterId } },
    select: { id: true },
  });
  return found !== null;
}

async function ownsPayment(tx: DbTx, scope: RenterScope, paymentId: string): Promise<boolean> {
  if (!UUID.test(paymentId)) return false;
  const found = await tx.payment.findFirst({
    where: {
      id: paymentId,
      purpose: "rent",
      status: { in: ["paid", "refunded"] },
      rentInvoice: { status: { not: "draft" }, contract: { renterId: scope.renterId } },
    },
    select: { id: true },
  });
  return found !== null;
}

// ───────────────────────── contracts ─────────────────────────

export interface PortalContract {
  id: string;
  status: (typeof CONTRACT_STATUS_VALUES)[number];
  unitCode: string;
  propertyName: string;
  propertyAddress: string | null;
  rentAmount: number;
  depositAmount: number;
  currency: string;
  /** calendar days (YYYY-MM-DD) */
  startDate: string;
  endDate: string | null;
  /** overpayments kept for the next invoices (minor units) */
  credit: number;
}

/** The renter's contracts (not drafts), newest first. */
export async function renterContracts(scope: RenterScope): Promise<PortalContract[]> {
  const rows = await db(scope).run((tx) =>
    tx.contract.findMany({
      where: { renterId: scope.renterId, status: { not: "draft" } },
      include: { unit: { include: { property: { select: { name: true, address: true } } } } },
      orderBy: [{ startDate: "desc" }, { id: "desc" }],
    }),
  );
  return rows.map((c) => ({
    id: c.id,
    status: asEnumValue(CONTRACT_STATUS_VALUES, c.status),
    unitCode: c.unit.code,
    propertyName: c.unit.property.name,
    propertyAddress: c.unit.property.address,
    rentAmount: c.rentAmount,
    depositAmount: c.depositAmount,
    currency: c.currency,
    startDate: c.startDate.toISOString().slice(0, 10),
    endDate: c.endDate ? c.endDate.toISOString().slice(0, 10) : null,
    credit: c.creditBalance,
  }));
}

/** Each of the renter's contracts with its ledger (charges, payments, running balance). */
export async function renterLedgers(scope: RenterScope): Promise<Array<{ contract: PortalContract; ledger: ContractLedger }>> {
  const contracts = await renterContracts(scope);
  const service = new ContractLedgerService({ db: db(scope) });
  const out: Array<{ contract: PortalContract; ledger: ContractLedger }> = [];
  for (const contract of contracts) out.push({ contract, ledger: await service.get(contract.id) });
  return out;
}

/** One contract's ledger, or null when it is not this renter's. */
export async function renterLedger(scope: RenterScope, contractId: string): Promise<ContractLedger | null> {
  if (!UUID.test(contractId)) return null;
  const tenant = db(scope);
  const mine = await tenant.run((tx) =>
    tx.contract.findFirst({ where: { id: contractId, renterId: scope.renterId, status: { not: "draft" } }, select: { id: true } }),
  );
  return mine ? new ContractLedgerService({ db: tenant }).get(mine.id) : null;
}

// ───────────────────────── invoices ─────────────────────────

export interface PortalInvoiceRow {
  id: string;
  number: string;
  period: string;
  status: (typeof RENT_INVOICE_STATUS_VALUES)[number];
  currency: string;
  total: number;
  amountPaid: number;
  /** still to pay (0 unless the invoice is open) */
  open: number;
  /** calendar day YYYY-MM-DD */
  dueDate: string;
  issuedAt: Date;
  unitCode: string;
  propertyName: string;
  /** the pay page (/pay/<token>) while money is due and the link is on, else null */
  payUrl: string | null;
  pdfUrl: string;
}

/** A row of the renter's invoice list query: the staff list's columns the portal shows, and the pay token. */
type InvoiceRaw = Pick<
  InvoiceListRaw,
  "id" | "number" | "period" | "status" | "currency" | "total" | "amountPaid" | "dueDate" | "issuedAt" | "unitCode" | "propertyName"
> & { payToken: string | null };

function invoiceRow(r: InvoiceRaw): PortalInvoiceRow {
  const links = invoiceLinks(r);
  return {
    id: r.id,
    number: r.number,
    period: r.period,
    status: asEnumValue(RENT_INVOICE_STATUS_VALUES, r.status),
    currency: r.currency,
    total: r.total,
    amountPaid: r.amountPaid,
    open: links.open,
    dueDate: r.dueDate.toISOString().slice(0, 10),
    issuedAt: r.issuedAt,
    unitCode: r.unitCode,
    propertyName: r.propertyName,
    payUrl: links.payUrl,
    pdfUrl: links.pdfUrl,
  };
}

/**
 * The renter's invoices, newest issued first, a page at a time (opaque keyset cursor: issuedAt, id).
 * The renter's contracts are few; each contract's invoices are read through the invoice index
 * (tenantId, contractId, ...) and the cursor condition, so a page costs about the same at any depth.
 */
export async function renterInvoices(
  scope: RenterScope,
  input: { cursor?: string | null; limit?: number; openOnly?: boolean } = {},
): Promise<{ items: PortalInvoiceRow[]; nextCursor: string | null }> {
  const limit = pageSize(input.limit);
  const after = decodeOptionalCursor(INVOICES, input.cursor);
  const cols = [Prisma.sql`i."issuedAt"`];
  const id = Prisma.sql`i."id"`;
  const rows = await db(scope).run(
    (tx) =>
      tx.$queryRaw<InvoiceRaw[]>`
      SELECT i."id", i."number", i."period", i."status", i."currency", i."total", i."amountPaid", i."dueDate",
             i."issuedAt", i."payToken", u."code" AS "unitCode", p."name" AS "propertyName"
        FROM "RentInvoice" i
        JOIN "Contract" c ON c."tenantId" = i."tenantId" AND c."id" = i."contractId"
        JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u."id" = c."unitId"
        JOIN "Property" p ON p."tenantId" = u."tenantId" AND p."id" = u."propertyId"
       WHERE i."tenantId" = ${scope.tenantId}::uuid
         AND c."tenantId" = ${scope.tenantId}::uuid
         AND c."renterId" = ${scope.renterId}::uuid
         AND i."status" <> 'draft'
         ${input.openOnly ? Prisma.sql`AND i."status" IN ('issued', 'partially_paid', 'overdue')` : Prisma.empty}
         ${after ? Prisma.sql`AND ${afterCursor(INVOICES, cols, id, after)}` : Prisma.empty}
       ORDER BY ${keysetOrder(INVOICES, cols, id)}
       LIMIT ${limit + 1}`,
  );
  const page = pageOf(INVOICES, rows, limit, (r) => ({ keys: [r.issuedAt], id: r.id }));
  return { items: page.rows.map(invoiceRow), nextCursor: page.nextCursor };
}

/** The renter's open invoices (money still due), oldest due first: the home page's "to pay" list. */
export async function renterOpenInvoices(scope: RenterScope): Promise<PortalInvoiceRow[]> {
  const { items } = await renterInvoices(scope, { openOnly: true, limit: MAX_PAGE });
  return items.filter((i) => i.open > 0).sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
}

export interface PortalInvoiceDetail extends PortalInvoiceRow {
  lines: Array<{
    id: string;
    kind: (typeof RENT_LINE_KIND_VALUES)[number];
    description: string;
    quantity: number;
    unitAmount: number;
    amount: number;
    meta: unknown;
  }>;
  creditApplied: number;
  paidAt: Date | null;
  /** the payments received for it, each with its receipt */
  receipts: PortalReceiptRow[];
}

/** One of the renter's invoices with its lines and receipts, or null (unknown, a draft, or another renter's). */
export async function renterInvoice(scope: RenterScope, invoiceId: string): Promise<PortalInvoiceDetail | null> {
  const found = await db(scope).run(async (tx) => {
    if (!(await ownsInvoice(tx, scope, invoiceId))) return null;
    return tx.rentInvoice.findUniqueOrThrow({
      where: { id: invoiceId },
      include: {
        lines: { orderBy: [{ position: "asc" }, { id: "asc" }] },
        contract: { include: { unit: { include: { property: { select: { name: true } } } } } },
      },
    });
  });
  if (!found) return null;
  const row = invoiceRow({ ...found, unitCode: found.contract.unit.code, propertyName: found.contract.unit.property.name });
  const { items } = await renterReceipts(scope, { invoiceId, limit: MAX_PAGE });
  return {
    ...row,
    creditApplied: found.creditApplied,
    paidAt: found.paidAt,
    lines: found.lines.map((l) => ({ ...rentLineRow(l), meta: l.meta })),
    receipts: items,
  };
}

/**
 * What the invoice PDF prints (the shape of RentInvoiceService.document, server/pdf/rent-pdf.ts), for
 * one of the renter's invoices, or null (unknown, a draft, or another renter's).
 */
export async function renterInvoiceDocument(scope: RenterScope, invoiceId: string) {
  return db(scope).run(async (tx) => {
    if (!(await ownsInvoice(tx, scope, invoiceId))) return null;
    const inv = await tx.rentInvoice.findUniqueOrThrow({
      where: { id: invoiceId },
      include: {
        lines: { orderBy: { position: "asc" } },
        payments: { where: { status: "paid" }, orderBy: { paidAt: "asc" } },
        contract: { include: { renter: true, unit: { include: { property: true } } } },
      },
    });
    return withEnums(inv, { status: RENT_INVOICE_STATUS_VALUES });
  });
}

// ───────────────────────── receipts ─────────────────────────

export interface PortalReceiptRow {
  /** the payment's id (a receipt is one payment) */
  id: string;
  /** RC-<year>-<6 digits> */
  number: string;
  paidAt: Date;
  amount: number;
  currency: string;
  method: (typeof PAYMENT_METHOD_VALUES)[number];
  reference: string | null;
  /** received in the invoice's other currency (docs/CURRENCY.md): what came in and the rate; all null otherwise */
  receivedAmount: number | null;
  receivedCurrency: string | null;
  khrPerUsd: number | null;
  refunded: boolean;
  invoiceId: string;
  invoiceNumber: string;
  period: string;
  /** left to pay on the invoice right after this payment (minor units) */
  balanceAfter: number;
  pdfUrl: string;
}

interface ReceiptRaw {
  id: string;
  receiptNumber: string | null;
  paidAt: Date;
  amount: number;
  currency: string;
  method: string;
  reference: string | null;
  receivedAmount: number | null;
  receivedCurrency: string | null;
  khrPerUsd: number | null;
  status: string;
  invoiceId: string;
  invoiceNumber: string;
  period: string;
  receiptBalanceAfter: number | null;
}

/**
 * The renter's receipts (every rent payment received, refunded ones marked), newest first, a page at
 * a time (opaque keyset cursor: paidAt, id); `invoiceId` narrows them to one invoice. A payment applied
 * before receipts were numbered gets its number here, as on its first download (receipts.ts).
 */
export async function renterReceipts(
  scope: RenterScope,
  input: { cursor?: string | null; limit?: number; invoiceId?: string } = {},
): Promise<{ items: PortalReceiptRow[]; nextCursor: string | null }> {
  const limit = pageSize(input.limit);
  const after = decodeOptionalCursor(RECEIPTS, input.cursor);
  if (input.invoiceId !== undefined && !UUID.test(input.invoiceId)) return { items: [], nextCursor: null };
  const cols = [Prisma.sql`pm."paidAt"`];
  const id = Prisma.sql`pm."id"`;
  const select = (tx: DbTx) =>
    tx.$queryRaw<ReceiptRaw[]>`
      SELECT pm."id", pm."receiptNumber", pm."paidAt", pm."amount", pm."currency", pm."method", pm."reference", pm."status",
             pm."receivedAmount", pm."receivedCurrency", pm."khrPerUsd",
             i."id" AS "invoiceId", i."number" AS "invoiceNumber", i."period", pm."receiptBalanceAfter"
        FROM "Payment" pm
        JOIN "RentInvoice" i ON i."tenantId" = pm."tenantId" AND i."id" = pm."rentInvoiceId"
        JOIN "Contract" c ON c."tenantId" = i."tenantId" AND c."id" = i."contractId"
       WHERE pm."tenantId" = ${scope.tenantId}::uuid
         AND i."tenantId" = ${scope.tenantId}::uuid
         AND c."tenantId" = ${scope.tenantId}::uuid
         AND c."renterId" = ${scope.renterId}::uuid
         AND i."status" <> 'draft'
         AND pm."purpose" = 'rent'
         AND pm."status" IN ('paid', 'refunded')
         AND pm."paidAt" IS NOT NULL
         ${input.invoiceId ? Prisma.sql`AND i."id" = ${input.invoiceId}::uuid` : Prisma.empty}
         ${after ? Prisma.sql`AND ${afterCursor(RECEIPTS, cols, id, after)}` : Prisma.empty}
       ORDER BY ${keysetOrder(RECEIPTS, cols, id)}
       LIMIT ${limit + 1}`;
  const rows = await db(scope).run(async (tx) => {
    let found = await select(tx);
    const unnumbered = found.filter((r) => r.receiptNumber === null);
    if (unnumbered.length > 0) {
      for (const r of unnumbered) await ensureReceipt(tx, r.id, new Date());
      found = await select(tx);
    }
    return found;
  });
  const page = pageOf(RECEIPTS, rows, limit, (r) => ({ keys: [r.paidAt], id: r.id }));
  return {
    items: page.rows.map((r) => ({
      id: r.id,
      number: r.receiptNumber ?? "",
      paidAt: r.paidAt,
      amount: r.amount,
      currency: r.currency,
      method: asEnumValue(PAYMENT_METHOD_VALUES, r.method),
      reference: r.reference,
      receivedAmount: r.receivedAmount,
      receivedCurrency: r.receivedCurrency,
      khrPerUsd: r.khrPerUsd,
      refunded: r.status === "refunded",
      invoiceId: r.invoiceId,
      invoiceNumber: r.invoiceNumber,
      period: r.period,
      balanceAfter: r.receiptBalanceAfter ?? 0,
      pdfUrl: `/renter/receipts/${r.id}/pdf`,
    })),
    nextCursor: page.nextCursor,
  };
}

/** The renter's latest receipt, or null when nothing was paid yet. */
export async function renterLastReceipt(scope: RenterScope): Promise<PortalReceiptRow | null> {
  const { items } = await renterReceipts(scope, { limit: 1 });
  return items[0] ?? null;
}

/** What the receipt PDF prints (server/pdf/receipt-pdf.ts) for one of the renter's payments, or null. */
export async function renterReceiptDocument(scope: RenterScope, paymentId: string): Promise<ReceiptDocument | null> {
  const tenant = db(scope);
  const mine = await tenant.run((tx) => ownsPayment(tx, scope, paymentId));
  return mine ? new ReceiptService({ db: tenant }).document(paymentId) : null;
}

// ───────────────────────── home ─────────────────────────

export interface PortalHome {
  /** per contract: what is still due, the credit, the ledger's balance */
  balances: Array<{
    contractId: string;
    unitCode: string;
    propertyName: string;
    status: PortalContract["status"];
    currency: string;
    outstanding: number;
    credit: number;
    balance: number;
  }>;
  openInvoices: PortalInvoiceRow[];
  lastReceipt: PortalReceiptRow | null;
}

/** The portal's home: balance per contract, the open invoices with their pay links, the last receipt. */
export async function renterHome(scope: RenterScope): Promise<PortalHome> {
  const ledgers = await renterLedgers(scope);
  const [openInvoices, lastReceipt] = [await renterOpenInvoices(scope), await renterLastReceipt(scope)];
  return {
    balances: ledgers.map(({ contract, ledger }) => ({
      contractId: contract.id,
      unitCode: contract.unitCode,
      propertyName: contract.propertyName,
      status: contract.status,
      currency: ledger.currency,
      outstanding: ledger.outstanding,
      credit: ledger.credit,
      balance: ledger.balance,
    })),
    openInvoices,
    lastReceipt,
  };
}
