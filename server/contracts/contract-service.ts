import "server-only";
import type { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { AppError, isUniqueViolation } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import { lockRow } from "@/server/core/locks";
import { deliverSoon, queueMessage } from "@/server/notifications/queue";
import { privateFileUrl } from "@/lib/files/urls";
import {
  depositReturned,
  legalContractActions,
  nextContractStatus,
  type ContractAction,
  type ContractStatus,
  type DepositOutcome,
} from "@/lib/rentals/contract-state";
import type {
  attachScanSchema,
  closeContractSchema,
  createContractSchema,
  listContractsSchema,
  renterOptionsSchema,
  unitOptionsSchema,
  updateContractSchema,
  ContractCurrency,
  LateFeeType,
} from "@/lib/schemas/contracts";
import { FileService } from "../files/file-service";
import type { TenantContext } from "../core/tenant-context";
import { addDaysToDay, dateToDay, dayToDate, todayIn } from "@/lib/dates";

export interface ContractRow {
  id: string;
  status: ContractStatus;
  unitId: string;
  unitCode: string;
  propertyId: string;
  propertyName: string;
  renterId: string;
  renterName: string;
  renterNameKm: string;
  renterPhone: string;
  /** YYYY-MM-DD */
  startDate: string;
  endDate: string | null;
  rentAmount: number;
  currency: ContractCurrency;
  depositAmount: number;
  billingDay: number;
  createdAt: Date;
}

export interface ContractDetail extends ContractRow {
  dueDays: number;
  lateFeeType: LateFeeType;
  lateFeeValue: number;
  lateFeeGraceDays: number;
  electricityRate: number;
  waterRate: number;
  recurringCharges: Array<{ description: string; amount: number }>;
  creditBalance: number;
  notes: string;
  renterEmail: string | null;
  signedFile: { id: string; url: string; originalName: string; mimeType: string } | null;
  activatedAt: Date | null;
  endedAt: Date | null;
  terminatedAt: Date | null;
  endReason: string | null;
  depositOutcome: DepositOutcome | null;
  depositReturnedAmount: number | null;
  actions: ContractAction[];
}

export interface UnitOption {
  id: string;
  code: string;
  propertyId: string;
  propertyName: string;
  baseRent: number;
  currency: ContractCurrency;
  status: "vacant" | "occupied" | "maintenance";
  /** an active contract holds the unit */
  taken: boolean;
}

export interface RenterOption {
  id: string;
  nameLatin: string;
  nameKm: string;
  phone: string;
}

const rowSelect = {
  id: true,
  status: true,
  unitId: true,
  renterId: true,
  startDate: true,
  endDate: true,
  rentAmount: true,
  currency: true,
  depositAmount: true,
  billingDay: true,
  createdAt: true,
  unit: { select: { code: true, propertyId: true, property: { select: { name: true } } } },
  renter: { select: { nameLatin: true, nameKm: true, phone: true } },
} as const satisfies Prisma.ContractSelect;

type SelectedRow = Prisma.ContractGetPayload<{ select: typeof rowSelect }>;

function currencyOf(value: string): ContractCurrency {
  return value === "KHR" ? "KHR" : "USD";
}

function toRow(c: SelectedRow): ContractRow {
  return {
    id: c.id,
    status: c.status,
    unitId: c.unitId,
    unitCode: c.unit.code,
    propertyId: c.unit.propertyId,
    propertyName: c.unit.property.name,
    renterId: c.renterId,
    renterName: c.renter.nameLatin || c.renter.nameKm,
    renterNameKm: c.renter.nameKm,
    renterPhone: c.renter.phone,
    startDate: dateToDay(c.startDate),
    endDate: c.endDate ? dateToDay(c.endDate) : null,
    rentAmount: c.rentAmount,
    currency: currencyOf(c.currency),
    depositAmount: c.depositAmount,
    billingDay: c.billingDay,
    createdAt: c.createdAt,
  };
}

/** A calendar day for a message in the reader's language ("1 Dec 2026", "១ ធ្នូ ២០២៦"). */
export function messageDate(day: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale === "km" ? "km-KH" : "en-GB", {
    timeZone: "UTC",
    day: "numeric",
    month: "short",
    year: "numeric",
  }).format(day);
}

type Terms = Omit<z.output<typeof createContractSchema>, "unitId" | "renterId">;

function termsData(input: Terms) {
  return {
    startDate: dayToDate(input.startDate),
    endDate: input.endDate ? dayToDate(input.endDate) : null,
    rentAmount: input.rentAmount,
    currency: input.currency,
    depositAmount: input.depositAmount,
    billingDay: input.billingDay,
    dueDays: input.dueDays,
    lateFeeType: input.lateFeeType,
    lateFeeValue: input.lateFeeType === "none" ? 0 : input.lateFeeValue,
    lateFeeGraceDays: input.lateFeeGraceDays,
    electricityRate: input.electricityRate,
    waterRate: input.waterRate,
    recurringCharges: input.recurringCharges as Prisma.InputJsonArray,
    notes: input.notes,
  };
}

const snapshotSelect = {
  id: true,
  status: true,
  unitId: true,
  renterId: true,
  startDate: true,
  endDate: true,
  rentAmount: true,
  currency: true,
  depositAmount: true,
  billingDay: true,
  dueDays: true,
  lateFeeType: true,
  lateFeeValue: true,
  lateFeeGraceDays: true,
  electricityRate: true,
  waterRate: true,
  recurringCharges: true,
  signedFileId: true,
  notes: true,
  depositOutcome: true,
  depositReturnedAmount: true,
  endReason: true,
} as const satisfies Prisma.ContractSelect;

/**
 * Lease contracts of one unit to one renter. draft → active → ended | terminated, through the
 * one transition table in lib/rentals/contract-state.ts. Activation makes the unit occupied and
 * relies on the database (unique `activeUnitId`) for "one active contract per unit", so two
 * concurrent activations cannot both win; ending or terminating records the deposit outcome and
 * frees the unit.
 */
export class ContractService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private audit() {
    return tenantAudit(this.ctx);
  }

  // ───────── reads ─────────

  async list(input: z.output<typeof listContractsSchema>): Promise<{ items: ContractRow[]; nextCursor: string | null }> {
    const today = todayIn(this.ctx.tenant.timezone, this.clock());
    const where: Prisma.ContractWhereInput = {
      status: input.endingWithinDays !== undefined ? "active" : input.status,
      renterId: input.renterId,
      unitId: input.unitId,
      ...(input.propertyId ? { unit: { propertyId: input.propertyId } } : {}),
      ...(input.endingWithinDays !== undefined
        ? { endDate: { gte: dayToDate(today), lte: dayToDate(addDaysToDay(today, input.endingWithinDays)) } }
        : {}),
      ...(input.search
        ? {
            OR: [
              { renter: { nameLatin: { contains: input.search, mode: "insensitive" } } },
              { renter: { nameKm: { contains: input.search } } },
              { renter: { phone: { contains: input.search.replace(/[\s-]/g, "") } } },
              { unit: { code: { contains: input.search, mode: "insensitive" } } },
            ],
          }
        : {}),
    };
    if (input.endingWithinDays !== undefined && input.status && input.status !== "active") {
      return { items: [], nextCursor: null };
    }
    return this.ctx.db.run(async (tx) => {
      const dir = input.sort.desc ? "desc" : "asc";
      const rows = await tx.contract.findMany({
        where,
        select: rowSelect,
        orderBy: [{ [input.sort.id]: input.sort.id === "endDate" ? { sort: dir, nulls: "last" } : dir }, { id: dir }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, input.limit);
      return { items: page.map(toRow), nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null };
    });
  }

  async get(contractId: string): Promise<ContractDetail> {
    return this.ctx.db.run(async (tx) => {
      const c = await tx.contract.findFirst({
        where: { id: contractId },
        select: {
          ...rowSelect,
          dueDays: true,
          lateFeeType: true,
          lateFeeValue: true,
          lateFeeGraceDays: true,
          electricityRate: true,
          waterRate: true,
          recurringCharges: true,
          creditBalance: true,
          notes: true,
          activatedAt: true,
          endedAt: true,
          terminatedAt: true,
          endReason: true,
          depositOutcome: true,
          depositReturnedAmount: true,
          renter: { select: { nameLatin: true, nameKm: true, phone: true, email: true } },
          signedFile: { select: { id: true, originalName: true, mimeType: true } },
        },
      });
      if (!c) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      return {
        ...toRow(c),
        dueDays: c.dueDays,
        lateFeeType: c.lateFeeType,
        lateFeeValue: c.lateFeeValue,
        lateFeeGraceDays: c.lateFeeGraceDays,
        electricityRate: c.electricityRate,
        waterRate: c.waterRate,
        recurringCharges: parseCharges(c.recurringCharges),
        creditBalance: c.creditBalance,
        notes: c.notes,
        renterEmail: c.renter.email,
        signedFile: c.signedFile ? { ...c.signedFile, url: privateFileUrl(c.signedFile.id) } : null,
        activatedAt: c.activatedAt,
        endedAt: c.endedAt,
        terminatedAt: c.terminatedAt,
        endReason: c.endReason,
        depositOutcome: c.depositOutcome,
        depositReturnedAmount: c.depositReturnedAmount,
        actions: legalContractActions(c.status),
      };
    });
  }

  /** Units for the contract form: not archived, with whether an active contract holds them. */
  async unitOptions(input: z.output<typeof unitOptionsSchema>): Promise<UnitOption[]> {
    return this.ctx.db.run(async (tx) => {
      const units = await tx.unit.findMany({
        where: {
          OR: [
            { archivedAt: null, ...(input.propertyId ? { propertyId: input.propertyId } : {}) },
            ...(input.includeUnitId ? [{ id: input.includeUnitId }] : []),
          ],
        },
        select: {
          id: true,
          code: true,
          propertyId: true,
          baseRent: true,
          currency: true,
          status: true,
          property: { select: { name: true } },
          contracts: { where: { status: "active" }, select: { id: true }, take: 1 },
        },
        orderBy: [{ property: { name: "asc" } }, { code: "asc" }],
        take: 1000,
      });
      return units.map((u) => ({
        id: u.id,
        code: u.code,
        propertyId: u.propertyId,
        propertyName: u.property.name,
        baseRent: u.baseRent,
        currency: currencyOf(u.currency),
        status: u.status,
        taken: u.contracts.length > 0,
      }));
    });
  }

  /** Renters for the contract form (search by name or phone). */
  async renterOptions(input: z.output<typeof renterOptionsSchema>): Promise<RenterOption[]> {
    const s = input.search;
    return this.ctx.db.run((tx) =>
      tx.renter.findMany({
        where: {
          OR: [
            {
              archivedAt: null,
              ...(s
                ? {
                    OR: [
                      { nameLatin: { contains: s, mode: "insensitive" } },
                      { nameKm: { contains: s } },
                      { phone: { contains: s.replace(/[\s-]/g, "").replace(/^0/, "") } },
                    ],
                  }
                : {}),
            },
            ...(input.includeRenterId ? [{ id: input.includeRenterId }] : []),
          ],
        },
        select: { id: true, nameLatin: true, nameKm: true, phone: true },
        orderBy: [{ nameLatin: "asc" }, { id: "asc" }],
        take: 50,
      }),
    );
  }

  // ───────── drafts ─────────

  private async assertParties(tx: DbTx, unitId: string, renterId: string): Promise<void> {
    const [unit, renter] = await Promise.all([
      tx.unit.findFirst({ where: { id: unitId }, select: { archivedAt: true } }),
      tx.renter.findFirst({ where: { id: renterId }, select: { archivedAt: true } }),
    ]);
    if (!unit) throw new AppError("NOT_FOUND", "contracts.errors.unitNotFound");
    if (unit.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.unitArchived");
    if (!renter) throw new AppError("NOT_FOUND", "contracts.errors.renterNotFound");
    if (renter.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.renterArchived");
  }

  async create(input: z.output<typeof createContractSchema>): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      await this.assertParties(tx, input.unitId, input.renterId);
      const c = await tx.contract.create({
        data: { tenantId: this.ctx.tenantId, unitId: input.unitId, renterId: input.renterId, status: "draft", ...termsData(input) },
        select: snapshotSelect,
      });
      await this.audit().log(tx, { action: "contract.created", targetType: "Contract", targetId: c.id, metadata: { after: snapshot(c) } });
      return { id: c.id };
    });
  }

  async update(input: z.output<typeof updateContractSchema>): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", input.contractId);
      const before = await tx.contract.findFirst({ where: { id: input.contractId }, select: snapshotSelect });
      if (!before) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      if (before.status !== "draft") throw new AppError("INVALID_STATE", "contracts.errors.notDraft");
      await this.assertParties(tx, input.unitId, input.renterId);
      const after = await tx.contract.update({
        where: { id: before.id },
        data: { unitId: input.unitId, renterId: input.renterId, ...termsData(input) },
        select: snapshotSelect,
      });
      await this.audit().log(tx, {
        action: "contract.updated",
        targetType: "Contract",
        targetId: before.id,
        metadata: { before: snapshot(before), after: snapshot(after) },
      });
      return { id: after.id };
    });
  }

  /** Deletes a draft (never signed, never billed); anything else is kept for history. */
  async deleteDraft(contractId: string): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", contractId);
      const before = await tx.contract.findFirst({ where: { id: contractId }, select: snapshotSelect });
      if (!before) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      if (before.status !== "draft") throw new AppError("INVALID_STATE", "contracts.errors.notDraft");
      await tx.contract.delete({ where: { id: before.id } });
      await this.audit().log(tx, {
        action: "contract.deleted",
        targetType: "Contract",
        targetId: before.id,
        metadata: { before: snapshot(before) },
      });
      return { id: before.id };
    });
  }

  // ───────── lifecycle ─────────

  /**
   * draft → active: the unit becomes occupied and the renter gets "contract.activated" (once).
   * A second active contract for the unit is refused with CONFLICT — by the check below in the
   * normal case and by the unique index on `activeUnitId` when two activations race.
   */
  async activate(contractId: string): Promise<{ id: string; status: ContractStatus }> {
    const now = this.clock();
    let messageId: string | null = null;
    try {
      const result = await this.ctx.db.run(async (tx) => {
        await lockRow(tx, "Contract", contractId);
        const c = await tx.contract.findFirst({
          where: { id: contractId },
          select: {
            ...snapshotSelect,
            unit: { select: { code: true, archivedAt: true, status: true } },
            renter: { select: { nameLatin: true, nameKm: true, email: true, locale: true, archivedAt: true } },
          },
        });
        if (!c) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
        const to = nextContractStatus(c.status, "activate");
        if (!to) throw new AppError("INVALID_STATE", "contracts.errors.illegalTransition", { from: c.status, action: "activate" });
        if (c.unit.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.unitArchived");
        if (c.renter.archivedAt) throw new AppError("INVALID_STATE", "contracts.errors.renterArchived");
        const holder = await tx.contract.findFirst({ where: { activeUnitId: c.unitId }, select: { id: true } });
        if (holder) throw new AppError("CONFLICT", "contracts.errors.unitHasActive", { unit: c.unit.code });
        const { count } = await tx.contract.updateMany({
          where: { id: c.id, status: c.status },
          data: { status: to, activeUnitId: c.unitId, activatedAt: now },
        });
        if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
        await tx.unit.update({ where: { id: c.unitId }, data: { status: "occupied" } });
        await this.audit().log(tx, {
          action: "contract.activated",
          targetType: "Contract",
          targetId: c.id,
          metadata: { before: { status: c.status, unitStatus: c.unit.status }, after: { status: to, unitStatus: "occupied" } },
        });
        if (c.renter.email) {
          const locale = c.renter.locale === "en" ? "en" : "km";
          const queued = await queueMessage(tx, {
            tenantId: this.ctx.tenantId,
            key: "contract.activated",
            to: c.renter.email,
            locale,
            variables: {
              workspace: this.ctx.tenant.name,
              renter: (locale === "km" ? c.renter.nameKm || c.renter.nameLatin : c.renter.nameLatin || c.renter.nameKm) || c.renter.email,
              unit: c.unit.code,
              startDate: messageDate(c.startDate, locale),
            },
            dedupeKey: `contract-activated:${c.id}`,
          });
          if (queued.created) messageId = queued.id;
        }
        return { id: c.id, status: to };
      });
      if (messageId) deliverSoon([messageId]);
      return result;
    } catch (e) {
      // the unique index on activeUnitId: another activation of this unit committed first
      if (isUniqueViolation(e)) throw new AppError("CONFLICT", "contracts.errors.unitHasActiveRace");
      throw e;
    }
  }

  /**
   * active → ended (at the end of the term) or terminated (early): records the move-out day as the
   * end date, the deposit outcome and amount given back, and makes the unit vacant again.
   */
  async close(action: "end" | "terminate", input: z.output<typeof closeContractSchema>): Promise<{ id: string; status: ContractStatus }> {
    const now = this.clock();
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", input.contractId);
      const c = await tx.contract.findFirst({
        where: { id: input.contractId },
        select: { ...snapshotSelect, unit: { select: { status: true } } },
      });
      if (!c) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      const to = nextContractStatus(c.status, action);
      if (!to) throw new AppError("INVALID_STATE", "contracts.errors.illegalTransition", { from: c.status, action });
      if (input.date < dateToDay(c.startDate)) throw new AppError("VALIDATION", "contracts.errors.closeBeforeStart");
      const returned = depositReturned(input.depositOutcome, c.depositAmount, input.depositReturnedAmount);
      if (returned === null) {
        throw new AppError("VALIDATION", c.depositAmount === 0 ? "contracts.errors.noDepositToKeep" : "contracts.errors.partialAmount", {
          deposit: c.depositAmount,
        });
      }
      const reason = input.reason.trim() || null;
      const { count } = await tx.contract.updateMany({
        where: { id: c.id, status: c.status },
        data: {
          status: to,
          activeUnitId: null,
          endDate: dayToDate(input.date),
          endReason: reason,
          depositOutcome: input.depositOutcome,
          depositReturnedAmount: returned,
          ...(to === "ended" ? { endedAt: now } : { terminatedAt: now }),
        },
      });
      if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
      // occupied belongs to the contract; a unit staff put into maintenance stays there
      if (c.unit.status === "occupied") await tx.unit.update({ where: { id: c.unitId }, data: { status: "vacant" } });
      await this.audit().log(tx, {
        action: to === "ended" ? "contract.ended" : "contract.terminated",
        targetType: "Contract",
        targetId: c.id,
        metadata: {
          before: { status: c.status, endDate: c.endDate ? dateToDay(c.endDate) : null, unitStatus: c.unit.status },
          after: {
            status: to,
            endDate: input.date,
            depositOutcome: input.depositOutcome,
            depositReturnedAmount: returned,
            depositAmount: c.depositAmount,
            reason,
            unitStatus: c.unit.status === "occupied" ? "vacant" : c.unit.status,
          },
        },
      });
      return { id: c.id, status: to };
    });
  }

  /** Attaches (or with null, detaches) the signed contract scan: a private contract_scan upload. */
  async attachScan(input: z.output<typeof attachScanSchema>): Promise<{ id: string; signedFileId: string | null }> {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "Contract", input.contractId);
      const c = await tx.contract.findFirst({ where: { id: input.contractId }, select: { id: true, signedFileId: true } });
      if (!c) throw new AppError("NOT_FOUND", "contracts.errors.notFound");
      if (input.fileId) {
        await new FileService(this.ctx).assertAttachable(tx, input.fileId, "contract_scan");
        const other = await tx.contract.findFirst({ where: { signedFileId: input.fileId, id: { not: c.id } }, select: { id: true } });
        if (other) throw new AppError("CONFLICT", "contracts.errors.scanInUse");
      }
      await tx.contract.update({ where: { id: c.id }, data: { signedFileId: input.fileId } });
      await this.audit().log(tx, {
        action: "contract.scan_attached",
        targetType: "Contract",
        targetId: c.id,
        metadata: { before: { signedFileId: c.signedFileId }, after: { signedFileId: input.fileId } },
      });
      return { id: c.id, signedFileId: input.fileId };
    });
  }
}

function parseCharges(value: Prisma.JsonValue): Array<{ description: string; amount: number }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) =>
    v && typeof v === "object" && !Array.isArray(v) && typeof v.description === "string" && typeof v.amount === "number"
      ? [{ description: v.description, amount: v.amount }]
      : [],
  );
}

function snapshot(c: Prisma.ContractGetPayload<{ select: typeof snapshotSelect }>) {
  return {
    ...c,
    startDate: dateToDay(c.startDate),
    endDate: c.endDate ? dateToDay(c.endDate) : null,
  };
}
