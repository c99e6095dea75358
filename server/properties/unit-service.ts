import "server-only";
import type { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { createUnitSchema, listUnitsSchema, updateUnitSchema, RentCurrency, UnitStatus } from "@/lib/schemas/properties";
import { pageOf } from "@/server/core/keyset";
import { PlanGate } from "../subscriptions/plan-gate";
import { inPageOrder, unitPageQuery } from "./list-queries";
import type { TenantContext } from "../core/tenant-context";
import { asEnumValue, UNIT_STATUS_VALUES } from "@/lib/enums";

export interface UnitRow {
  id: string;
  propertyId: string;
  propertyName: string;
  code: string;
  floor: number | null;
  sizeSqm: number | null;
  baseRent: number;
  currency: RentCurrency;
  status: UnitStatus;
  archivedAt: Date | null;
  createdAt: Date;
  /** an archived unit of an archived property comes back with its property, not on its own */
  propertyArchived: boolean;
}

const unitSelect = {
  id: true,
  propertyId: true,
  code: true,
  floor: true,
  sizeSqm: true,
  baseRent: true,
  currency: true,
  status: true,
  archivedAt: true,
  createdAt: true,
  property: { select: { name: true, archivedAt: true } },
} as const;

type SelectedUnit = {
  id: string;
  propertyId: string;
  code: string;
  floor: number | null;
  sizeSqm: number | null;
  baseRent: number;
  currency: string;
  status: string;
  archivedAt: Date | null;
  createdAt: Date;
  property: { name: string; archivedAt: Date | null };
};

function toUnitRow(u: SelectedUnit): UnitRow {
  const { property, ...rest } = u;
  return {
    ...rest,
    status: asEnumValue(UNIT_STATUS_VALUES, u.status),
    currency: u.currency === "KHR" ? "KHR" : "USD",
    propertyName: property.name,
    propertyArchived: property.archivedAt !== null,
  };
}

function unitSnapshot(u: {
  code: string;
  floor: number | null;
  sizeSqm: number | null;
  baseRent: number;
  currency: string;
  status: string;
}) {
  return { code: u.code, floor: u.floor, sizeSqm: u.sizeSqm, baseRent: u.baseRent, currency: u.currency, status: u.status };
}

/**
 * Units of the workspace's properties: code, floor, size, base rent and status. Plan limits count
 * the non-archived ones; archiving keeps history (contracts, invoices) and frees the slot. A unit's
 * `occupied` status belongs to contracts and is never set here.
 */
export class UnitService {
  constructor(private readonly ctx: TenantContext) {}

  private audit() {
    return tenantAudit(this.ctx);
  }

  async list(input: z.output<typeof listUnitsSchema>): Promise<{ items: UnitRow[]; nextCursor: string | null }> {
    const q = unitPageQuery(this.ctx.tenantId, input);
    return this.ctx.db.run(async (tx) => {
      const keys = await tx.$queryRaw<Array<{ id: string; k: string | number | Date }>>(q.sql);
      const { rows: pageKeys, nextCursor } = pageOf(q.spec, keys, input.limit, (r) => ({ keys: [r.k], id: r.id }));
      const ids = pageKeys.map((r) => r.id);
      const rows = await tx.unit.findMany({ where: { id: { in: ids } }, select: unitSelect });
      return { items: inPageOrder(ids, rows).map(toUnitRow), nextCursor };
    });
  }

  async get(unitId: string): Promise<UnitRow> {
    return this.ctx.db.run(async (tx) => {
      const u = await tx.unit.findFirst({ where: { id: unitId }, select: unitSelect });
      if (!u) throw new AppError("NOT_FOUND", "properties.errors.unitNotFound");
      return toUnitRow(u);
    });
  }

  private async assertCodeFree(tx: DbTx, propertyId: string, code: string, exceptId?: string): Promise<void> {
    const clash = await tx.unit.findFirst({
      where: { propertyId, code: { equals: code, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true },
    });
    if (clash) throw new AppError("CONFLICT", "properties.errors.codeTaken", { code });
  }

  async create(input: z.output<typeof createUnitSchema>): Promise<UnitRow> {
    return this.ctx.db.run(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`units:${this.ctx.tenantId}`}, 0))`;
      const p = await tx.property.findFirst({ where: { id: input.propertyId }, select: { id: true, archivedAt: true } });
      if (!p) throw new AppError("NOT_FOUND", "properties.errors.notFound");
      if (p.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.archived");
      await new PlanGate(this.ctx).assertWithinLimit(tx, "units");
      await this.assertCodeFree(tx, p.id, input.code);
      const u = await tx.unit.create({
        data: {
          tenantId: this.ctx.tenantId,
          propertyId: p.id,
          code: input.code,
          floor: input.floor,
          sizeSqm: input.sizeSqm,
          baseRent: input.baseRent,
          currency: input.currency,
          status: input.status,
        },
        select: unitSelect,
      });
      await this.audit().log(tx, {
        action: "unit.created",
        targetType: "Unit",
        targetId: u.id,
        metadata: { after: { propertyId: p.id, ...unitSnapshot(u) } },
      });
      return toUnitRow(u);
    });
  }

  async update(input: z.output<typeof updateUnitSchema>): Promise<UnitRow> {
    return this.ctx.db.run(async (tx) => {
      const before = await tx.unit.findFirst({ where: { id: input.unitId }, select: unitSelect });
      if (!before) throw new AppError("NOT_FOUND", "properties.errors.unitNotFound");
      if (before.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.unitArchived");
      // occupied belongs to the unit's contract: staff cannot set or clear it here
      const status = before.status === "occupied" ? "occupied" : input.status;
      await this.assertCodeFree(tx, before.propertyId, input.code, before.id);
      const after = await tx.unit.update({
        where: { id: before.id },
        data: { code: input.code, floor: input.floor, sizeSqm: input.sizeSqm, baseRent: input.baseRent, currency: input.currency, status },
        select: unitSelect,
      });
      await this.audit().log(tx, {
        action: "unit.updated",
        targetType: "Unit",
        targetId: before.id,
        metadata: { before: unitSnapshot(before), after: unitSnapshot(after) },
      });
      return toUnitRow(after);
    });
  }

  /** Archives a unit that no contract holds (draft or active); it no longer counts against the plan. */
  async archive(unitId: string): Promise<UnitRow> {
    return this.ctx.db.run(async (tx) => {
      const before = await tx.unit.findFirst({ where: { id: unitId }, select: unitSelect });
      if (!before) throw new AppError("NOT_FOUND", "properties.errors.unitNotFound");
      if (before.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.unitArchived");
      const held = await tx.contract.count({ where: { unitId, status: { in: ["draft", "active"] } } });
      if (before.status === "occupied" || held > 0) throw new AppError("INVALID_STATE", "properties.errors.unitHeld");
      const now = new Date();
      const after = await tx.unit.update({ where: { id: unitId }, data: { archivedAt: now }, select: unitSelect });
      await this.audit().log(tx, {
        action: "unit.archived",
        targetType: "Unit",
        targetId: unitId,
        metadata: { before: { archivedAt: null }, after: { archivedAt: now.toISOString() } },
      });
      return toUnitRow(after);
    });
  }

  /**
   * Brings back a unit archived on its own. Refused while its property is archived (restore the
   * property, which brings back the units archived with it). Its status is kept as stored:
   * vacant or maintenance, never occupied (archiving refused occupied units).
   */
  async restore(unitId: string): Promise<UnitRow> {
    return this.ctx.db.run(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`units:${this.ctx.tenantId}`}, 0))`;
      const before = await tx.unit.findFirst({ where: { id: unitId }, select: unitSelect });
      if (!before) throw new AppError("NOT_FOUND", "properties.errors.unitNotFound");
      if (!before.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.unitNotArchived");
      if (before.property.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.propertyArchived");
      if (before.status === "occupied") throw new AppError("INVALID_STATE", "properties.errors.unitHeld");
      await new PlanGate(this.ctx).assertWithinLimit(tx, "units");
      const after = await tx.unit.update({ where: { id: before.id }, data: { archivedAt: null }, select: unitSelect });
      await this.audit().log(tx, {
        action: "unit.restored",
        targetType: "Unit",
        targetId: before.id,
        metadata: {
          before: { archivedAt: before.archivedAt.toISOString(), status: before.status },
          after: { archivedAt: null, status: after.status },
        },
      });
      return toUnitRow(after);
    });
  }
}
