import "server-only";
import { isUniqueViolation } from "@/server/core/errors";
import { getDb } from "@/server/db/client";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { lockRow } from "@/server/core/locks";
import { loadPlanInfo } from "@/server/subscriptions/plan-info";
import { nextInvoiceNumber, RENT_INVOICE_PREFIX, rentInvoiceScope } from "@/server/core/invoice-number";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_META, type RequestMeta } from "@/server/core/request-meta";
import { deliverSoon } from "@/server/notifications/queue";
import { logger } from "@/server/core/observability/logger";
import { newPayToken } from "@/server/rent-invoices/pay-token";
import { createTranslator, isLocale, type Translator } from "@/lib/i18n";
import { canTransitionRentInvoice, statusAfterPayment } from "@/lib/rentals/invoice-state";
import { addDaysToDay, dayIn, dayToDate, periodBounds, periodOfDay, previousPeriod } from "@/lib/dates";
import { queueRentMessage } from "./rent-messages";

// The monthly invoice run. For a billing date D (a day in the tenant's timezone) and its period
// P = the month of D, every active contract whose billing day has come (billingDay ≤ day of D) and
// that has no invoice for P yet gets one invoice: rent, utilities from the meter readings
// (reading(P) − reading(P−1) × the contract's rate), the contract's recurring charges and its
// unbilled one-off charges (late fees of earlier invoices, extras), then the contract's credit.
// Each contract is billed in its own transaction with the contract row locked; the unique
// (contractId, period) makes a concurrent or repeated run skip what is already billed, so the run is
// idempotent and a missed day is caught up by the next run.

export const SKIP_REASONS = ["already_invoiced", "missing_reading", "reading_decreased", "not_active", "amount_too_large"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface RunEntry {
  contractId: string;
  unit: string;
  /** skip reason code, or "error" */
  reason: SkipReason | "error";
  /** the meter kind for reading problems */
  kind?: "electricity" | "water";
}

export interface InvoiceRunOptions {
  /** billing date "YYYY-MM-DD" in the tenant's timezone */
  date: string;
  propertyId?: string;
  /** an InvoiceRun row created by the caller (manual runs): progress is written to it as the run goes */
  runId?: string;
  trigger: "cron" | "manual" | "job";
  actor?: { userId: string | null; email: string | null; impersonatorUserId?: string | null };
  meta?: RequestMeta;
  now?: Date;
}

export interface InvoiceRunResult {
  runId: string | null;
  period: string;
  total: number;
  issued: number;
  skipped: number;
  failed: number;
  invoiceIds: string[];
  entries: RunEntry[];
}

class SkipContract extends Error {
  constructor(
    readonly reason: SkipReason,
    readonly kind?: "electricity" | "water",
  ) {
    super(reason);
  }
}

const MAX_ENTRIES = 200;
/** Invoice and line amounts are int4 columns: a larger total (each field within its own bounds) cannot be stored. */
const MAX_STORED_AMOUNT = 2_147_483_647;

interface RunTenant {
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

function monthLabel(period: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === "km" ? "km-KH" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(
    dayToDate(`${period}-01`),
  );
}

function numberLabel(n: number, locale: string): string {
  return new Intl.NumberFormat(locale === "km" ? "km-KH" : "en-US").format(n);
}

/** Bills every due contract of one tenant for the period of `opts.date`. */
export async function runInvoicesForTenant(tenantId: string, opts: InvoiceRunOptions): Promise<InvoiceRunResult> {
  const now = opts.now ?? new Date();
  const period = periodOfDay(opts.date);
  const day = Number(opts.date.slice(8, 10));
  const tenant = await getDb().tenant.findUnique({
    where: { id: tenantId },
    select: { id: true, slug: true, name: true, locale: true, timezone: true },
  });
  if (!tenant) throw new Error(`invoice run: no tenant ${tenantId}`);
  const db = new TenantDb(tenantId);
  const { first } = periodBounds(period);

  const candidates = await db.run((tx) =>
    tx.contract.findMany({
      where: {
        status: "active",
        billingDay: { lte: day },
        startDate: { lte: dayToDate(opts.date) },
        OR: [{ endDate: null }, { endDate: { gte: dayToDate(first) } }],
        invoices: { none: { period, status: { not: "void" } } },
        ...(opts.propertyId ? { unit: { propertyId: opts.propertyId } } : {}),
      },
      select: { id: true },
      orderBy: { id: "asc" },
    }),
  );

  const result: InvoiceRunResult = {
    runId: opts.runId ?? null,
    period,
    total: candidates.length,
    issued: 0,
    skipped: 0,
    failed: 0,
    invoiceIds: [],
    entries: [],
  };
  if (opts.runId) {
    await db.run((tx) => tx.invoiceRun.update({ where: { id: opts.runId }, data: { total: candidates.length, runDate: opts.date } }));
  }

  const t = createTranslator(isLocale(tenant.locale) ? tenant.locale : "km");
  const messageIds: string[] = [];
  try {
    for (const { id } of candidates) {
      let entry: RunEntry | null = null;
      try {
        const issued = await db.run((tx) => issueInvoice(tx, tenant, id, period, opts, now, t));
        result.issued += 1;
        result.invoiceIds.push(issued.invoiceId);
        if (issued.messageId) messageIds.push(issued.messageId);
      } catch (e) {
        const unit = await unitCodeOf(db, id);
        if (e instanceof SkipContract) {
          result.skipped += 1;
          entry = { contractId: id, unit, reason: e.reason, ...(e.kind ? { kind: e.kind } : {}) };
        } else if (isUniqueViolation(e)) {
          // a concurrent run billed it first
          result.skipped += 1;
          entry = { contractId: id, unit, reason: "already_invoiced" };
        } else {
          result.failed += 1;
          entry = { contractId: id, unit, reason: "error" };
          logger.error({ err: e, tenantId, contractId: id, period }, "invoice run: contract failed");
        }
        if (result.entries.length < MAX_ENTRIES) result.entries.push(entry);
      }
      if (opts.runId) {
        await db.run((tx) =>
          tx.invoiceRun.update({
            where: { id: opts.runId },
            data: {
              processed: { increment: 1 },
              ...(entry === null
                ? { issued: { increment: 1 } }
                : entry.reason === "error"
                  ? { failed: { increment: 1 } }
                  : { skipped: { increment: 1 } }),
              ...(entry ? { errors: result.entries as unknown as Prisma.InputJsonArray } : {}),
            },
          }),
        );
      }
    }
  } catch (e) {
    if (opts.runId) await finishRun(db, opts.runId, "failed", now);
    throw e;
  } finally {
    deliverSoon(messageIds);
  }

  if (opts.runId) {
    await finishRun(db, opts.runId, "done", new Date());
  } else if (await worthRecording(db, result, opts.date, opts.propertyId)) {
    const row = await db.run((tx) =>
      tx.invoiceRun.create({
        data: {
          tenantId,
          propertyId: opts.propertyId ?? null,
          runDate: opts.date,
          trigger: opts.trigger,
          status: "done",
          total: result.total,
          processed: result.total,
          issued: result.issued,
          skipped: result.skipped,
          failed: result.failed,
          errors: result.entries as unknown as Prisma.InputJsonArray,
          startedAt: now,
          finishedAt: new Date(),
        },
        select: { id: true },
      }),
    );
    result.runId = row.id;
  }
  return result;
}

/** Unattended runs leave a row when they did something, or the first time a day reported skips. */
async function worthRecording(db: TenantDb, r: InvoiceRunResult, date: string, propertyId?: string): Promise<boolean> {
  if (r.issued > 0 || r.failed > 0) return true;
  if (r.skipped === 0) return false;
  const earlier = await db.run((tx) =>
    tx.invoiceRun.count({ where: { runDate: date, propertyId: propertyId ?? null, trigger: { not: "manual" } } }),
  );
  return earlier === 0;
}

async function finishRun(db: TenantDb, runId: string, status: "done" | "failed", at: Date): Promise<void> {
  await db.run((tx) => tx.invoiceRun.update({ where: { id: runId }, data: { status, finishedAt: at } }));
}

async function unitCodeOf(db: TenantDb, contractId: string): Promise<string> {
  try {
    const c = await db.run((tx) => tx.contract.findUnique({ where: { id: contractId }, select: { unit: { select: { code: true } } } }));
    return c?.unit.code ?? "";
  } catch {
    return "";
  }
}

interface LineDraft {
  kind: "rent" | "electricity" | "water" | "charge" | "late_fee";
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  meta?: Prisma.InputJsonObject;
  position: number;
}

/** One contract's invoice, in the caller's transaction. Throws SkipContract when it must wait. */
async function issueInvoice(
  tx: DbTx,
  tenant: RunTenant,
  contractId: string,
  period: string,
  opts: InvoiceRunOptions,
  now: Date,
  t: Translator,
): Promise<{ invoiceId: string; messageId: string | null }> {
  await lockRow(tx, "Contract", contractId);
  const contract = await tx.contract.findUnique({
    where: { id: contractId },
    include: { unit: { select: { id: true, code: true } }, renter: true },
  });
  if (!contract || contract.status !== "active") throw new SkipContract("not_active");
  // a void invoice leaves its month free to bill again (the unique index is on billedPeriod)
  const existing = await tx.rentInvoice.findFirst({ where: { contractId, period, status: { not: "void" } }, select: { id: true } });
  if (existing) throw new SkipContract("already_invoiced");

  const locale = tenant.locale;
  const lines: LineDraft[] = [];
  const push = (l: Omit<LineDraft, "position">) => lines.push({ ...l, position: lines.length });
  push({
    kind: "rent",
    description: t("invoices.line.rent", { month: monthLabel(period, locale), unit: contract.unit.code }),
    quantity: 1,
    unitAmount: contract.rentAmount,
    amount: contract.rentAmount,
  });

  // utilities: usage = reading(P) − reading(P−1); a billed utility without this month's reading waits
  const prev = previousPeriod(period);
  const readings = await tx.meterReading.findMany({
    where: { unitId: contract.unitId, period: { in: [period, prev] } },
    select: { kind: true, period: true, reading: true },
  });
  for (const [kind, rate] of [
    ["electricity", contract.electricityRate],
    ["water", contract.waterRate],
  ] as const) {
    if (rate <= 0) continue;
    const current = readings.find((r) => r.kind === kind && r.period === period);
    if (!current) throw new SkipContract("missing_reading", kind);
    const previous = readings.find((r) => r.kind === kind && r.period === prev);
    if (!previous) continue; // the first reading of a meter only sets its start
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

  const charges = await tx.rentCharge.findMany({
    where: { contractId, billedInvoiceId: null, currency: contract.currency },
    orderBy: { createdAt: "asc" },
  });
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
  const issueDay = opts.date;
  const dueDate = dayToDate(addDaysToDay(issueDay, contract.dueDays));
  const number = await nextInvoiceNumber(tx, rentInvoiceScope(tenant.id), now, RENT_INVOICE_PREFIX, tenant.timezone);

  const invoice = await tx.rentInvoice.create({
    data: {
      tenantId: tenant.id,
      contractId,
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

  const actor = opts.actor ?? { userId: null, email: "system" };
  await new AuditLogger(opts.meta ?? SYSTEM_META).log(tx, tenant.id, {
    action: "rent.invoice.issued",
    actorUserId: actor.userId,
    actorEmail: actor.email,
    impersonatorUserId: actor.impersonatorUserId ?? null,
    targetType: "rent_invoice",
    targetId: invoice.id,
    metadata: {
      after: { number, period, total, currency: contract.currency, status, creditApplied },
      contractId,
      runId: opts.runId ?? null,
      trigger: opts.trigger,
      chargesBilled: charges.length,
    },
  });

  const messageId = status === "paid" ? null : await queueRentMessage(tx, tenant, contract.renter, invoice, { key: "rent.invoice_issued" });
  return { invoiceId: invoice.id, messageId };
}

/** The hourly cron: every active tenant whose local date reached a contract's billing day (catch-up included). */
export async function runInvoiceCron(now = new Date()): Promise<{ tenants: number; issued: number; skipped: number; failed: number }> {
  const tenants = await getDb().tenant.findMany({
    where: { status: "active" },
    select: { id: true, timezone: true },
    orderBy: { id: "asc" },
  });
  const out = { tenants: 0, issued: 0, skipped: 0, failed: 0 };
  for (const tenant of tenants) {
    try {
      // a suspended or canceled workspace is read-only: nothing runs on its behalf until it pays
      if (await isReadOnlyWorkspace(tenant.id)) continue;
      const r = await runInvoicesForTenant(tenant.id, { date: dayIn(now, tenant.timezone), trigger: "cron", now });
      if (r.total > 0) out.tenants += 1;
      out.issued += r.issued;
      out.skipped += r.skipped;
      out.failed += r.failed;
    } catch (e) {
      out.failed += 1;
      logger.error({ err: e, tenantId: tenant.id }, "invoice run failed for a tenant");
    }
  }
  return out;
}

/** Suspended or canceled (subscription): jobs skip it until it pays. */
export async function isReadOnlyWorkspace(tenantId: string): Promise<boolean> {
  return (await new TenantDb(tenantId).run((tx) => loadPlanInfo(tx, tenantId))).readOnly;
}
