import "server-only";
import type { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import { logger } from "@/server/core/observability/logger";
import { lockRow } from "@/server/core/locks";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import { runInvoicesForTenant, SKIP_REASONS, type RunEntry } from "@/server/rent-invoices/invoice-run";
import { renterDisplayName } from "@/server/rent-invoices/rent-messages";
import { canVoidRentInvoice, isPastDue, type RentInvoiceStatusName } from "@/lib/rentals/invoice-state";
import { dateToDay, todayIn } from "@/lib/dates";
import type {
  addRentChargeSchema,
  listInvoiceRunsSchema,
  listRentInvoicesSchema,
  startInvoiceRunSchema,
  voidRentInvoiceSchema,
} from "@/lib/schemas/rent-invoices";

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
    const reason = x.reason === "error" || (SKIP_REASONS as readonly string[]).includes(x.reason) ? x.reason : "error";
    return [{ contractId: x.contractId, unit: typeof x.unit === "string" ? x.unit : "", reason, ...(x.kind ? { kind: x.kind } : {}) }];
  });
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
      status: inv.status,
      currency: inv.currency,
      total: inv.total,
      amountPaid: inv.amountPaid,
      dueDate,
      issuedAt: inv.issuedAt,
      pastDue: isPastDue({ status: inv.status, dueDate }, today),
      contractId: inv.contractId,
      unitCode: inv.contract.unit.code,
      propertyId: inv.contract.unit.property.id,
      propertyName: inv.contract.unit.property.name,
      renterName: renterDisplayName(inv.contract.renter, this.ctx.tenant.locale),
    };
  }

  async list(input: z.output<typeof listRentInvoicesSchema>): Promise<{ items: RentInvoiceRow[]; nextCursor: string | null }> {
    const today = this.today();
    return this.ctx.db.run(async (tx) => {
      const search = input.search?.trim();
      const where: Prisma.RentInvoiceWhereInput = {
        ...(input.status ? { status: input.status } : {}),
        ...(input.period ? { period: input.period } : {}),
        ...(input.currency ? { currency: input.currency } : {}),
        ...(input.contractId ? { contractId: input.contractId } : {}),
        ...(input.propertyId ? { contract: { unit: { propertyId: input.propertyId } } } : {}),
        ...(search
          ? {
              OR: [
                { number: { contains: search, mode: "insensitive" } },
                { contract: { renter: { nameLatin: { contains: search, mode: "insensitive" } } } },
                { contract: { renter: { nameKm: { contains: search } } } },
                { contract: { unit: { code: { contains: search, mode: "insensitive" } } } },
              ],
            }
          : {}),
      };
      const dir = input.sort.desc ? "desc" : "asc";
      const rows = await tx.rentInvoice.findMany({
        where,
        include: invoiceInclude,
        orderBy: [{ [input.sort.id]: dir }, { id: dir }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const more = rows.length > input.limit;
      const items = rows.slice(0, input.limit).map((r) => this.row(r, today));
      return { items, nextCursor: more ? (items.at(-1)?.id ?? null) : null };
    });
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
        canVoid: canVoidRentInvoice(inv),
        renter: { id: inv.contract.renter.id, phone: inv.contract.renter.phone, email: inv.contract.renter.email },
        contract,
        lines: inv.lines.map((l) => ({
          id: l.id,
          kind: l.kind,
          description: l.description,
          quantity: l.quantity,
          unitAmount: l.unitAmount,
          amount: l.amount,
        })),
        lateFee: inv.lateFees[0] ? { amount: inv.lateFees[0].amount, billed: inv.lateFees[0].billedInvoiceId !== null } : null,
      };
    });
  }

  /** Void: refused once money was received (record a refund or credit instead). Charges billed on it wait for the next invoice again. */
  async void(input: z.output<typeof voidRentInvoiceSchema>) {
    return this.ctx.db.run(async (tx) => {
      const ref = await tx.rentInvoice.findUnique({ where: { id: input.invoiceId }, select: { contractId: true } });
      if (!ref) throw new AppError("NOT_FOUND", "errors.notFound");
      await lockRow(tx, "Contract", ref.contractId);
      await lockRow(tx, "RentInvoice", input.invoiceId);
      const inv = await tx.rentInvoice.findUniqueOrThrow({ where: { id: input.invoiceId } });
      if (inv.amountPaid > 0) throw new AppError("INVALID_STATE", "invoices.errors.voidPaid");
      if (!canVoidRentInvoice(inv)) throw new AppError("INVALID_STATE", "invoices.errors.voidState");
      const pending = await tx.payment.count({ where: { rentInvoiceId: inv.id, status: "pending" } });
      if (pending > 0) throw new AppError("INVALID_STATE", "invoices.errors.voidPending");
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
      return inv;
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
    status: run.status,
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
