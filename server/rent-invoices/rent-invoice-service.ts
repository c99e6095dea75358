import "server-only";
import type { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import { logger } from "@/server/core/observability/logger";
import { lockRow } from "@/server/core/locks";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import { RUN_NOTE_REASONS, runInvoicesForTenant, SKIP_REASONS, type RunEntry } from "@/server/rent-invoices/invoice-run";
import { renterDisplayName } from "@/server/rent-invoices/rent-messages";
import { canVoidRentInvoice, isPastDue, RENT_INVOICE_STATUSES, type RentInvoiceStatusName } from "@/lib/rentals/invoice-state";
import {
  afterCursor,
  decodeCursor,
  keysetOrder,
  pageOf,
  type KeyKind,
  type KeysetCursor,
  type KeysetSpec,
  type KeyValue,
} from "@/server/core/keyset";
import { dateToDay, todayIn } from "@/lib/dates";
import { RENT_INVOICE_SORTS } from "@/lib/schemas/rent-invoices";
import { contractSearchCondition, searchContractIds, type SearchContracts } from "@/server/rent-invoices/contract-search";
import type {
  addRentChargeSchema,
  listInvoiceRunsSchema,
  listRentInvoicesSchema,
  startInvoiceRunSchema,
  voidRentInvoiceSchema,
} from "@/lib/schemas/rent-invoices";
import { asEnumValue, withEnums, INVOICE_RUN_STATUS_VALUES, RENT_INVOICE_STATUS_VALUES, RENT_LINE_KIND_VALUES } from "@/lib/enums";

export interface RentInvoiceRow {
  id: string;
  number: string;
  period: string;
  status: RentInvoiceStatusName;
  currency: string;
  total: number;
  amountPaid: number;
  dueDate: string;
  issuedAt: Date;
  pastDue: boolean;
  contractId: string;
  unitCode: string;
  propertyId: string;
  propertyName: string;
  renterName: string;
}

export interface InvoiceRunRow {
  id: string;
  propertyId: string | null;
  propertyName: string | null;
  runDate: string;
  trigger: string;
  status: "running" | "done" | "failed";
  total: number;
  processed: number;
  issued: number;
  skipped: number;
  failed: number;
  entries: RunEntry[];
  startedAt: Date;
  finishedAt: Date | null;
}

/** A manual run still "running" after this long died with its process: it no longer blocks a new one. */
const STALE_RUN_MS = 15 * 60_000;

const invoiceInclude = {
  contract: {
    select: {
      id: true,
      renter: { select: { id: true, nameKm: true, nameLatin: true, phone: true, email: true } },
      unit: { select: { id: true, code: true, property: { select: { id: true, name: true, address: true } } } },
    },
  },
} as const;

type InvoiceWithContract = Prisma.RentInvoiceGetPayload<{ include: typeof invoiceInclude }>;

function entriesOf(raw: unknown): RunEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e: unknown) => {
    if (typeof e !== "object" || e === null) return [];
    const x = e as Partial<RunEntry>;
    if (typeof x.contractId !== "string" || typeof x.reason !== "string") return [];
    const reason =
      x.reason === "error" ||
      (SKIP_REASONS as readonly string[]).includes(x.reason) ||
      (RUN_NOTE_REASONS as readonly string[]).includes(x.reason)
        ? x.reason
        : "error";
    return [{ contractId: x.contractId, unit: typeof x.unit === "string" ? x.unit : "", reason, ...(x.kind ? { kind: x.kind } : {}) }];
  });
}

// ── the list (/invoices): one explicit keyset query on an index ──
// The page is read with `WHERE "tenantId" = … AND <equality filters> AND (sortKey, id) < (cursor)
// ORDER BY sortKey, id LIMIT n + 1` on an index (tenantId, [status,] sortKey, id) (migration
// 20261206120714_list_keyset_indexes), and only the page's rows are joined to their contract, renter,
// unit and property. The tenant condition is explicit (raw SQL) and row-level security backs it.
// docs/ARCHITECTURE.md ("Lists: keyset pages on indexes") lists which index serves which filter.

type InvoiceSort = (typeof RENT_INVOICE_SORTS)[number];

const INVOICE_SORT_KIND: Record<InvoiceSort, KeyKind> = {
  issuedAt: "timestamp",
  dueDate: "date",
  number: "text",
  total: "int",
  period: "text",
};
const INVOICE_SORT_COLUMN: Record<InvoiceSort, string> = {
  issuedAt: '"issuedAt"',
  dueDate: '"dueDate"',
  number: "number",
  total: "total",
  period: "period",
};

/** The cursor's shape for a sort: a cursor of another sort or direction is refused. */
export function invoiceKeyset(sort: { id: InvoiceSort; desc: boolean }): KeysetSpec {
  return { tag: `rentInvoices.${sort.id}`, kinds: [INVOICE_SORT_KIND[sort.id]], desc: sort.desc };
}

/** A row of rentInvoiceListSql. */
export interface InvoiceListRaw {
  id: string;
  number: string;
  period: string;
  status: string;
  currency: string;
  total: number;
  amountPaid: number;
  dueDate: Date;
  issuedAt: Date;
  contractId: string;
  unitCode: string;
  propertyId: string;
  propertyName: string;
  nameKm: string;
  nameLatin: string;
}

/** An invoice line as the invoice pages show it (staff and the renter portal). */
export function rentLineRow(l: { id: string; kind: string; description: string; quantity: number; unitAmount: number; amount: number }) {
  return {
    id: l.id,
    kind: asEnumValue(RENT_LINE_KIND_VALUES, l.kind),
    description: l.description,
    quantity: l.quantity,
    unitAmount: l.unitAmount,
    amount: l.amount,
  };
}

type InvoiceKeyRow = Pick<InvoiceListRaw, "number" | "period" | "total" | "dueDate" | "issuedAt">;

function invoiceSortKey(r: InvoiceKeyRow, sort: InvoiceSort): KeyValue {
  switch (sort) {
    case "issuedAt":
      return r.issuedAt;
    case "dueDate":
      return r.dueDate;
    case "number":
      return r.number;
    case "total":
      return r.total;
    case "period":
      return r.period;
  }
}

function invoiceStatusOf(v: string): RentInvoiceStatusName {
  if ((RENT_INVOICE_STATUSES as readonly string[]).includes(v)) return v as RentInvoiceStatusName;
  throw new Error(`Unexpected rent invoice status "${v}"`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cursor after which the page starts. An opaque cursor (server/core/keyset.ts) carries the sort
 * key; the previous format, a bare invoice id, is still accepted: its sort key is read by primary key.
 */
async function resolveInvoiceCursor(
  tx: DbTx,
  spec: KeysetSpec,
  sort: InvoiceSort,
  cursor: string | undefined,
): Promise<KeysetCursor | undefined> {
  if (!cursor) return undefined;
  if (!UUID.test(cursor)) return decodeCursor(spec, cursor);
  const rows = await tx.$queryRaw<Array<InvoiceKeyRow & { id: string }>>`
    SELECT id::text AS id, number, period, total, "dueDate", "issuedAt" FROM "RentInvoice" WHERE id = ${cursor.toLowerCase()}::uuid`;
  const r = rows[0];
  if (!r) throw new AppError("VALIDATION", "errors.invalidCursor");
  return { keys: [invoiceSortKey(r, sort)], id: r.id };
}

/** The invoices of the matched contracts, or the invoice whose number is the text (case-insensitive), both on indexes. */
function invoiceSearchCondition(tenantId: string, search: string, contracts: SearchContracts): Prisma.Sql {
  const byNumber = Prisma.sql`i.number = ${search.toUpperCase()}`;
  if (contracts === "many") {
    return Prisma.sql`(${byNumber} OR i."contractId" IN (SELECT c.id FROM "Contract" c WHERE ${contractSearchCondition(tenantId, search)}))`;
  }
  if (contracts.length === 0) return byNumber;
  return Prisma.sql`(${byNumber} OR i."contractId" = ANY(${contracts}::uuid[]))`;
}

/**
 * The list's one query (the service sends exactly this; tests EXPLAIN it). `page.contracts` is the
 * search's step one (searchContractIds) when `input.search` is set.
 */
export function rentInvoiceListSql(
  tenantId: string,
  input: z.output<typeof listRentInvoicesSchema>,
  page: { after?: KeysetCursor; contracts?: SearchContracts },
): Prisma.Sql {
  const spec = invoiceKeyset(input.sort);
  const column = INVOICE_SORT_COLUMN[input.sort.id];
  const c: Prisma.Sql[] = [Prisma.sql`i."tenantId" = ${tenantId}::uuid`];
  // equality filters: compared with untyped parameters (no enum casts), index prefix columns
  if (input.status) c.push(Prisma.sql`i.status = ${input.status}`);
  if (input.period) c.push(Prisma.sql`i.period = ${input.period}`);
  if (input.currency) c.push(Prisma.sql`i.currency = ${input.currency}`);
  if (input.contractId) c.push(Prisma.sql`i."contractId" = ${input.contractId}::uuid`);
  // the invoice's own copy of its contract's unit's property: indexes (tenantId, propertyId, <sort>, id)
  if (input.propertyId) c.push(Prisma.sql`i."propertyId" = ${input.propertyId}::uuid`);
  const search = input.search?.trim();
  if (search) c.push(invoiceSearchCondition(tenantId, search, page.contracts ?? "many"));
  if (page.after) c.push(afterCursor(spec, [Prisma.raw(`i.${column}`)], Prisma.sql`i.id`, page.after));
  return Prisma.sql`
    SELECT l.id::text AS id, l.number, l.period, l.status::text AS status, l.currency, l.total, l."amountPaid", l."dueDate", l."issuedAt",
           l."contractId"::text AS "contractId", u.code AS "unitCode", p.id::text AS "propertyId", p.name AS "propertyName",
           r."nameKm", r."nameLatin"
    FROM (
      SELECT i.id, i."tenantId", i.number, i.period, i.status, i.currency, i.total, i."amountPaid", i."dueDate", i."issuedAt", i."contractId"
      FROM "RentInvoice" i
      WHERE ${Prisma.join(c, " AND ")}
      ORDER BY ${keysetOrder(spec, [Prisma.raw(`i.${column}`)], Prisma.sql`i.id`)}
      LIMIT ${input.limit + 1}::int
    ) l
    JOIN "Contract" c ON c."tenantId" = l."tenantId" AND c.id = l."contractId"
    JOIN "Renter" r ON r."tenantId" = c."tenantId" AND r.id = c."renterId"
    JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
    JOIN "Property" p ON p."tenantId" = u."tenantId" AND p.id = u."propertyId"
    ORDER BY ${keysetOrder(spec, [Prisma.raw(`l.${column}`)], Prisma.sql`l.id`)}`;
}

/**
 * Rent invoices for staff: the filtered list, one invoice with its lines and payments, void, the
 * manual invoice run for a property (progress polled from its InvoiceRun row) and one-off charges
 * for the next invoice. Issuing itself lives in server/rent-invoices/invoice-run.ts.
 */
export class RentInvoiceService {
  constructor(private readonly ctx: TenantContext) {}

  private today(): string {
    return todayIn(this.ctx.tenant.timezone);
  }

  private row(inv: InvoiceWithContract, today: string): RentInvoiceRow {
    const dueDate = dateToDay(inv.dueDate);
    return {
      id: inv.id,
      number: inv.number,
      period: inv.period,
      status: asEnumValue(RENT_INVOICE_STATUS_VALUES, inv.status),
      currency: inv.currency,
      total: inv.total,
      amountPaid: inv.amountPaid,
      dueDate,
      issuedAt: inv.issuedAt,
      pastDue: isPastDue({ status: asEnumValue(RENT_INVOICE_STATUS_VALUES, inv.status), dueDate }, today),
      contractId: inv.contractId,
      unitCode: inv.contract.unit.code,
      propertyId: inv.contract.unit.property.id,
      propertyName: inv.contract.unit.property.name,
      renterName: renterDisplayName(inv.contract.renter, this.ctx.tenant.locale),
    };
  }

  async list(input: z.output<typeof listRentInvoicesSchema>): Promise<{ items: RentInvoiceRow[]; nextCursor: string | null }> {
    const today = this.today();
    const spec = invoiceKeyset(input.sort);
    const toPage = (rows: InvoiceListRaw[]) => {
      const page = pageOf(spec, rows, input.limit, (r) => ({ keys: [invoiceSortKey(r, input.sort.id)], id: r.id }));
      return { items: page.rows.map((r) => this.listRow(r, today)), nextCursor: page.nextCursor };
    };
    if (!input.search?.trim() && !(input.cursor && UUID.test(input.cursor))) {
      // the usual page (no search, an opaque cursor or none) is one statement: a raw read, without
      // Prisma's transaction and value conversion around it (server/db/raw-read.ts)
      const after = input.cursor ? decodeCursor(spec, input.cursor) : undefined;
      return toPage(await this.ctx.db.read<InvoiceListRaw>(rentInvoiceListSql(this.ctx.tenantId, input, { after })));
    }
    return this.ctx.db.run(async (tx) => {
      const after = await resolveInvoiceCursor(tx, spec, input.sort.id, input.cursor);
      const search = input.search?.trim();
      const contracts = search ? await searchContractIds(tx, this.ctx.tenantId, search) : undefined;
      return toPage(await tx.$queryRaw<InvoiceListRaw[]>(rentInvoiceListSql(this.ctx.tenantId, input, { after, contracts })));
    });
  }

  private listRow(r: InvoiceListRaw, today: string): RentInvoiceRow {
    const dueDate = dateToDay(r.dueDate);
    const status = invoiceStatusOf(r.status);
    return {
      id: r.id,
      number: r.number,
      period: r.period,
      status,
      currency: r.currency,
      total: r.total,
      amountPaid: r.amountPaid,
      dueDate,
      issuedAt: r.issuedAt,
      pastDue: isPastDue({ status, dueDate }, today),
      contractId: r.contractId,
      unitCode: r.unitCode,
      propertyId: r.propertyId,
      propertyName: r.propertyName,
      renterName: renterDisplayName({ nameKm: r.nameKm, nameLatin: r.nameLatin }, this.ctx.tenant.locale),
    };
  }

  async get(invoiceId: string) {
    const today = this.today();
    return this.ctx.db.run(async (tx) => {
      const inv = await tx.rentInvoice.findUnique({
        where: { id: invoiceId },
        include: {
          ...invoiceInclude,
          lines: { orderBy: { position: "asc" } },
          lateFees: { select: { id: true, amount: true, billedInvoiceId: true } },
        },
      });
      if (!inv) throw new AppError("NOT_FOUND", "errors.notFound");
      const contract = await tx.contract.findUniqueOrThrow({
        where: { id: inv.contractId },
        select: { id: true, status: true, creditBalance: true, currency: true },
      });
      return {
        ...this.row(inv, today),
        creditApplied: inv.creditApplied,
        paidAt: inv.paidAt,
        overdueAt: inv.overdueAt,
        voidedAt: inv.voidedAt,
        voidReason: inv.voidReason,
        hasPayLink: inv.payToken !== null,
        canVoid: canVoidRentInvoice(withEnums(inv, { status: RENT_INVOICE_STATUS_VALUES })),
        renter: { id: inv.contract.renter.id, phone: inv.contract.renter.phone, email: inv.contract.renter.email },
        contract,
        lines: inv.lines.map(rentLineRow),
        lateFee: inv.lateFees[0] ? { amount: inv.lateFees[0].amount, billed: inv.lateFees[0].billedInvoiceId !== null } : null,
      };
    });
  }

  /**
   * Void: refused once money was received (record a refund or credit instead). Charges billed on it
   * wait for the next invoice again. Its open KHQR attempts (the pay page's, the PDF's 30-day QR)
   * close with it (failed, "invoice voided"): Bakong money that still arrives for one is not
   * applied but kept for review in the webhook inbox (needs_review), never lost.
   */
  async void(input: z.output<typeof voidRentInvoiceSchema>) {
    return this.ctx.db.run(async (tx) => {
      const ref = await tx.rentInvoice.findUnique({ where: { id: input.invoiceId }, select: { contractId: true } });
      if (!ref) throw new AppError("NOT_FOUND", "errors.notFound");
      // the open attempts first: settlement locks a payment before its contract and invoice
      const attempts = await tx.payment.findMany({
        where: { rentInvoiceId: input.invoiceId, status: "pending" },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      for (const a of attempts) await lockRow(tx, "Payment", a.id);
      await lockRow(tx, "Contract", ref.contractId);
      await lockRow(tx, "RentInvoice", input.invoiceId);
      const inv = await tx.rentInvoice.findUniqueOrThrow({ where: { id: input.invoiceId } });
      if (inv.amountPaid > 0) throw new AppError("INVALID_STATE", "invoices.errors.voidPaid");
      if (!canVoidRentInvoice(withEnums(inv, { status: RENT_INVOICE_STATUS_VALUES })))
        throw new AppError("INVALID_STATE", "invoices.errors.voidState");
      // every open attempt, also one started since the read above
      const closed = await tx.payment.updateMany({
        where: { rentInvoiceId: inv.id, status: "pending" },
        data: { status: "failed", failedAt: new Date(), failureReason: "invoice voided" },
      });
      const { count } = await tx.rentInvoice.updateMany({
        where: { id: inv.id, status: inv.status, amountPaid: 0 },
        data: { status: "void", voidedAt: new Date(), voidReason: input.reason, payToken: null },
      });
      if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
      const released = await tx.rentCharge.updateMany({ where: { billedInvoiceId: inv.id }, data: { billedInvoiceId: null } });
      await tenantAudit(this.ctx).log(tx, {
        action: "rent.invoice.voided",
        targetType: "rent_invoice",
        targetId: inv.id,
        metadata: {
          before: { status: inv.status },
          after: { status: "void" },
          reason: input.reason,
          number: inv.number,
          chargesReleased: released.count,
          paymentAttemptsClosed: closed.count,
        },
      });
      return { id: inv.id, number: inv.number, status: "void" as const };
    });
  }

  /** Properties to filter and run by (invoices.view: accountants see invoices without properties.view). */
  async propertyOptions(): Promise<Array<{ id: string; name: string }>> {
    return this.ctx.db.run((tx) =>
      tx.property.findMany({
        where: { archivedAt: null },
        select: { id: true, name: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take: 500,
      }),
    );
  }

  /** A one-off charge (repairs, extra cleaning …) billed on the contract's next invoice. */
  async addCharge(input: z.output<typeof addRentChargeSchema>) {
    return this.ctx.db.run(async (tx) => {
      const contract = await tx.contract.findUnique({
        where: { id: input.contractId },
        select: { id: true, status: true, currency: true },
      });
      if (!contract) throw new AppError("NOT_FOUND", "errors.notFound");
      if (contract.status !== "active") throw new AppError("INVALID_STATE", "invoices.errors.contractNotActive");
      const charge = await tx.rentCharge.create({
        data: {
          tenantId: this.ctx.tenantId,
          contractId: contract.id,
          kind: "other",
          description: input.description,
          amount: input.amount,
          currency: contract.currency,
        },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "rent.charge.added",
        targetType: "contract",
        targetId: contract.id,
        metadata: { after: { chargeId: charge.id, description: charge.description, amount: charge.amount, currency: charge.currency } },
      });
      return { id: charge.id, amount: charge.amount, currency: charge.currency };
    });
  }

  async pendingCharges(contractId: string) {
    return this.ctx.db.run((tx) =>
      tx.rentCharge.findMany({
        where: { contractId, billedInvoiceId: null },
        select: { id: true, kind: true, description: true, amount: true, currency: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
    );
  }

  /**
   * Starts a manual run for one property: writes the InvoiceRun row (the page polls it for the
   * progress bar) and bills in the background of this process. A second run for the same property
   * while one is running is refused (an advisory lock makes the check race-free).
   */
  async startRun(input: z.output<typeof startInvoiceRunSchema>): Promise<{ runId: string }> {
    const date = this.today();
    const runId = await this.ctx.db.run(async (tx) => {
      const property = await tx.property.findUnique({ where: { id: input.propertyId }, select: { id: true, archivedAt: true } });
      if (!property || property.archivedAt) throw new AppError("NOT_FOUND", "errors.notFound");
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`invoice-run:${this.ctx.tenantId}:${input.propertyId}`}))`;
      const stale = new Date(Date.now() - STALE_RUN_MS);
      await tx.invoiceRun.updateMany({
        where: { propertyId: input.propertyId, status: "running", startedAt: { lt: stale } },
        data: { status: "failed", finishedAt: new Date() },
      });
      const running = await tx.invoiceRun.findFirst({ where: { propertyId: input.propertyId, status: "running" }, select: { id: true } });
      if (running) throw new AppError("CONFLICT", "invoices.errors.runInProgress", {}, { runId: running.id });
      const run = await tx.invoiceRun.create({
        data: { tenantId: this.ctx.tenantId, propertyId: input.propertyId, runDate: date, trigger: "manual", startedById: this.ctx.userId },
        select: { id: true },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "rent.invoice_run.started",
        targetType: "invoice_run",
        targetId: run.id,
        metadata: { after: { propertyId: input.propertyId, runDate: date } },
      });
      return run.id;
    });
    const started = runInvoicesForTenant(this.ctx.tenantId, {
      date,
      propertyId: input.propertyId,
      runId,
      trigger: "manual",
      actor: { userId: this.ctx.userId, email: this.ctx.userEmail, impersonatorUserId: this.ctx.impersonatorUserId },
      meta: this.ctx.meta,
    }).catch((err: unknown) => logger.error({ err, tenantId: this.ctx.tenantId, runId }, "manual invoice run failed"));
    backgroundRuns.add(started);
    void started.finally(() => backgroundRuns.delete(started));
    return { runId };
  }

  async run(runId: string): Promise<InvoiceRunRow> {
    return this.ctx.db.run(async (tx) => {
      const run = await tx.invoiceRun.findUnique({ where: { id: runId }, include: { property: { select: { name: true } } } });
      if (!run) throw new AppError("NOT_FOUND", "errors.notFound");
      return runRow(run);
    });
  }

  async runs(input: z.output<typeof listInvoiceRunsSchema>): Promise<InvoiceRunRow[]> {
    return this.ctx.db.run(async (tx) => {
      const runs = await tx.invoiceRun.findMany({
        where: input.propertyId ? { propertyId: input.propertyId } : {},
        include: { property: { select: { name: true } } },
        orderBy: [{ startedAt: "desc" }, { id: "desc" }],
        take: input.limit,
      });
      return runs.map(runRow);
    });
  }

  /** Everything the invoice/receipt PDF shows, in one read. */
  async document(invoiceId: string) {
    return this.ctx.db.run(async (tx: DbTx) => {
      const inv = await tx.rentInvoice.findUnique({
        where: { id: invoiceId },
        include: {
          lines: { orderBy: { position: "asc" } },
          payments: { where: { status: "paid" }, orderBy: { paidAt: "asc" } },
          contract: { include: { renter: true, unit: { include: { property: true } } } },
        },
      });
      if (!inv) throw new AppError("NOT_FOUND", "errors.notFound");
      return withEnums(inv, { status: RENT_INVOICE_STATUS_VALUES });
    });
  }
}

type RunWithProperty = Prisma.InvoiceRunGetPayload<{ include: { property: { select: { name: true } } } }>;

function runRow(run: RunWithProperty): InvoiceRunRow {
  return {
    id: run.id,
    propertyId: run.propertyId,
    propertyName: run.property?.name ?? null,
    runDate: run.runDate,
    trigger: run.trigger,
    status: asEnumValue(INVOICE_RUN_STATUS_VALUES, run.status),
    total: run.total,
    processed: run.processed,
    issued: run.issued,
    skipped: run.skipped,
    failed: run.failed,
    entries: entriesOf(run.errors),
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

// manual runs in flight in this process (tests wait for them; a graceful shutdown could too)
const backgroundRuns = new Set<Promise<unknown>>();

export async function settleBackgroundRuns(): Promise<void> {
  while (backgroundRuns.size > 0) await Promise.allSettled([...backgroundRuns]);
}
