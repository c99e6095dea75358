import "server-only";
import type { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import { deleteStoredFile } from "@/server/files/storage";
import { privateFileUrl } from "@/lib/files/urls";
import { hasPermission } from "@/lib/permissions";
import { phoneSearchDigits } from "@/lib/rentals/phone";
import type {
  RenterInput,
  RenterLocale,
  RenterSort,
  listRentersSchema,
  setIdDocumentSchema,
  updateRenterSchema,
} from "@/lib/schemas/renters";
import { afterCursor, decodeOptionalCursor, keysetOrder, pageOf, type KeyKind, type KeysetSpec } from "@/server/core/keyset";
import { escapeLike } from "@/server/audit/audit-query";
import { inPageOrder, pageStatement } from "@/server/properties/list-queries";
import { FileService } from "../files/file-service";
import type { TenantContext } from "../core/tenant-context";
import { asEnumValue, CONTRACT_STATUS_VALUES } from "@/lib/enums";

export interface RenterRow {
  id: string;
  nameKm: string;
  nameLatin: string;
  phone: string;
  email: string | null;
  telegram: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  /** contracts that are draft or active */
  openContracts: number;
}

export interface RenterContractRow {
  id: string;
  status: "draft" | "active" | "ended" | "terminated";
  startDate: Date;
  endDate: Date | null;
  unitCode: string;
  propertyName: string;
}

export interface RenterDetail extends Omit<RenterRow, "openContracts"> {
  emergencyName: string | null;
  emergencyPhone: string | null;
  notes: string;
  locale: RenterLocale;
  /** the ID scan; `url` only for members who may open private files */
  idDocument: { id: string; originalName: string; mimeType: string; sizeBytes: number; url: string | null } | null;
  contracts: RenterContractRow[];
}

const rowSelect = {
  id: true,
  nameKm: true,
  nameLatin: true,
  phone: true,
  email: true,
  telegram: true,
  archivedAt: true,
  createdAt: true,
} as const;

const detailSelect = {
  ...rowSelect,
  emergencyName: true,
  emergencyPhone: true,
  notes: true,
  locale: true,
  idDocumentFileId: true,
} as const;

type SnapshotSource = Pick<
  RenterInput,
  "nameKm" | "nameLatin" | "phone" | "email" | "telegram" | "emergencyName" | "emergencyPhone" | "notes"
> & {
  locale: string;
};

/** What the audit log keeps of a renter (notes are free text: only whether they changed). */
function snapshot(r: SnapshotSource) {
  return {
    nameKm: r.nameKm,
    nameLatin: r.nameLatin,
    phone: r.phone,
    email: r.email,
    telegram: r.telegram,
    emergencyName: r.emergencyName,
    emergencyPhone: r.emergencyPhone,
    locale: r.locale,
    notesLength: r.notes.length,
  };
}

/** The words of a search, with Khmer and Latin text in one canonical form. */
function normalizeSearch(search: string): string {
  return search
    .normalize("NFC")
    .replace(/[\u200b\u200c\u200d]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

const RENTER_SORT_KINDS: Record<RenterSort, KeyKind> = { nameLatin: "text", nameKm: "text", createdAt: "timestamp" };

/**
 * The renters list's page statement (ids and sort keys, LIMIT limit + 1), shared with the plan
 * test. Index `(tenantId, archivedAt, <sort key>, id)`: the tenant, `archivedAt IS NULL` and the
 * keyset row comparison are index conditions under row-level security, and `ORDER BY archivedAt,
 * key, id` is the index order for the live list (archivedAt is NULL in all of it), so a page reads
 * about a page of rows at any depth. The search (ILIKE, not leakproof) filters that walk: rows read
 * grow with how rare a match is, never a sort of the workspace. The archived list sorts the
 * archived rows only. Same matching as renterSearchWhere.
 */
export function renterPageQuery(tenantId: string, input: z.output<typeof listRentersSchema>): { spec: KeysetSpec; sql: Prisma.Sql } {
  const spec: KeysetSpec = { tag: `renters:${input.sort.id}`, kinds: [RENTER_SORT_KINDS[input.sort.id]], desc: input.sort.desc };
  const after = decodeOptionalCursor(spec, input.cursor);
  const key = Prisma.raw(`r."${input.sort.id}"`);
  const id = Prisma.raw(`r.id`);
  const c: Prisma.Sql[] = [
    Prisma.sql`r."tenantId" = ${tenantId}::uuid`,
    input.archived ? Prisma.sql`r."archivedAt" IS NOT NULL` : Prisma.sql`r."archivedAt" IS NULL`,
  ];
  const q = input.search ? normalizeSearch(input.search) : "";
  let search: Prisma.Sql | null = null;
  if (q) {
    const like = (v: string) => `%${escapeLike(v)}%`;
    const or: Prisma.Sql[] = [
      Prisma.sql`r."nameLatin" ILIKE ${like(q)}`,
      Prisma.sql`r."nameKm" LIKE ${like(q)}`,
      Prisma.sql`r.email ILIKE ${like(q)}`,
    ];
    const digits = phoneSearchDigits(q);
    if (digits) or.push(Prisma.sql`r.phone LIKE ${like(digits)}`);
    const words = q.split(" ").filter(Boolean);
    if (words.length > 1) {
      or.push(
        Prisma.sql`(${Prisma.join(
          words.map((w) => Prisma.sql`(r."nameLatin" ILIKE ${like(w)} OR r."nameKm" LIKE ${like(w)})`),
          " AND ",
        )})`,
      );
    }
    search = Prisma.sql`(${Prisma.join(or, " OR ")})`;
  }
  if (after) c.push(afterCursor(spec, [key], id, after));
  const lead = input.archived ? Prisma.empty : Prisma.raw(`r."archivedAt" ${input.sort.desc ? "DESC" : "ASC"}, `);
  return {
    spec,
    sql: pageStatement({
      table: "Renter",
      alias: "r",
      select: Prisma.sql`r.id::text AS id, ${key} AS k`,
      where: c,
      search,
      order: Prisma.sql`${lead}${keysetOrder(spec, [key], id)}`,
      limit: input.limit + 1,
    }),
  };
}

/** `where` for a renter search: a name (either script), an e-mail, or part of a phone number typed any common way. */
export function renterSearchWhere(search: string | undefined): Prisma.RenterWhereInput {
  if (!search) return {};
  const q = normalizeSearch(search);
  if (!q) return {};
  const or: Prisma.RenterWhereInput[] = [
    { nameLatin: { contains: q, mode: "insensitive" } },
    { nameKm: { contains: q } },
    { email: { contains: q, mode: "insensitive" } },
  ];
  const digits = phoneSearchDigits(q);
  if (digits) or.push({ phone: { contains: digits } });
  // "Dara Sok" finds "Sok Dara": every word somewhere in one of the names
  const words = q.split(" ").filter(Boolean);
  if (words.length > 1) {
    or.push({
      AND: words.map((w) => ({ OR: [{ nameLatin: { contains: w, mode: "insensitive" as const } }, { nameKm: { contains: w } }] })),
    });
  }
  return { OR: or };
}

/**
 * Renters (the people who rent units): names in Khmer and Latin script, a Cambodian phone in
 * E.164, contact details, and a private ID scan. Archiving hides a renter from lists and pickers
 * and is refused while a contract is draft or active; their history stays.
 */
export class RenterService {
  constructor(private readonly ctx: TenantContext) {}

  private audit() {
    return tenantAudit(this.ctx);
  }

  async list(input: z.output<typeof listRentersSchema>): Promise<{ items: RenterRow[]; nextCursor: string | null }> {
    const q = renterPageQuery(this.ctx.tenantId, input);
    return this.ctx.db.run(async (tx) => {
      const keys = await tx.$queryRaw<Array<{ id: string; k: string | Date }>>(q.sql);
      const { rows: pageKeys, nextCursor } = pageOf(q.spec, keys, input.limit, (r) => ({ keys: [r.k], id: r.id }));
      const ids = pageKeys.map((r) => r.id);
      const rows = await tx.renter.findMany({
        where: { id: { in: ids } },
        select: { ...rowSelect, _count: { select: { contracts: { where: { status: { in: ["draft", "active"] } } } } } },
      });
      return {
        items: inPageOrder(ids, rows).map(({ _count, ...r }) => ({ ...r, openContracts: _count.contracts })),
        nextCursor,
      };
    });
  }

  /** Non-archived renters for pickers (contract forms); `search` narrows them the same way as the list. */
  async options(search?: string): Promise<Array<{ id: string; nameKm: string; nameLatin: string; phone: string }>> {
    return this.ctx.db.run((tx) =>
      tx.renter.findMany({
        where: { archivedAt: null, ...renterSearchWhere(search) },
        select: { id: true, nameKm: true, nameLatin: true, phone: true },
        orderBy: [{ nameLatin: "asc" }, { id: "asc" }],
        take: 50,
      }),
    );
  }

  async get(renterId: string): Promise<RenterDetail> {
    return this.ctx.db.run(async (tx) => {
      const r = await tx.renter.findFirst({
        where: { id: renterId },
        select: {
          ...detailSelect,
          idDocument: { select: { id: true, originalName: true, mimeType: true, sizeBytes: true } },
          contracts: {
            select: {
              id: true,
              status: true,
              startDate: true,
              endDate: true,
              unit: { select: { code: true, property: { select: { name: true } } } },
            },
            orderBy: [{ startDate: "desc" }, { id: "desc" }],
            take: 50,
          },
        },
      });
      if (!r) throw new AppError("NOT_FOUND", "renters.errors.notFound");
      const { idDocument, contracts, idDocumentFileId: _fileId, locale, ...rest } = r;
      const canOpen = hasPermission(this.ctx.permissions, "files.private");
      return {
        ...rest,
        locale: locale === "en" ? "en" : "km",
        idDocument: idDocument ? { ...idDocument, url: canOpen ? privateFileUrl(idDocument.id) : null } : null,
        contracts: contracts.map((c) => ({
          id: c.id,
          status: asEnumValue(CONTRACT_STATUS_VALUES, c.status),
          startDate: c.startDate,
          endDate: c.endDate,
          unitCode: c.unit.code,
          propertyName: c.unit.property.name,
        })),
      };
    });
  }

  /** Serialises renter writes per tenant, so the duplicate-phone check cannot be raced. */
  static async lockRenters(tx: DbTx, tenantId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`renters:${tenantId}`}, 0))`;
  }

  /** A phone belongs to one current renter (the same person renting twice gets two contracts, not two renters). */
  private async assertPhoneFree(tx: DbTx, phone: string, exceptId?: string): Promise<void> {
    const clash = await tx.renter.findFirst({
      where: { phone, archivedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true, nameLatin: true, nameKm: true },
    });
    if (clash) throw new AppError("CONFLICT", "renters.errors.phoneTaken", { name: clash.nameLatin || clash.nameKm });
  }

  async create(input: RenterInput): Promise<{ id: string; name: string }> {
    return this.ctx.db.run(async (tx) => {
      await RenterService.lockRenters(tx, this.ctx.tenantId);
      await this.assertPhoneFree(tx, input.phone);
      // staff adding the renter's contacts record their agreement to be contacted there (docs/PRIVACY_RETENTION.md)
      const data = { tenantId: this.ctx.tenantId, ...input, contactConsentAt: new Date() };
      const r = await tx.renter.create({ data, select: detailSelect });
      await this.audit().log(tx, { action: "renter.created", targetType: "Renter", targetId: r.id, metadata: { after: snapshot(r) } });
      return { id: r.id, name: r.nameLatin || r.nameKm };
    });
  }

  async update(input: z.output<typeof updateRenterSchema>): Promise<{ id: string; name: string }> {
    const { renterId, ...data } = input;
    return this.ctx.db.run(async (tx) => {
      await RenterService.lockRenters(tx, this.ctx.tenantId);
      const before = await tx.renter.findFirst({ where: { id: renterId }, select: detailSelect });
      if (!before) throw new AppError("NOT_FOUND", "renters.errors.notFound");
      if (before.archivedAt) throw new AppError("INVALID_STATE", "renters.errors.archived");
      if (data.phone !== before.phone) await this.assertPhoneFree(tx, data.phone, renterId);
      const after = await tx.renter.update({ where: { id: renterId }, data, select: detailSelect });
      await this.audit().log(tx, {
        action: "renter.updated",
        targetType: "Renter",
        targetId: renterId,
        metadata: { before: snapshot(before), after: snapshot(after), notesChanged: before.notes !== after.notes },
      });
      return { id: after.id, name: after.nameLatin || after.nameKm };
    });
  }

  /** Attaches an uploaded renter_id file as the ID scan (or removes it with `fileId: null`); the replaced file is deleted. */
  async setIdDocument(input: z.output<typeof setIdDocumentSchema>): Promise<{ id: string; idDocumentFileId: string | null }> {
    const removedKey = await this.ctx.db.run(async (tx) => {
      const r = await tx.renter.findFirst({
        where: { id: input.renterId },
        select: { id: true, archivedAt: true, idDocumentFileId: true, idDocument: { select: { storageKey: true } } },
      });
      if (!r) throw new AppError("NOT_FOUND", "renters.errors.notFound");
      if (r.archivedAt) throw new AppError("INVALID_STATE", "renters.errors.archived");
      if (input.fileId === r.idDocumentFileId) return null;
      if (input.fileId) {
        await new FileService(this.ctx).assertAttachable(tx, input.fileId, "renter_id");
        const taken = await tx.renter.findFirst({ where: { idDocumentFileId: input.fileId }, select: { id: true } });
        if (taken) throw new AppError("CONFLICT", "renters.errors.documentAttached");
      } else if (!r.idDocumentFileId) {
        throw new AppError("INVALID_STATE", "errors.noChange");
      }
      await tx.renter.update({ where: { id: r.id }, data: { idDocumentFileId: input.fileId } });
      // the old scan is no one else's: drop it (frees the plan's storage)
      if (r.idDocumentFileId) await tx.file.delete({ where: { id: r.idDocumentFileId } });
      await this.audit().log(tx, {
        action: input.fileId ? "renter.id_document_set" : "renter.id_document_removed",
        targetType: "Renter",
        targetId: r.id,
        metadata: { before: { fileId: r.idDocumentFileId }, after: { fileId: input.fileId } },
      });
      return r.idDocument?.storageKey ?? null;
    });
    // after the commit: a rolled-back change keeps its bytes
    if (removedKey) await deleteStoredFile(removedKey).catch(() => undefined);
    return { id: input.renterId, idDocumentFileId: input.fileId };
  }

  async archive(renterId: string): Promise<{ id: string; name: string }> {
    return this.ctx.db.run(async (tx) => {
      const r = await tx.renter.findFirst({
        where: { id: renterId },
        select: { id: true, nameLatin: true, nameKm: true, archivedAt: true },
      });
      if (!r) throw new AppError("NOT_FOUND", "renters.errors.notFound");
      if (r.archivedAt) throw new AppError("INVALID_STATE", "renters.errors.archived");
      const open = await tx.contract.count({ where: { renterId, status: { in: ["draft", "active"] } } });
      if (open > 0) throw new AppError("INVALID_STATE", "renters.errors.hasOpenContracts", { count: open });
      const now = new Date();
      await tx.renter.update({ where: { id: renterId }, data: { archivedAt: now } });
      await this.audit().log(tx, {
        action: "renter.archived",
        targetType: "Renter",
        targetId: renterId,
        metadata: { before: { archivedAt: null }, after: { archivedAt: now.toISOString() } },
      });
      return { id: r.id, name: r.nameLatin || r.nameKm };
    });
  }

  async restore(renterId: string): Promise<{ id: string; name: string }> {
    return this.ctx.db.run(async (tx) => {
      await RenterService.lockRenters(tx, this.ctx.tenantId);
      const r = await tx.renter.findFirst({
        where: { id: renterId },
        select: { id: true, nameLatin: true, nameKm: true, phone: true, archivedAt: true },
      });
      if (!r) throw new AppError("NOT_FOUND", "renters.errors.notFound");
      if (!r.archivedAt) throw new AppError("INVALID_STATE", "errors.noChange");
      await this.assertPhoneFree(tx, r.phone, r.id);
      await tx.renter.update({ where: { id: renterId }, data: { archivedAt: null } });
      await this.audit().log(tx, {
        action: "renter.restored",
        targetType: "Renter",
        targetId: renterId,
        metadata: { before: { archivedAt: r.archivedAt.toISOString() }, after: { archivedAt: null } },
      });
      return { id: r.id, name: r.nameLatin || r.nameKm };
    });
  }
}
