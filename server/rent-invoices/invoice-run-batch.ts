import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { uuidv7 } from "@/server/core/uuidv7";
import { formatInvoiceNumber, RENT_INVOICE_PREFIX, rentInvoiceScope } from "@/server/core/invoice-number";
import { SYSTEM_ACTOR, SYSTEM_META } from "@/server/core/request-meta";
import { queueMessages, type QueueInput } from "@/server/notifications/queue";
import type { Translator } from "@/lib/i18n";
import { dateToDay, previousPeriod, yearIn } from "@/lib/dates";
import { newPayToken } from "./pay-token";
import { rentMessageInputs } from "./rent-messages";
import {
  draftContractInvoice,
  issuedAuditMetadata,
  SkipContract,
  type DraftCharge,
  type DraftReading,
  type InvoiceRunOptions,
  type RunNoteReason,
  type RunTenant,
  type SkipReason,
} from "./contract-invoice";

// One chunk of the monthly run (a few hundred contracts) in ONE transaction, set-based: the
// contracts are locked and read with their unit and renter, the period's invoices, the readings
// and the unbilled charges in one statement each; every invoice is computed in JS by
// draftContractInvoice (the same function as the per-contract path, so the content is identical);
// the invoice numbers come from ONE counter bump for the chunk; invoices, lines, charge billing,
// credit, audit rows, renter messages with their outbox events and the run's progress are written
// with multi-row statements (rows sent as one JSON array, typed by jsonb_populate_recordset with
// the table's row type: no enum cast, and no per-row work in Prisma). About 15 statements per
// chunk, whatever its size.
// Idempotent like the per-contract path: the contracts stay locked until commit, a contract that
// already has a (non-void) invoice for the period is skipped, and (contractId, billedPeriod) is
// unique, so a concurrent run or a rerun after a crash skips what was billed.

export interface ChunkSkip {
  contractId: string;
  unit: string;
  reason: SkipReason;
  kind?: "electricity" | "water";
}

/** an issued invoice that left out a utility the contract bills, and why */
export interface ChunkNote {
  contractId: string;
  unit: string;
  reason: RunNoteReason;
  kind: "electricity" | "water";
}

export interface ChunkResult {
  issued: Array<{ contractId: string; invoiceId: string }>;
  skipped: ChunkSkip[];
  notes: ChunkNote[];
  /** messages written (to hand to deliverSoon after commit) */
  messageIds: string[];
}

interface ContractRow {
  id: string;
  status: string;
  unitId: string;
  unitCode: string;
  /** the unit's property: copied onto the invoice (the list's property filter) */
  propertyId: string;
  rentAmount: number;
  currency: string;
  dueDays: number;
  electricityRate: number;
  waterRate: number;
  recurringCharges: unknown;
  creditBalance: number;
  renterNameKm: string;
  renterNameLatin: string;
  renterEmail: string | null;
  renterLocale: string;
  renterTelegramChatId: string | null;
  renterMessageChannel: string;
}

/**
 * Bills the contracts `ids` (sorted by id) for `period` in the caller's transaction. Contracts that
 * must wait are returned as skipped; any other problem throws (the caller then bills the chunk
 * contract by contract, so one bad contract cannot stop the others).
 */
export async function issueChunk(
  tx: DbTx,
  tenant: RunTenant,
  ids: readonly string[],
  period: string,
  opts: InvoiceRunOptions,
  now: Date,
  t: Translator,
): Promise<ChunkResult> {
  const out: ChunkResult = { issued: [], skipped: [], notes: [], messageIds: [] };
  if (ids.length === 0) return out;
  const idList = [...ids];

  // lock in id order (every run does): two runs over the same contracts queue, never deadlock
  const contracts = await tx.$queryRaw<ContractRow[]>`
    SELECT c.id::text, c.status::text AS status, c."unitId"::text AS "unitId", u.code AS "unitCode", u."propertyId"::text AS "propertyId", c."rentAmount", c.currency,
           c."dueDays", c."electricityRate", c."waterRate", c."recurringCharges", c."creditBalance",
           r."nameKm" AS "renterNameKm", r."nameLatin" AS "renterNameLatin", r.email AS "renterEmail", r.locale AS "renterLocale",
           r."telegramChatId" AS "renterTelegramChatId", r."messageChannel" AS "renterMessageChannel"
    FROM "Contract" c
    JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
    JOIN "Renter" r ON r."tenantId" = c."tenantId" AND r.id = c."renterId"
    WHERE c."tenantId" = ${tenant.id}::uuid AND c.id = ANY(${idList}::uuid[])
    ORDER BY c.id
    FOR UPDATE OF c`;
  const byId = new Map(contracts.map((c) => [c.id, c]));

  // in a statement of its own, after the locks: its snapshot sees what a run that held them committed
  // (a void invoice leaves its month free to bill again)
  const billed = new Set(
    (
      await tx.$queryRaw<{ contractId: string }[]>`
        SELECT "contractId"::text AS "contractId" FROM "RentInvoice"
        WHERE "tenantId" = ${tenant.id}::uuid AND "contractId" = ANY(${idList}::uuid[]) AND period = ${period} AND status <> 'void'`
    ).map((r) => r.contractId),
  );

  const live = idList.flatMap((id) => {
    const c = byId.get(id);
    if (!c || c.status !== "active") {
      out.skipped.push({ contractId: id, unit: c?.unitCode ?? "", reason: "not_active" });
      return [];
    }
    if (billed.has(id)) {
      out.skipped.push({ contractId: id, unit: c.unitCode, reason: "already_invoiced" });
      return [];
    }
    return [c];
  });
  if (live.length === 0) return out;

  const prev = previousPeriod(period);
  const unitIds = [...new Set(live.map((c) => c.unitId))];
  const readingRows = await tx.$queryRaw<Array<DraftReading & { unitId: string }>>`
    SELECT "unitId"::text AS "unitId", kind::text AS kind, period, reading FROM "MeterReading"
    WHERE "tenantId" = ${tenant.id}::uuid AND "unitId" = ANY(${unitIds}::uuid[]) AND period IN (${period}, ${prev})`;
  const readingsOf = groupBy(readingRows, (r) => r.unitId);

  const chargeRows = await tx.$queryRaw<Array<DraftCharge & { contractId: string; currency: string }>>`
    SELECT id::text, "contractId"::text AS "contractId", kind::text AS kind, description, amount, currency FROM "RentCharge"
    WHERE "tenantId" = ${tenant.id}::uuid AND "contractId" = ANY(${live.map((c) => c.id)}::uuid[]) AND "billedInvoiceId" IS NULL
    ORDER BY "createdAt", id`;
  const chargesOf = groupBy(chargeRows, (r) => r.contractId);

  type Drafted = { c: ContractRow; d: ReturnType<typeof draftContractInvoice> };
  const drafted: Drafted[] = [];
  for (const c of live) {
    try {
      const charges = (chargesOf.get(c.id) ?? []).filter((ch) => ch.currency === c.currency);
      const d = draftContractInvoice(c, readingsOf.get(c.unitId) ?? [], charges, period, opts.date, tenant.locale, t);
      drafted.push({ c, d });
    } catch (e) {
      if (!(e instanceof SkipContract)) throw e;
      out.skipped.push({ contractId: c.id, unit: c.unitCode, reason: e.reason, ...(e.kind ? { kind: e.kind } : {}) });
    }
  }
  if (drafted.length === 0) return out;

  // ONE counter bump for the chunk: numbers last−n+1 … last, in contract id order, gap-free
  const year = yearIn(now, tenant.timezone);
  const n = drafted.length;
  const [counter] = await tx.$queryRaw<Array<{ last: number }>>`
    INSERT INTO "InvoiceCounter" ("scope", "year", "last") VALUES (${rentInvoiceScope(tenant.id)}, ${year}, ${n})
    ON CONFLICT ("scope", "year") DO UPDATE SET "last" = "InvoiceCounter"."last" + ${n}
    RETURNING "last"`;
  const first = Number(counter!.last) - n + 1;

  const invoices = drafted.map(({ c, d }, i) => ({
    id: uuidv7(),
    c,
    d,
    number: formatInvoiceNumber(RENT_INVOICE_PREFIX, year, first + i),
    payToken: newPayToken(),
  }));

  // rows as JSON, typed by PostgreSQL from the table's own row type (jsonb_populate_recordset):
  // one statement per table, no per-row work in the client
  const stamp = new Date().toISOString();
  const invoiceRows = invoices.map(({ id, c, d, number, payToken }) => ({
    id,
    tenantId: tenant.id,
    contractId: c.id,
    propertyId: c.propertyId,
    number,
    period,
    status: d.status,
    currency: c.currency,
    total: d.total,
    amountPaid: d.creditApplied,
    creditApplied: d.creditApplied,
    issuedAt: now.toISOString(),
    dueDate: dateToDay(d.dueDate),
    paidAt: d.status === "paid" ? now.toISOString() : null,
    payToken,
    runId: opts.runId ?? null,
    createdAt: stamp,
    updatedAt: stamp,
  }));
  await tx.$executeRaw`
    INSERT INTO "RentInvoice" ("id", "tenantId", "contractId", "propertyId", "number", "period", "status", "currency", "total", "amountPaid",
                               "creditApplied", "issuedAt", "dueDate", "paidAt", "payToken", "runId", "createdAt", "updatedAt")
    SELECT "id", "tenantId", "contractId", "propertyId", "number", "period", "status", "currency", "total", "amountPaid",
           "creditApplied", "issuedAt", "dueDate", "paidAt", "payToken", "runId", "createdAt", "updatedAt"
    FROM jsonb_populate_recordset(NULL::"RentInvoice", ${JSON.stringify(invoiceRows)}::jsonb)`;
  const lineRows = invoices.flatMap(({ id, d }) =>
    d.lines.map((l) => ({
      id: uuidv7(),
      tenantId: tenant.id,
      invoiceId: id,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      amount: l.amount,
      ...(l.meta ? { meta: l.meta } : {}),
      position: l.position,
    })),
  );
  await tx.$executeRaw`
    INSERT INTO "RentInvoiceLine" ("id", "tenantId", "invoiceId", "kind", "description", "quantity", "unitAmount", "amount", "meta", "position")
    SELECT "id", "tenantId", "invoiceId", "kind", "description", "quantity", "unitAmount", "amount", "meta", "position"
    FROM jsonb_populate_recordset(NULL::"RentInvoiceLine", ${JSON.stringify(lineRows)}::jsonb)`;

  const billedCharges = invoices.flatMap(({ id, d }) => d.chargeIds.map((chargeId) => ({ chargeId, invoiceId: id })));
  if (billedCharges.length > 0) {
    const count = await tx.$executeRaw`
      UPDATE "RentCharge" AS ch SET "billedInvoiceId" = v.invoice
      FROM unnest(${billedCharges.map((b) => b.chargeId)}::uuid[], ${billedCharges.map((b) => b.invoiceId)}::uuid[]) AS v(id, invoice)
      WHERE ch."tenantId" = ${tenant.id}::uuid AND ch.id = v.id AND ch."billedInvoiceId" IS NULL`;
    if (count !== billedCharges.length) throw new Error("invoice run: a charge was billed concurrently");
  }
  const credited = invoices.filter(({ d }) => d.creditApplied > 0);
  if (credited.length > 0) {
    await tx.$executeRaw`
      UPDATE "Contract" AS c SET "creditBalance" = c."creditBalance" - v.amount, "updatedAt" = ${new Date()}
      FROM unnest(${credited.map(({ c }) => c.id)}::uuid[], ${credited.map(({ d }) => d.creditApplied)}::int[]) AS v(id, amount)
      WHERE c."tenantId" = ${tenant.id}::uuid AND c.id = v.id`;
  }

  const actor = opts.actor ?? SYSTEM_ACTOR;
  const meta = opts.meta ?? SYSTEM_META;
  const auditRows = invoices.map(({ id, c, d, number }) => ({
    id: uuidv7(),
    tenantId: tenant.id,
    action: "rent.invoice.issued",
    actorUserId: actor.userId,
    actorEmail: actor.email,
    impersonatorUserId: actor.impersonatorUserId ?? null,
    targetType: "rent_invoice",
    targetId: id,
    metadata: issuedAuditMetadata(
      { number, period, total: d.total, currency: c.currency, status: d.status, creditApplied: d.creditApplied },
      c.id,
      opts,
      d.chargeIds.length,
    ),
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 500) ?? null,
    requestId: meta.requestId,
    createdAt: stamp,
  }));
  await tx.$executeRaw`
    INSERT INTO "AuditLog" ("id", "tenantId", "action", "actorUserId", "actorEmail", "impersonatorUserId", "targetType", "targetId",
                            "metadata", "ip", "userAgent", "requestId", "createdAt")
    SELECT "id", "tenantId", "action", "actorUserId", "actorEmail", "impersonatorUserId", "targetType", "targetId",
           "metadata", "ip", "userAgent", "requestId", "createdAt"
    FROM jsonb_populate_recordset(NULL::"AuditLog", ${JSON.stringify(auditRows)}::jsonb)`;

  const inputs: QueueInput[] = invoices.flatMap(({ id, c, d, number, payToken }) => {
    if (d.status === "paid") return [];
    // one message per channel the renter gets messages on (e-mail, Telegram or both)
    return rentMessageInputs(
      tenant,
      {
        nameKm: c.renterNameKm,
        nameLatin: c.renterNameLatin,
        email: c.renterEmail,
        locale: c.renterLocale,
        telegramChatId: c.renterTelegramChatId,
        messageChannel: c.renterMessageChannel,
      },
      { id, number, currency: c.currency, total: d.total, amountPaid: d.creditApplied, dueDate: d.dueDate, payToken },
      { key: "rent.invoice_issued" },
    );
  });
  const queued = await queueMessages(tx, inputs);
  out.messageIds = queued.filter((q) => q.created).map((q) => q.id);
  out.issued = invoices.map(({ id, c }) => ({ contractId: c.id, invoiceId: id }));
  out.notes = invoices.flatMap(({ c, d }) =>
    d.withoutUtilities.map((kind): ChunkNote => ({ contractId: c.id, unit: c.unitCode, reason: "no_opening_reading", kind })),
  );
  return out;
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** The run's progress after a chunk, written in the chunk's transaction (so it commits with the invoices). */
export async function recordChunkProgress(
  tx: DbTx,
  runId: string,
  delta: { processed: number; issued: number; skipped: number; failed: number },
  errors: Prisma.InputJsonArray | null,
): Promise<void> {
  await tx.invoiceRun.update({
    where: { id: runId },
    data: {
      processed: { increment: delta.processed },
      issued: { increment: delta.issued },
      skipped: { increment: delta.skipped },
      failed: { increment: delta.failed },
      ...(errors ? { errors } : {}),
    },
  });
}
