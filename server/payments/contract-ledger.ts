import "server-only";
import { AppError } from "@/server/core/errors";
import type { TenantContext } from "@/server/core/tenant-context";
import { isOpenRentInvoice } from "@/lib/rentals/invoice-state";
import { asEnumValue, PAYMENT_METHOD_VALUES, RENT_INVOICE_STATUS_VALUES } from "@/lib/enums";

// A contract's rent statement: what was charged, what was paid, the running balance.

export type LedgerEntry =
  | {
      kind: "invoice";
      id: string;
      at: Date;
      number: string;
      period: string;
      status: string;
      /** minor units added to what the renter owes */
      amount: number;
      balance: number;
    }
  | {
      kind: "payment";
      id: string;
      at: Date;
      invoiceId: string;
      invoiceNumber: string;
      method: "khqr" | "cash" | "bank_transfer";
      reference: string | null;
      /** minor units received, in the contract's (the invoice's) currency */
      amount: number;
      /** received in the other currency (docs/CURRENCY.md): what came in and the rate; all null otherwise */
      receivedAmount: number | null;
      receivedCurrency: string | null;
      khrPerUsd: number | null;
      balance: number;
    };

export interface ContractLedger {
  contractId: string;
  currency: string;
  entries: LedgerEntry[];
  totalCharged: number;
  totalPaid: number;
  /** charged − paid: > 0 the renter owes, < 0 the renter is in credit */
  balance: number;
  /** Contract.creditBalance: overpayments not yet applied to an invoice */
  credit: number;
  /** still due on open invoices */
  outstanding: number;
}

export class ContractLedgerService {
  // only the tenant handle: the renter portal (server/portal/portal-queries.ts) reads it without a member
  constructor(private readonly ctx: Pick<TenantContext, "db">) {}

  /**
   * The contract's statement: every non-void (issued) invoice as a charge, every paid rent payment
   * as a payment, in time order, with the running balance. Credit applied to an invoice is not a
   * separate line: the overpayment that created it already lowered the balance.
   */
  async get(contractId: string): Promise<ContractLedger> {
    return this.ctx.db.run(async (tx) => {
      const contract = await tx.contract.findUnique({
        where: { id: contractId },
        select: { id: true, currency: true, creditBalance: true },
      });
      if (!contract) throw new AppError("NOT_FOUND", "errors.notFound");
      const invoices = await tx.rentInvoice.findMany({
        where: { contractId, status: { notIn: ["void", "draft"] } },
        select: { id: true, number: true, period: true, status: true, total: true, amountPaid: true, issuedAt: true },
        orderBy: [{ issuedAt: "asc" }, { id: "asc" }],
      });
      const payments = await tx.payment.findMany({
        where: { purpose: "rent", status: "paid", rentInvoice: { contractId } },
        select: {
          id: true,
          method: true,
          amount: true,
          receivedAmount: true,
          receivedCurrency: true,
          khrPerUsd: true,
          reference: true,
          paidAt: true,
          createdAt: true,
          rentInvoiceId: true,
        },
      });
      const numbers = new Map(invoices.map((i) => [i.id, i.number]));
      const missing = [...new Set(payments.map((p) => p.rentInvoiceId!).filter((id) => !numbers.has(id)))];
      if (missing.length > 0) {
        for (const i of await tx.rentInvoice.findMany({ where: { id: { in: missing } }, select: { id: true, number: true } })) {
          numbers.set(i.id, i.number);
        }
      }
      type Draft = { sortAt: number; order: number } & (
        Omit<Extract<LedgerEntry, { kind: "invoice" }>, "balance"> | Omit<Extract<LedgerEntry, { kind: "payment" }>, "balance">
      );
      const drafts: Draft[] = [
        ...invoices.map((i) => ({
          kind: "invoice" as const,
          id: i.id,
          at: i.issuedAt,
          number: i.number,
          period: i.period,
          status: asEnumValue(RENT_INVOICE_STATUS_VALUES, i.status),
          amount: i.total,
          sortAt: i.issuedAt.getTime(),
          order: 0,
        })),
        ...payments.map((p) => ({
          kind: "payment" as const,
          id: p.id,
          at: p.paidAt ?? p.createdAt,
          invoiceId: p.rentInvoiceId!,
          invoiceNumber: numbers.get(p.rentInvoiceId!) ?? "",
          method: asEnumValue(PAYMENT_METHOD_VALUES, p.method),
          reference: p.reference,
          amount: p.amount,
          receivedAmount: p.receivedAmount,
          receivedCurrency: p.receivedCurrency,
          khrPerUsd: p.khrPerUsd,
          sortAt: (p.paidAt ?? p.createdAt).getTime(),
          order: 1,
        })),
      ];
      drafts.sort((a, b) => a.sortAt - b.sortAt || a.order - b.order || a.id.localeCompare(b.id));
      let balance = 0;
      let totalCharged = 0;
      let totalPaid = 0;
      const entries: LedgerEntry[] = drafts.map(({ sortAt: _s, order: _o, ...e }) => {
        if (e.kind === "invoice") {
          totalCharged += e.amount;
          balance += e.amount;
        } else {
          totalPaid += e.amount;
          balance -= e.amount;
        }
        return { ...e, balance } as LedgerEntry;
      });
      const outstanding = invoices
        .filter((i) => isOpenRentInvoice(asEnumValue(RENT_INVOICE_STATUS_VALUES, i.status)))
        .reduce((sum, i) => sum + Math.max(0, i.total - i.amountPaid), 0);
      return {
        contractId,
        currency: contract.currency,
        entries,
        totalCharged,
        totalPaid,
        balance,
        credit: contract.creditBalance,
        outstanding,
      };
    });
  }
}
