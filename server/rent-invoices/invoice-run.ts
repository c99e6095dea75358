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
import type { Translator } from "@/lib/i18n";
import {
  issueContractInvoice,
  SkipContract,
  type InvoiceRunOptions,
  type RunNoteReason,
  type RunTenant,
  type SkipReason,
} from "./contract-invoice";
import { issueChunk, recordChunkProgress } from "./invoice-run-batch";

export { RUN_NOTE_REASONS, SKIP_REASONS, type InvoiceRunOptions, type RunNoteReason, type SkipReason } from "./contract-invoice";

// The monthly invoice run. For a billing date D (a day in the tenant's timezone) and its period
// P = the month of D, every active contract whose billing day has come (billingDay ≤ day of D) and
// that has no invoice for P yet gets one invoice (its lines: contract-invoice.ts).
// The contracts are billed in chunks of RUN_CHUNK_SIZE, each in one transaction with its contract
// rows locked and its rows written set-based (invoice-run-batch.ts); a chunk that fails as a whole is
// billed contract by contract. The unique (contractId, billedPeriod) and the check under the locks
// make a concurrent or repeated run skip what is already billed, so the run is idempotent, a crash
// loses nothing committed (a rerun bills the rest) and a missed day is caught up by the next run.
// The run never sends: its messages (committed with their outbox events) go to deliverSoon's
// bounded queue once the run is recorded. Once invoices are issued the run does not throw:
// per-contract problems are entries on the run, its bookkeeping writes are retried and logged.

export interface RunEntry {
  contractId: string;
  unit: string;
  /**
   * skip reason code, "error", or a note on an issued invoice ("no_opening_reading": billed
   * without that utility); notes count as issued, not skipped
   */
  reason: SkipReason | "error" | RunNoteReason;
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
  // the committed chunks' messages, handed to the delivery queue once the run is recorded, so no
  // send competes with the run for connections (their outbox events are committed with them)
  const messageIds: string[] = [];
  const chunkSize = Math.max(1, opts.chunkSize ?? RUN_CHUNK_SIZE);
  for (let k = 0, from = 0; from < candidates.length; k++, from += chunkSize) {
    const ids = candidates.slice(from, from + chunkSize).map((c) => c.id);
    let crashed = false;
    let entries = result.entries;
    try {
      const chunk = await db.run(
        async (tx) => {
          const r = await issueChunk(tx, tenant, ids, period, opts, now, t);
          const added = [...r.skipped.map((s): RunEntry => ({ ...s })), ...r.notes.map((n): RunEntry => ({ ...n }))];
          entries = [...result.entries, ...added].slice(0, MAX_ENTRIES);
          if (opts.runId) {
            await recordChunkProgress(
              tx,
              opts.runId,
              { processed: ids.length, issued: r.issued.length, skipped: r.skipped.length, failed: 0 },
              added.length > 0 ? (entries as unknown as Prisma.InputJsonArray) : null,
            );
          }
          if (opts.onChunkWritten) {
            try {
              await opts.onChunkWritten(k);
            } catch (e) {
              crashed = true;
              throw e;
            }
          }
          return r;
        },
        { timeout: CHUNK_TIMEOUT_MS },
      );
      result.issued += chunk.issued.length;
      result.skipped += chunk.skipped.length;
      for (const i of chunk.issued) result.invoiceIds.push(i.invoiceId);
      result.entries = entries;
      for (const id of chunk.messageIds) messageIds.push(id);
    } catch (e) {
      if (crashed) {
        // a crash in the middle of a chunk (tests inject one here): its transaction rolled back; the
        // chunks before it are committed and a rerun bills the rest
        if (opts.runId) await safely(() => finishRun(db, opts.runId!, "failed", new Date()), tenantId, "finish (failed)");
        deliverSoon(messageIds, tenantId);
        throw e;
      }
      logger.warn({ err: e, tenantId, period, chunk: k }, "invoice run: chunk failed; billing its contracts one by one");
      await billOneByOne(db, tenant, ids, period, opts, now, t, result, messageIds);
    }
  }

  // from here on every invoice is issued: nothing below may throw (the outcome is on the run row)
  if (opts.runId) {
    await safely(() => finishRun(db, opts.runId!, "done", new Date()), tenantId, "finish");
  } else {
    await safely(
      async () => {
        if (!(await worthRecording(db, result, opts.date, opts.propertyId))) return;
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
      },
      tenantId,
      "record",
    );
  }
  // the queue sends them a few at a time; the outbox events and the retry job are the safety nets
  deliverSoon(messageIds, tenantId);
  return result;
}

/** Contracts per chunk transaction. */
export const RUN_CHUNK_SIZE = 1_000;
const CHUNK_TIMEOUT_MS = 120_000;

/**
 * The fallback when a chunk's transaction failed as a whole (a charge billed concurrently, a
 * unique violation from a run that billed outside the locks, a bad row): each contract of the
 * chunk in its own transaction, so one contract's error is recorded on it and the others are billed.
 */
async function billOneByOne(
  db: TenantDb,
  tenant: RunTenant,
  ids: readonly string[],
  period: string,
  opts: InvoiceRunOptions,
  now: Date,
  t: Translator,
  result: InvoiceRunResult,
  messageIds: string[],
): Promise<void> {
  for (const id of ids) {
    let entry: RunEntry | null = null;
    let noted = false;
    try {
      const issued = await db.run((tx) => issueContractInvoice(tx, tenant, id, period, opts, now, t));
      result.issued += 1;
      result.invoiceIds.push(issued.invoiceId);
      messageIds.push(...issued.messageIds);
      if (issued.withoutUtilities.length > 0) {
        const unit = await unitCodeOf(db, id);
        const notes = issued.withoutUtilities.map((kind): RunEntry => ({ contractId: id, unit, reason: "no_opening_reading", kind }));
        result.entries = [...result.entries, ...notes].slice(0, MAX_ENTRIES);
        noted = true;
      }
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
        logger.error({ err: e, tenantId: tenant.id, contractId: id, period }, "invoice run: contract failed");
      }
      if (result.entries.length < MAX_ENTRIES) result.entries = [...result.entries, entry];
    }
    if (opts.runId) {
      const runId = opts.runId;
      const e = entry;
      await safely(
        () =>
          db.run((tx) =>
            recordChunkProgress(
              tx,
              runId,
              {
                processed: 1,
                issued: e === null ? 1 : 0,
                skipped: e !== null && e.reason !== "error" ? 1 : 0,
                failed: e?.reason === "error" ? 1 : 0,
              },
              e || noted ? (result.entries as unknown as Prisma.InputJsonArray) : null,
            ),
          ),
        tenant.id,
        "progress",
      );
    }
  }
}

/** A bookkeeping write after invoices were issued: retried, then logged — never thrown. */
async function safely(write: () => Promise<unknown>, tenantId: string, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (err) {
      if (attempt >= 3) {
        logger.error({ err, tenantId, what }, "invoice run: could not record the run's outcome");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
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
