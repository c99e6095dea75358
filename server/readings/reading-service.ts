import "server-only";
import type { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import type { MessageKey } from "@/lib/i18n";
import { tenantAudit } from "@/server/audit/audit-logger";
import { METER_KINDS, type MeterKind, type gridSchema, type saveGridSchema, type upsertReadingSchema } from "@/lib/schemas/readings";
import type { TenantContext } from "../core/tenant-context";

export interface MeterCell {
  /** this period's reading, if any */
  reading: number | null;
  /** the latest reading before this period, and its period */
  previous: number | null;
  previousPeriod: string | null;
  /** the earliest reading after this period (a new reading may not exceed it) */
  next: number | null;
  nextPeriod: string | null;
}

export interface GridRow {
  unitId: string;
  code: string;
  floor: number | null;
  /** the renter of the active contract, if any */
  renterName: string | null;
  meters: Record<MeterKind, MeterCell>;
}

export interface CellError {
  unitId: string;
  kind: MeterKind;
  key: MessageKey;
  params: Record<string, string | number>;
}

export type SaveGridResult = { ok: true; saved: number; unchanged: number } | { ok: false; errors: CellError[] };

type Bounds = { previous: number | null; previousPeriod: string | null; next: number | null; nextPeriod: string | null };

/** Readings never go down: a reading must be ≥ the previous period's and ≤ the next period's. */
function boundsError(reading: number, b: Bounds): { key: MessageKey; params: Record<string, string | number> } | null {
  if (b.previous !== null && reading < b.previous) {
    return { key: "readings.errors.belowPrevious", params: { previous: b.previous, period: b.previousPeriod ?? "" } };
  }
  if (b.next !== null && reading > b.next) {
    return { key: "readings.errors.aboveNext", params: { next: b.next, period: b.nextPeriod ?? "" } };
  }
  return null;
}

const key = (unitId: string, kind: string) => `${unitId}:${kind}`;

/**
 * Meter readings (electricity kWh, water m³) per unit and month. One at a time, or a whole
 * building's grid for a month in one transaction: all cells are checked first and nothing is
 * written when any cell is wrong, so the grid shows every error at once.
 */
export class ReadingService {
  constructor(private readonly ctx: TenantContext) {}

  /** Previous/next readings around `period` for each unit+kind (two queries for the whole set). */
  private async bounds(tx: DbTx, unitIds: string[], period: string): Promise<Map<string, Bounds>> {
    const out = new Map<string, Bounds>();
    for (const u of unitIds)
      for (const k of METER_KINDS) out.set(key(u, k), { previous: null, previousPeriod: null, next: null, nextPeriod: null });
    if (unitIds.length === 0) return out;
    const [before, after] = await Promise.all([
      tx.meterReading.findMany({
        where: { unitId: { in: unitIds }, period: { lt: period } },
        select: { unitId: true, kind: true, period: true, reading: true },
        orderBy: [{ period: "desc" }],
        distinct: ["unitId", "kind"],
      }),
      tx.meterReading.findMany({
        where: { unitId: { in: unitIds }, period: { gt: period } },
        select: { unitId: true, kind: true, period: true, reading: true },
        orderBy: [{ period: "asc" }],
        distinct: ["unitId", "kind"],
      }),
    ]);
    for (const r of before) Object.assign(out.get(key(r.unitId, r.kind))!, { previous: r.reading, previousPeriod: r.period });
    for (const r of after) Object.assign(out.get(key(r.unitId, r.kind))!, { next: r.reading, nextPeriod: r.period });
    return out;
  }

  /** The grid of a property for a month: every unit that is not archived, both meters. */
  async grid(input: z.output<typeof gridSchema>): Promise<{ propertyId: string; propertyName: string; period: string; rows: GridRow[] }> {
    return this.ctx.db.run(async (tx) => {
      const property = await tx.property.findFirst({ where: { id: input.propertyId }, select: { id: true, name: true } });
      if (!property) throw new AppError("NOT_FOUND", "readings.errors.propertyNotFound");
      const units = await tx.unit.findMany({
        where: { propertyId: property.id, archivedAt: null },
        select: {
          id: true,
          code: true,
          floor: true,
          contracts: { where: { status: "active" }, select: { renter: { select: { nameLatin: true, nameKm: true } } }, take: 1 },
        },
        orderBy: [{ floor: { sort: "asc", nulls: "last" } }, { code: "asc" }],
      });
      const ids = units.map((u) => u.id);
      const [current, bounds] = await Promise.all([
        tx.meterReading.findMany({
          where: { unitId: { in: ids }, period: input.period },
          select: { unitId: true, kind: true, reading: true },
        }),
        this.bounds(tx, ids, input.period),
      ]);
      const now = new Map(current.map((r) => [key(r.unitId, r.kind), r.reading]));
      const rows = units.map((u) => {
        const renter = u.contracts[0]?.renter;
        const meters = Object.fromEntries(
          METER_KINDS.map((k) => [k, { reading: now.get(key(u.id, k)) ?? null, ...bounds.get(key(u.id, k))! }]),
        ) as Record<MeterKind, MeterCell>;
        return { unitId: u.id, code: u.code, floor: u.floor, renterName: renter ? renter.nameLatin || renter.nameKm : null, meters };
      });
      return { propertyId: property.id, propertyName: property.name, period: input.period, rows };
    });
  }

  /** Records (or corrects) one reading. */
  async upsert(input: z.output<typeof upsertReadingSchema>): Promise<{ id: string; reading: number; usage: number | null }> {
    return this.ctx.db.run(async (tx) => {
      const unit = await tx.unit.findFirst({ where: { id: input.unitId }, select: { id: true, archivedAt: true } });
      if (!unit) throw new AppError("NOT_FOUND", "readings.errors.unitNotFound");
      if (unit.archivedAt) throw new AppError("INVALID_STATE", "readings.errors.unitArchived");
      await this.lockMeters(tx, [unit.id]);
      const b = (await this.bounds(tx, [unit.id], input.period)).get(key(unit.id, input.kind))!;
      const error = boundsError(input.reading, b);
      if (error) throw new AppError("VALIDATION", error.key, error.params);
      const before = await tx.meterReading.findFirst({
        where: { unitId: unit.id, kind: input.kind, period: input.period },
        select: { reading: true },
      });
      const row = await tx.meterReading.upsert({
        where: { tenantId_unitId_kind_period: { tenantId: this.ctx.tenantId, unitId: unit.id, kind: input.kind, period: input.period } },
        create: {
          tenantId: this.ctx.tenantId,
          unitId: unit.id,
          kind: input.kind,
          period: input.period,
          reading: input.reading,
          recordedById: this.ctx.userId,
        },
        update: { reading: input.reading, recordedById: this.ctx.userId },
        select: { id: true, reading: true },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "reading.saved",
        targetType: "MeterReading",
        targetId: row.id,
        metadata: {
          before: before ? { reading: before.reading } : null,
          after: { unitId: unit.id, kind: input.kind, period: input.period, reading: input.reading },
        },
      });
      return { id: row.id, reading: row.reading, usage: b.previous === null ? null : row.reading - b.previous };
    });
  }

  /**
   * Saves a building's month at once, in one transaction. Every cell is checked against the
   * previous and next months first; when any is wrong nothing is written and every error comes
   * back with its cell. Unchanged cells are not rewritten.
   */
  async saveGrid(input: z.output<typeof saveGridSchema>): Promise<SaveGridResult> {
    return this.ctx.db.run(async (tx) => {
      const property = await tx.property.findFirst({ where: { id: input.propertyId }, select: { id: true } });
      if (!property) throw new AppError("NOT_FOUND", "readings.errors.propertyNotFound");
      const seen = new Set<string>();
      for (const e of input.entries) {
        if (seen.has(key(e.unitId, e.kind))) throw new AppError("VALIDATION", "readings.errors.duplicateCell");
        seen.add(key(e.unitId, e.kind));
      }
      const unitIds = [...new Set(input.entries.map((e) => e.unitId))];
      const units = await tx.unit.findMany({
        where: { id: { in: unitIds }, propertyId: property.id, archivedAt: null },
        select: { id: true },
      });
      if (units.length !== unitIds.length) throw new AppError("NOT_FOUND", "readings.errors.unitNotFound");
      await this.lockMeters(tx, unitIds);
      const [bounds, current] = await Promise.all([
        this.bounds(tx, unitIds, input.period),
        tx.meterReading.findMany({
          where: { unitId: { in: unitIds }, period: input.period },
          select: { unitId: true, kind: true, reading: true },
        }),
      ]);
      const errors: CellError[] = [];
      for (const e of input.entries) {
        const error = boundsError(e.reading, bounds.get(key(e.unitId, e.kind))!);
        if (error) errors.push({ unitId: e.unitId, kind: e.kind, ...error });
      }
      if (errors.length > 0) return { ok: false, errors };
      const existing = new Map(current.map((r) => [key(r.unitId, r.kind), r.reading]));
      const changed = input.entries.filter((e) => existing.get(key(e.unitId, e.kind)) !== e.reading);
      for (const e of changed) {
        await tx.meterReading.upsert({
          where: { tenantId_unitId_kind_period: { tenantId: this.ctx.tenantId, unitId: e.unitId, kind: e.kind, period: input.period } },
          create: {
            tenantId: this.ctx.tenantId,
            unitId: e.unitId,
            kind: e.kind,
            period: input.period,
            reading: e.reading,
            recordedById: this.ctx.userId,
          },
          update: { reading: e.reading, recordedById: this.ctx.userId },
        });
      }
      if (changed.length > 0) {
        await tenantAudit(this.ctx).log(tx, {
          action: "reading.grid_saved",
          targetType: "Property",
          targetId: property.id,
          metadata: {
            period: input.period,
            before: Object.fromEntries(changed.map((e) => [key(e.unitId, e.kind), existing.get(key(e.unitId, e.kind)) ?? null])),
            after: Object.fromEntries(changed.map((e) => [key(e.unitId, e.kind), e.reading])),
          },
        });
      }
      return { ok: true, saved: changed.length, unchanged: input.entries.length - changed.length };
    });
  }

  /**
   * Serialises writers of the same units' meters (transaction-scoped advisory locks, in a fixed
   * order): two people saving neighbouring months cannot both pass the previous/next check.
   */
  private async lockMeters(tx: DbTx, unitIds: string[]): Promise<void> {
    for (const id of [...unitIds].sort()) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`meter:${id}`}, 0))`;
    }
  }
}
