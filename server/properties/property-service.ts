import "server-only";
import type { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import { publicFileUrl } from "@/lib/files/urls";
import {
  MAX_PHOTOS_PER_PROPERTY,
  type addPhotoSchema,
  type createPropertySchema,
  type listPropertiesSchema,
  type updatePropertySchema,
  type PropertyType,
} from "@/lib/schemas/properties";
import { deleteStoredFile } from "@/server/files/storage";
import { pageOf } from "@/server/core/keyset";
import { FileService } from "../files/file-service";
import { inPageOrder, propertyPageQuery } from "./list-queries";
import { PlanGate } from "../subscriptions/plan-gate";
import type { TenantContext } from "../core/tenant-context";
import { asEnumValue, PROPERTY_TYPE_VALUES, UNIT_STATUS_VALUES } from "@/lib/enums";

export interface UnitCounts {
  total: number;
  vacant: number;
  occupied: number;
  maintenance: number;
}

export interface PropertyRow {
  id: string;
  name: string;
  address: string;
  type: PropertyType;
  archivedAt: Date | null;
  createdAt: Date;
  coverUrl: string | null;
  units: UnitCounts;
}

export interface PropertyPhotoRow {
  id: string;
  fileId: string;
  url: string;
  position: number;
  originalName: string;
}

export interface PropertyDetail extends PropertyRow {
  notes: string;
  photos: PropertyPhotoRow[];
}

/**
 * Properties (buildings, boarding houses, houses, shops) with their public photos; their units
 * are UnitService's (unit-service.ts), except that archiving or restoring a property takes the
 * units archived with it along. Plan limits count the non-archived ones; archiving keeps history
 * (contracts, invoices) and frees the slot.
 */
export class PropertyService {
  constructor(private readonly ctx: TenantContext) {}

  private audit() {
    return tenantAudit(this.ctx);
  }

  // ───────── properties ─────────

  async list(input: z.output<typeof listPropertiesSchema>): Promise<{ items: PropertyRow[]; nextCursor: string | null }> {
    const q = propertyPageQuery(this.ctx.tenantId, input);
    return this.ctx.db.run(async (tx) => {
      const keys = await tx.$queryRaw<Array<{ id: string; k: string | Date }>>(q.sql);
      const { rows: pageKeys, nextCursor } = pageOf(q.spec, keys, input.limit, (r) => ({ keys: [r.k], id: r.id }));
      const ids = pageKeys.map((r) => r.id);
      const rows = await tx.property.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true, address: true, type: true, archivedAt: true, createdAt: true },
      });
      const enriched = await this.enrich(tx, inPageOrder(ids, rows));
      return { items: enriched, nextCursor };
    });
  }

  /** Unit counts per status and the first photo, for a page of properties (two queries, not 2n). */
  private async enrich(
    tx: DbTx,
    page: Array<{ id: string; name: string; address: string; type: string; archivedAt: Date | null; createdAt: Date }>,
  ): Promise<PropertyRow[]> {
    const ids = page.map((p) => p.id);
    if (ids.length === 0) return [];
    const [counts, photos] = await Promise.all([
      tx.unit.groupBy({ by: ["propertyId", "status"], where: { propertyId: { in: ids }, archivedAt: null }, _count: { _all: true } }),
      tx.propertyPhoto.findMany({
        where: { propertyId: { in: ids } },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        select: { propertyId: true, fileId: true },
      }),
    ]);
    return page.map((p) => {
      const units: UnitCounts = { total: 0, vacant: 0, occupied: 0, maintenance: 0 };
      for (const c of counts) {
        if (c.propertyId !== p.id) continue;
        units[asEnumValue(UNIT_STATUS_VALUES, c.status)] += c._count._all;
        units.total += c._count._all;
      }
      const cover = photos.find((ph) => ph.propertyId === p.id);
      return { ...p, type: asEnumValue(PROPERTY_TYPE_VALUES, p.type), units, coverUrl: cover ? publicFileUrl(cover.fileId) : null };
    });
  }

  async get(propertyId: string): Promise<PropertyDetail> {
    return this.ctx.db.run(async (tx) => {
      const p = await tx.property.findFirst({
        where: { id: propertyId },
        select: { id: true, name: true, address: true, type: true, notes: true, archivedAt: true, createdAt: true },
      });
      if (!p) throw new AppError("NOT_FOUND", "properties.errors.notFound");
      const [row] = await this.enrich(tx, [p]);
      const photos = await tx.propertyPhoto.findMany({
        where: { propertyId },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        select: { id: true, fileId: true, position: true, file: { select: { originalName: true } } },
      });
      return {
        ...row!,
        notes: p.notes,
        photos: photos.map((ph) => ({
          id: ph.id,
          fileId: ph.fileId,
          position: ph.position,
          url: publicFileUrl(ph.fileId),
          originalName: ph.file.originalName,
        })),
      };
    });
  }

  /** Non-archived properties for pickers (unit forms, filters, other slices' forms). */
  async options(): Promise<Array<{ id: string; name: string }>> {
    return this.ctx.db.run((tx) =>
      tx.property.findMany({
        where: { archivedAt: null },
        select: { id: true, name: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take: 500,
      }),
    );
  }

  private async assertNameFree(tx: DbTx, name: string, exceptId?: string): Promise<void> {
    const clash = await tx.property.findFirst({
      where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true },
    });
    if (clash) throw new AppError("CONFLICT", "properties.errors.nameTaken", { name });
  }

  async create(input: z.output<typeof createPropertySchema>): Promise<{ id: string; name: string }> {
    return this.ctx.db.run(async (tx) => {
      // one writer at a time per tenant: two parallel creates cannot both squeeze under the limit
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`properties:${this.ctx.tenantId}`}, 0))`;
      await new PlanGate(this.ctx).assertWithinLimit(tx, "properties");
      await this.assertNameFree(tx, input.name);
      const p = await tx.property.create({
        data: { tenantId: this.ctx.tenantId, name: input.name, address: input.address, type: input.type, notes: input.notes },
        select: { id: true, name: true, address: true, type: true, notes: true },
      });
      await this.audit().log(tx, { action: "property.created", targetType: "Property", targetId: p.id, metadata: { after: p } });
      return { id: p.id, name: p.name };
    });
  }

  async update(input: z.output<typeof updatePropertySchema>): Promise<{ id: string; name: string }> {
    return this.ctx.db.run(async (tx) => {
      const before = await tx.property.findFirst({
        where: { id: input.propertyId },
        select: { id: true, name: true, address: true, type: true, notes: true, archivedAt: true },
      });
      if (!before) throw new AppError("NOT_FOUND", "properties.errors.notFound");
      if (before.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.archived");
      await this.assertNameFree(tx, input.name, before.id);
      const after = await tx.property.update({
        where: { id: before.id },
        data: { name: input.name, address: input.address, type: input.type, notes: input.notes },
        select: { id: true, name: true, address: true, type: true, notes: true },
      });
      const { archivedAt: _archived, ...snapshot } = before;
      await this.audit().log(tx, {
        action: "property.updated",
        targetType: "Property",
        targetId: before.id,
        metadata: { before: snapshot, after },
      });
      return { id: after.id, name: after.name };
    });
  }

  /**
   * Archives a property and its units (their contracts and invoices stay). Refused while a unit
   * is occupied or has a contract that is still draft or active.
   */
  async archive(propertyId: string): Promise<{ id: string; name: string; unitsArchived: number }> {
    return this.ctx.db.run(async (tx) => {
      const p = await tx.property.findFirst({ where: { id: propertyId }, select: { id: true, name: true, archivedAt: true } });
      if (!p) throw new AppError("NOT_FOUND", "properties.errors.notFound");
      if (p.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.archived");
      const busy = await tx.unit.count({
        where: {
          propertyId,
          archivedAt: null,
          OR: [{ status: "occupied" }, { contracts: { some: { status: { in: ["draft", "active"] } } } }],
        },
      });
      if (busy > 0) throw new AppError("INVALID_STATE", "properties.errors.hasOccupiedUnits", { count: busy });
      const now = new Date();
      const units = await tx.unit.updateMany({ where: { propertyId, archivedAt: null }, data: { archivedAt: now } });
      await tx.property.update({ where: { id: propertyId }, data: { archivedAt: now } });
      await this.audit().log(tx, {
        action: "property.archived",
        targetType: "Property",
        targetId: propertyId,
        metadata: { before: { archivedAt: null }, after: { archivedAt: now.toISOString(), unitsArchived: units.count } },
      });
      return { id: p.id, name: p.name, unitsArchived: units.count };
    });
  }

  /**
   * Brings an archived property back with the units archived together with it (the same
   * `archivedAt` that `archive` gave both); units archived earlier on their own stay archived.
   * The property and those units count against the plan again, so both limits are checked first.
   */
  async restore(propertyId: string): Promise<{ id: string; name: string; unitsRestored: number }> {
    return this.ctx.db.run(async (tx) => {
      // the same locks as create and createUnit (always in this order), so no parallel write slips under a limit
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`properties:${this.ctx.tenantId}`}, 0))`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`units:${this.ctx.tenantId}`}, 0))`;
      const p = await tx.property.findFirst({ where: { id: propertyId }, select: { id: true, name: true, archivedAt: true } });
      if (!p) throw new AppError("NOT_FOUND", "properties.errors.notFound");
      if (!p.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.notArchived");
      const archivedTogether = { propertyId, archivedAt: p.archivedAt };
      const units = await tx.unit.findMany({ where: archivedTogether, select: { id: true, status: true } });
      // archive refuses occupied units, so none can be here; a contract owns `occupied`, never a restore
      const occupied = units.filter((u) => u.status === "occupied").length;
      if (occupied > 0) throw new AppError("INVALID_STATE", "properties.errors.hasOccupiedUnits", { count: occupied });
      const gate = new PlanGate(this.ctx);
      await gate.assertWithinLimit(tx, "properties");
      if (units.length > 0) await gate.assertWithinLimit(tx, "units", units.length);
      const restored = await tx.unit.updateMany({ where: archivedTogether, data: { archivedAt: null } });
      await tx.property.update({ where: { id: p.id }, data: { archivedAt: null } });
      await this.audit().log(tx, {
        action: "property.restored",
        targetType: "Property",
        targetId: p.id,
        metadata: {
          before: { archivedAt: p.archivedAt.toISOString() },
          after: { archivedAt: null, unitsRestored: restored.count, unitIds: units.map((u) => u.id) },
        },
      });
      return { id: p.id, name: p.name, unitsRestored: restored.count };
    });
  }

  // ───────── photos ─────────

  async addPhoto(input: z.output<typeof addPhotoSchema>): Promise<PropertyPhotoRow> {
    return this.ctx.db.run(async (tx) => {
      const p = await tx.property.findFirst({ where: { id: input.propertyId }, select: { id: true, archivedAt: true } });
      if (!p) throw new AppError("NOT_FOUND", "properties.errors.notFound");
      if (p.archivedAt) throw new AppError("INVALID_STATE", "properties.errors.archived");
      const file = await new FileService(this.ctx).assertAttachable(tx, input.fileId, "property_photo");
      const existing = await tx.propertyPhoto.findMany({ where: { propertyId: p.id }, select: { fileId: true, position: true } });
      if (existing.some((e) => e.fileId === file.id)) throw new AppError("CONFLICT", "properties.errors.photoAttached");
      const attachedElsewhere = await tx.propertyPhoto.findFirst({ where: { fileId: file.id }, select: { id: true } });
      if (attachedElsewhere) throw new AppError("CONFLICT", "properties.errors.photoAttached");
      if (existing.length >= MAX_PHOTOS_PER_PROPERTY) {
        throw new AppError("LIMIT_EXCEEDED", "properties.errors.tooManyPhotos", { max: MAX_PHOTOS_PER_PROPERTY });
      }
      const position = existing.reduce((max, e) => Math.max(max, e.position + 1), 0);
      const photo = await tx.propertyPhoto.create({
        data: { tenantId: this.ctx.tenantId, propertyId: p.id, fileId: file.id, position },
        select: { id: true, fileId: true, position: true },
      });
      await this.audit().log(tx, {
        action: "property.photo_added",
        targetType: "Property",
        targetId: p.id,
        metadata: { after: { photoId: photo.id, fileId: file.id, position } },
      });
      return { ...photo, url: publicFileUrl(file.id), originalName: file.originalName };
    });
  }

  /** Removes a photo and its stored file (which frees the plan's storage). */
  async removePhoto(photoId: string): Promise<{ id: string }> {
    const storageKey = await this.ctx.db.run(async (tx) => {
      const photo = await tx.propertyPhoto.findFirst({
        where: { id: photoId },
        select: { id: true, propertyId: true, fileId: true, position: true, file: { select: { storageKey: true } } },
      });
      if (!photo) throw new AppError("NOT_FOUND", "properties.errors.photoNotFound");
      // deleting the file cascades to the photo row
      await tx.file.delete({ where: { id: photo.fileId } });
      await this.audit().log(tx, {
        action: "property.photo_removed",
        targetType: "Property",
        targetId: photo.propertyId,
        metadata: { before: { photoId: photo.id, fileId: photo.fileId, position: photo.position } },
      });
      return photo.file.storageKey;
    });
    // after the commit: a rolled-back removal keeps its bytes
    await deleteStoredFile(storageKey).catch(() => undefined);
    return { id: photoId };
  }

  /** Moves a photo to the front (the cover shown in lists). */
  async makeCover(photoId: string): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      const photo = await tx.propertyPhoto.findFirst({ where: { id: photoId }, select: { id: true, propertyId: true, position: true } });
      if (!photo) throw new AppError("NOT_FOUND", "properties.errors.photoNotFound");
      const first = await tx.propertyPhoto.findFirst({
        where: { propertyId: photo.propertyId },
        orderBy: { position: "asc" },
        select: { position: true },
      });
      const position = Math.min(first?.position ?? 0, photo.position) - 1;
      await tx.propertyPhoto.update({ where: { id: photo.id }, data: { position } });
      await this.audit().log(tx, {
        action: "property.updated",
        targetType: "Property",
        targetId: photo.propertyId,
        metadata: { before: { coverPhotoPosition: photo.position }, after: { coverPhotoId: photo.id, position } },
      });
      return { id: photo.id };
    });
  }
}
