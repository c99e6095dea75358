import "server-only";
import type { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import {
  afterCursor,
  decodeCursor,
  encodeCursor,
  keysetOrder,
  type KeyKind,
  type KeysetCursor,
  type KeysetSpec,
} from "@/server/core/keyset";
import { escapeLike } from "@/server/audit/audit-query";
import { pageStatement } from "@/server/properties/list-queries";
import type { ContractSort, listContractsSchema } from "@/lib/schemas/contracts";
import { CONTRACT_STATUSES } from "@/lib/rentals/contract-state";
import { addDaysToDay } from "@/lib/dates";

// The contracts list's page statement (ids and sort keys, LIMIT limit + 1), shared by
// ContractQueries.list and the plan test, so the test EXPLAINs exactly what the list sends.
//
// Indexes `(tenantId, key, id)` and `(tenantId, status, key, id)` (migration
// 20261206120500_workspace_list_keyset_indexes): the tenant, the status and the keyset row
// comparison are LEAKPROOF index conditions under row-level security; a page reads about a page of
// rows at any depth. A renter's or a unit's contracts are few: those filters read them through
// `(tenantId, renterId)` / `(tenantId, unitId)` and sort that handful. A property filter is a
// semi-join on the property's units. The free-text search (ILIKE on the renter and unit, not
// leakproof) filters the walk of the sort index: rows read grow with how rare a match is.
//
// endDate is nullable and sorts with the open-ended contracts last in both directions: two
// segments, each an index scan in the index's own direction: the dated contracts
// (`endDate IS NOT NULL`, keyset on (endDate, id)) then the open-ended ones (`endDate IS NULL`,
// keyset on id; IS NULL is an index condition and pins the key, so the index order is id's). A
// cursor in the second segment has its own tag, so the first segment is skipped once it is done.

const SORT_KINDS: Record<ContractSort, KeyKind> = { startDate: "date", endDate: "date", rentAmount: "int", createdAt: "timestamp" };

export interface ContractPageQuery {
  /** the spec of the first segment's cursor (the only one but for endDate) */
  spec: KeysetSpec;
  /** endDate only: the spec of the open-ended segment's cursor (id only) */
  nullSpec: KeysetSpec | null;
  sql: Prisma.Sql;
}

export interface ContractKeyRow {
  id: string;
  /** the sort key (null in the open-ended segment of the endDate sort) */
  k: Date | string | number | null;
}

function decodeEither(spec: KeysetSpec, nullSpec: KeysetSpec | null, cursor: string): { seg: 0 | 1; after: KeysetCursor } {
  try {
    return { seg: 0, after: decodeCursor(spec, cursor) };
  } catch (e) {
    if (!nullSpec || !(e instanceof AppError)) throw e;
    return { seg: 1, after: decodeCursor(nullSpec, cursor) };
  }
}

export function contractPageQuery(tenantId: string, input: z.output<typeof listContractsSchema>, today: string): ContractPageQuery {
  const sortId = input.sort.id;
  const desc = input.sort.desc;
  const spec: KeysetSpec = { tag: `contracts:${sortId}`, kinds: [SORT_KINDS[sortId]], desc };
  const nullSpec: KeysetSpec | null = sortId === "endDate" ? { tag: "contracts:endDate:open", kinds: [], desc } : null;
  const cursor = input.cursor ? decodeEither(spec, nullSpec, input.cursor) : undefined;

  const key = Prisma.raw(`c."${sortId}"`);
  const id = Prisma.raw("c.id");
  const c: Prisma.Sql[] = [Prisma.sql`c."tenantId" = ${tenantId}::uuid`];
  const status = input.endingWithinDays !== undefined ? "active" : input.status;
  if (status) {
    if (!(CONTRACT_STATUSES as readonly string[]).includes(status)) throw new AppError("VALIDATION", "errors.invalidInput");
    // an untyped parameter takes the column's type: no cast on the column, its own equality
    c.push(Prisma.sql`c.status = ${status}`);
  }
  if (input.renterId) c.push(Prisma.sql`c."renterId" = ${input.renterId}::uuid`);
  if (input.unitId) c.push(Prisma.sql`c."unitId" = ${input.unitId}::uuid`);
  if (input.propertyId) {
    c.push(
      Prisma.sql`c."unitId" IN (SELECT u.id FROM "Unit" u WHERE u."tenantId" = ${tenantId}::uuid AND u."propertyId" = ${input.propertyId}::uuid)`,
    );
  }
  if (input.endingWithinDays !== undefined) {
    c.push(Prisma.sql`c."endDate" >= ${today}::date AND c."endDate" <= ${addDaysToDay(today, input.endingWithinDays)}::date`);
  }
  const like = input.search ? `%${escapeLike(input.search)}%` : null;
  // each contract's renter and unit by key, row by row: a correlated scalar sub-select is never
  // hashed over the workspace's renters or units (an EXISTS would be)
  const search = like
    ? Prisma.sql`((SELECT r."nameLatin" ILIKE ${like} OR r."nameKm" LIKE ${like} OR r.phone LIKE ${`%${escapeLike(input.search!.replace(/[\s-]/g, ""))}%`}
          FROM "Renter" r WHERE r."tenantId" = ${tenantId}::uuid AND r.id = c."renterId")
        OR (SELECT u.code ILIKE ${like} FROM "Unit" u WHERE u."tenantId" = ${tenantId}::uuid AND u.id = c."unitId"))`
    : null;
  const limit = input.limit + 1;
  const page = (where: Prisma.Sql[], select: Prisma.Sql, order: Prisma.Sql) =>
    pageStatement({ table: "Contract", alias: "c", select, where: [...c, ...where], search, order, limit });

  if (!nullSpec) {
    return {
      spec,
      nullSpec,
      sql: page(
        cursor ? [afterCursor(spec, [key], id, cursor.after)] : [],
        Prisma.sql`c.id::text AS id, ${key} AS k`,
        keysetOrder(spec, [key], id),
      ),
    };
  }

  // endDate: the dated contracts, then the open-ended ones (each branch its own index scan)
  const dir = Prisma.raw(desc ? "DESC" : "ASC");
  const order = Prisma.sql`c."endDate" ${dir}, c.id ${dir}`;
  const openAfter =
    cursor?.seg === 1 ? [desc ? Prisma.sql`c.id < ${cursor.after.id}::uuid` : Prisma.sql`c.id > ${cursor.after.id}::uuid`] : [];
  const open = page([Prisma.sql`c."endDate" IS NULL`, ...openAfter], Prisma.sql`c.id, c."endDate" AS k, 1 AS seg`, order);
  if (cursor?.seg === 1) {
    return { spec, nullSpec, sql: Prisma.sql`SELECT x.id::text AS id, x.k FROM (${open}) x ORDER BY x.id ${dir} LIMIT ${limit}::int` };
  }
  const datedAfter = cursor ? [afterCursor(spec, [key], id, cursor.after)] : [];
  const dated = page([Prisma.sql`c."endDate" IS NOT NULL`, ...datedAfter], Prisma.sql`c.id, c."endDate" AS k, 0 AS seg`, order);
  return {
    spec,
    nullSpec,
    sql: Prisma.sql`SELECT x.id::text AS id, x.k FROM ((${dated}) UNION ALL (${open})) x
      ORDER BY x.seg, x.k ${dir}, x.id ${dir}
      LIMIT ${limit}::int`,
  };
}

/** The page out of `limit + 1` key rows, with the cursor after its last row (in its segment). */
export function contractPageOf(q: ContractPageQuery, rows: readonly ContractKeyRow[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length <= limit || !last) return { rows: page, nextCursor: null };
  const nextCursor = last.k === null ? encodeCursor(q.nullSpec ?? q.spec, [], last.id) : encodeCursor(q.spec, [last.k], last.id);
  return { rows: page, nextCursor };
}
