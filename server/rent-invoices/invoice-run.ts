import "server-only";
import { isUniqueViolation } from "@/server/core/errors";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { loadPlanInfo } from "@/server/subscriptions/plan-info";
import { deliverSoon } from "@/server/notifications/queue";
import { logger } from "@/server/core/observability/logger";
import { createTranslator, isLocale } from "@/lib/i18n";
import { dayIn, dayToDate, periodBounds, periodOfDay } from "@/lib/dates";
import { issueContractInvoice, SkipContract, type InvoiceRunOptions, type SkipReason } from "./contract-invoice";

export { SKIP_REASONS, type InvoiceRunOptions, type SkipReason } from "./contract-invoice";

// The monthly invoice run. For a billing date D (a day in the tenant's timezone) and its period
// P = the month of D, every active contract whose billing day has come (billingDay ≤ day of D) and
// that has no invoice for P yet gets one invoice (its lines: contract-invoice.ts).
// Each contract is billed in its own transaction with the contract row locked; the unique
// (contractId, period) makes a concurrent or repeated run skip what is already billed, so the run is
// idempotent and a missed day is caught up by the next run.

export interface RunEntry {
  contractId: string;
  unit: string;
  /** skip reason code, or "error" */
  reason: SkipReason | "error";
  /** the meter kind for reading problems */
  kind?: "electricity" | "water";
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

const MAX_ENTRIES = 200;

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
        const issued = await db.run((tx) => issueContractInvoice(tx, tenant, id, period, opts, now, t));
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
