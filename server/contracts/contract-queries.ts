import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/server/db/generated/client";
import { inPageOrder } from "@/server/properties/list-queries";
import { contractPageOf, contractPageQuery, type ContractKeyRow } from "./contract-list-query";
import { AppError } from "@/server/core/errors";
import { privateFileUrl } from "@/lib/files/urls";
import { legalContractActions, type ContractAction, type ContractStatus, type DepositOutcome } from "@/lib/rentals/contract-state";
import type { listContractsSchema, renterOptionsSchema, unitOptionsSchema, ContractCurrency, LateFeeType } from "@/lib/schemas/contracts";
import type { TenantContext } from "../core/tenant-context";
import { dateToDay, todayIn } from "@/lib/dates";
import { asEnumValue, CONTRACT_STATUS_VALUES, DEPOSIT_OUTCOME_VALUES, LATE_FEE_TYPE_VALUES, UNIT_STATUS_VALUES } from "@/lib/enums";

// What the contract pages read: the list with its filters, one contract with everything its page
// shows (and the actions its state allows), and the unit and renter pickers of the contract form.
// Changes go through ContractService (contract-service.ts).

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
    status: asEnumValue(CONTRACT_STATUS_VALUES, c.status),
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

export class ContractQueries {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(input: z.output<typeof listContractsSchema>): Promise<{ items: ContractRow[]; nextCursor: string | null }> {
    if (input.endingWithinDays !== undefined && input.status && input.status !== "active") {
      return { items: [], nextCursor: null };
    }
    const q = contractPageQuery(this.ctx.tenantId, input, todayIn(this.ctx.tenant.timezone, this.clock()));
    return this.ctx.db.run(async (tx) => {
      const keys = await tx.$queryRaw<ContractKeyRow[]>(q.sql);
      const { rows: pageKeys, nextCursor } = contractPageOf(q, keys, input.limit);
      const ids = pageKeys.map((r) => r.id);
      const rows = await tx.contract.findMany({ where: { id: { in: ids } }, select: rowSelect });
      return { items: inPageOrder(ids, rows).map(toRow), nextCursor };
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
        lateFeeType: asEnumValue(LATE_FEE_TYPE_VALUES, c.lateFeeType),
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
        depositOutcome: asEnumValue(DEPOSIT_OUTCOME_VALUES, c.depositOutcome),
        depositReturnedAmount: c.depositReturnedAmount,
        actions: legalContractActions(asEnumValue(CONTRACT_STATUS_VALUES, c.status)),
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
        status: asEnumValue(UNIT_STATUS_VALUES, u.status),
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
}

function parseCharges(value: Prisma.JsonValue): Array<{ description: string; amount: number }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) =>
    v && typeof v === "object" && !Array.isArray(v) && typeof v.description === "string" && typeof v.amount === "number"
      ? [{ description: v.description, amount: v.amount }]
      : [],
  );
}
