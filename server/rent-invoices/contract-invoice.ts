import "server-only";
import { createFormat } from "@/lib/i18n/format";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { lockRow } from "@/server/core/locks";
import { nextInvoiceNumber, RENT_INVOICE_PREFIX, rentInvoiceScope } from "@/server/core/invoice-number";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_ACTOR, SYSTEM_META, type Actor, type RequestMeta } from "@/server/core/request-meta";
import { newPayToken } from "@/server/rent-invoices/pay-token";
import type { Translator } from "@/lib/i18n";
import { canTransitionRentInvoice, statusAfterPayment, type RentInvoiceStatusName } from "@/lib/rentals/invoice-state";
import { addDaysToDay, dayToDate, previousPeriod } from "@/lib/dates";
import { queueRentMessage } from "./rent-messages";

// One contract's invoice for one period, in the caller's transaction: rent, utilities from the
// meter readings (reading(P) − reading(P−1) × the contract's rate), the contract's recurring
// charges and its unbilled one-off charges (late fees of earlier invoices, extras), then the
// contract's credit. A contract that must wait (no reading yet, already billed, ...) is skipped
// with a reason. The monthly run over every due contract is invoice-run.ts.

export const SKIP_REASONS = ["already_invoiced", "missing_reading", "reading_decreased", "not_active", "amount_too_large"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
/**
 * Notes on an ISSUED invoice that the run reports next to its skips: "no_opening_reading" = a
 * utility the contract bills was left off because the meter has no reading for the month before
 * (its first reading only sets the start). An opening reading (the readings grid, the month before
 * the first billed month) fixes it for the next invoice.
 */
export const RUN_NOTE_REASONS = ["no_opening_reading"] as const;
export type RunNoteReason = (typeof RUN_NOTE_REASONS)[number];
export type UtilityKind = "electricity" | "water";

export interface InvoiceRunOptions {
  /** billing date "YYYY-MM-DD" in the tenant's timezone */
  date: string;
  propertyId?: string;
  /** an InvoiceRun row created by the caller (manual runs): progress is written to it as the run goes */
  runId?: string;
  trigger: "cron" | "manual" | "job";
  actor?: Actor;
  meta?: RequestMeta;
  now?: Date;
  /** contracts per chunk transaction (default RUN_CHUNK_SIZE in invoice-run.ts) */
  chunkSize?: number;
  /**
   * Tests: called inside chunk k's transaction (0-based) after its rows are written, before commit.
   * A throw here is a crash: the chunk rolls back and the run stops (marked failed), as a killed process would.
   */
  onChunkWritten?: (k: number) => void | Promise<void>;
}

export class SkipContract extends Error {
  constructor(
    readonly reason: SkipReason,
    readonly kind?: "electricity" | "water",
  ) {
    super(reason);
  }
}

/** Invoice and line amounts are int4 columns: a larger total (each field within its own bounds) cannot be stored. */
const MAX_STORED_AMOUNT = 2_147_483_647;

export interface RunTenant {
  id: string;
  slug: string;
  name: string;
  locale: string;
  timezone: string;
}

export function parseRecurringCharges(raw: unknown): Array<{ description: string; amount: number }> {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { description, amount } = item as { description?: unknown; amount?: unknown };
    if (typeof description !== "string" || typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) return [];
    return [{ description: description.trim() || "—", amount }];
  });
}

// lib/i18n/format.ts keeps one formatter per locale (the run labels thousands of lines)

function monthLabel(period: string, locale: string): string {
  return createFormat(locale).month(period);
}

function numberLabel(n: number, locale: string): string {
  return createFormat(locale).number(n);
}

export interface LineDraft {
  kind: "rent" | "electricity" | "water" | "charge" | "late_fee";
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  meta?: Prisma.InputJsonObject;
  position: number;
}

/** What the invoice of one contract is computed from (read by the per-contract path or a chunk of the run). */
export interface DraftContract {
  unitCode: string;
  rentAmount: number;
  currency: string;
  dueDays: number;
  electricityRate: number;
  waterRate: number;
  recurringCharges: unknown;
  creditBalance: number;
}

export interface DraftReading {
  kind: string;
  period: string;
  reading: number;
}

export interface DraftCharge {
  id: string;
  kind: string;
  description: string;
  amount: number;
}

export interface InvoiceDraft {
  lines: LineDraft[];
  total: number;
  creditApplied: number;
  status: RentInvoiceStatusName;
  dueDate: Date;
  /** the unbilled charges the invoice bills (ids, in line order) */
  chargeIds: string[];
  /** utilities the contract bills that this invoice leaves out: no reading for the month before */
  withoutUtilities: UtilityKind[];
}

/**
 * The content of one contract's invoice for `period`, without the database: rent, utilities from
 * the unit's readings of `period` and the month before, recurring charges, the unbilled charges
 * (in the contract's currency, oldest first), then the contract's credit. Throws SkipContract
 * when the contract must wait. The one computation both the per-contract path and the chunked run use.
 */
export function draftContractInvoice(
  contract: DraftContract,
  readings: readonly DraftReading[],
  charges: readonly DraftCharge[],
  period: string,
  issueDay: string,
  locale: string,
  t: Translator,
): InvoiceDraft {
  const lines: LineDraft[] = [];
  const push = (l: Omit<LineDraft, "position">) => lines.push({ ...l, position: lines.length });
  push({
    kind: "rent",
    description: t("invoices.line.rent", { month: monthLabel(period, locale), unit: contract.unitCode }),
    quantity: 1,
    unitAmount: contract.rentAmount,
    amount: contract.rentAmount,
  });

  // utilities: usage = reading(P) − reading(P−1); a billed utility without this month's reading waits
  const prev = previousPeriod(period);
  const withoutUtilities: UtilityKind[] = [];
  for (const [kind, rate] of [
    ["electricity", contract.electricityRate],
    ["water", contract.waterRate],
  ] as const) {
    if (rate <= 0) continue;
    const current = readings.find((r) => r.kind === kind && r.period === period);
    if (!current) throw new SkipContract("missing_reading", kind);
    const previous = readings.find((r) => r.kind === kind && r.period === prev);
    if (!previous) {
      // the first reading of a meter only sets its start: billed without it, and the run says so
      withoutUtilities.push(kind);
      continue;
    }
    const usage = current.reading - previous.reading;
    if (usage < 0) throw new SkipContract("reading_decreased", kind);
    push({
      kind,
      description: t(kind === "electricity" ? "invoices.line.electricity" : "invoices.line.water", {
        from: numberLabel(previous.reading, locale),
        to: numberLabel(current.reading, locale),
        usage: numberLabel(usage, locale),
      }),
      quantity: usage,
      unitAmount: rate,
      amount: usage * rate,
      meta: { previous: previous.reading, current: current.reading, previousPeriod: prev, period },
    });
  }

  for (const charge of parseRecurringCharges(contract.recurringCharges)) {
    push({ kind: "charge", description: charge.description, quantity: 1, unitAmount: charge.amount, amount: charge.amount });
  }

  for (const c of charges) {
    push({
      kind: c.kind === "late_fee" ? "late_fee" : "charge",
      description: c.description,
      quantity: 1,
      unitAmount: c.amount,
      amount: c.amount,
      meta: { chargeId: c.id },
    });
  }

  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  if (total > MAX_STORED_AMOUNT || lines.some((l) => l.quantity > MAX_STORED_AMOUNT || l.unitAmount > MAX_STORED_AMOUNT)) {
    throw new SkipContract("amount_too_large");
  }
  const creditApplied = Math.min(contract.creditBalance, total);
  const status = statusAfterPayment({ status: "issued", total, amountPaid: creditApplied });
  if (status !== "issued" && !canTransitionRentInvoice("issued", status)) throw new Error(`illegal status ${status}`);
  const dueDate = dayToDate(addDaysToDay(issueDay, contract.dueDays));
  return { lines, total, creditApplied, status, dueDate, chargeIds: charges.map((c) => c.id), withoutUtilities };
}

/** The audit metadata of an issued invoice (the same for both paths). */
export function issuedAuditMetadata(
  d: { number: string; period: string; total: number; currency: string; status: string; creditApplied: number },
  contractId: string,
  opts: InvoiceRunOptions,
  chargesBilled: number,
): Prisma.InputJsonObject {
  return {
    after: { number: d.number, period: d.period, total: d.total, currency: d.currency, status: d.status, creditApplied: d.creditApplied },
    contractId,
    runId: opts.runId ?? null,
    trigger: opts.trigger,
    chargesBilled,
  };
}

/** One contract's invoice, in the caller's transaction. Throws SkipContract when it must wait. */
export async function issueContractInvoice(
  tx: DbTx,
  tenant: RunTenant,
  contractId: string,
  period: string,
  opts: InvoiceRunOptions,
  now: Date,
  t: Translator,
): Promise<{ invoiceId: string; messageId: string | null; messageIds: string[]; withoutUtilities: UtilityKind[] }> {
  await lockRow(tx, "Contract", contractId);
  const contract = await tx.contract.findUnique({
    where: { id: contractId },
    include: { unit: { select: { id: true, code: true, propertyId: true } }, renter: true },
  });
  if (!contract || contract.status !== "active") throw new SkipContract("not_active");
  // a void invoice leaves its month free to bill again (the unique index is on billedPeriod)
  const existing = await tx.rentInvoice.findFirst({ where: { contractId, period, status: { not: "void" } }, select: { id: true } });
  if (existing) throw new SkipContract("already_invoiced");

  const readings = await tx.meterReading.findMany({
    where: { unitId: contract.unitId, period: { in: [period, previousPeriod(period)] } },
    select: { kind: true, period: true, reading: true },
  });
  const charges = await tx.rentCharge.findMany({
    where: { contractId, billedInvoiceId: null, currency: contract.currency },
    orderBy: { createdAt: "asc" },
  });
  const { lines, total, creditApplied, status, dueDate, withoutUtilities } = draftContractInvoice(
    { ...contract, unitCode: contract.unit.code },
    readings,
    charges,
    period,
    opts.date,
    tenant.locale,
    t,
  );
  const number = await nextInvoiceNumber(tx, rentInvoiceScope(tenant.id), now, RENT_INVOICE_PREFIX, tenant.timezone);

  const invoice = await tx.rentInvoice.create({
    data: {
      tenantId: tenant.id,
      contractId,
      propertyId: contract.unit.propertyId,
      number,
      period,
      status,
      currency: contract.currency,
      total,
      amountPaid: creditApplied,
      creditApplied,
      issuedAt: now,
      dueDate,
      paidAt: status === "paid" ? now : null,
      payToken: newPayToken(),
      runId: opts.runId ?? null,
      lines: { create: lines.map((l) => ({ ...l, meta: l.meta ?? undefined })) },
    },
  });

  if (charges.length > 0) {
    const { count } = await tx.rentCharge.updateMany({
      where: { id: { in: charges.map((c) => c.id) }, billedInvoiceId: null },
      data: { billedInvoiceId: invoice.id },
    });
    if (count !== charges.length) throw new Error("invoice run: a charge was billed concurrently");
  }
  if (creditApplied > 0) {
    await tx.contract.update({ where: { id: contractId }, data: { creditBalance: { decrement: creditApplied } } });
  }

  const actor = opts.actor ?? SYSTEM_ACTOR;
  await new AuditLogger(opts.meta ?? SYSTEM_META).log(tx, tenant.id, {
    action: "rent.invoice.issued",
    actorUserId: actor.userId,
    actorEmail: actor.email,
    impersonatorUserId: actor.impersonatorUserId ?? null,
    targetType: "rent_invoice",
    targetId: invoice.id,
    metadata: issuedAuditMetadata(
      { number, period, total, currency: contract.currency, status, creditApplied },
      contractId,
      opts,
      charges.length,
    ),
  });

  // one message per channel the renter gets messages on (e-mail, Telegram or both)
  const messageIds = status === "paid" ? [] : await queueRentMessage(tx, tenant, contract.renter, invoice, { key: "rent.invoice_issued" });
  return { invoiceId: invoice.id, messageId: messageIds[0] ?? null, messageIds, withoutUtilities };
}
