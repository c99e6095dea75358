import "server-only";
import type { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import { afterCursor, decodeOptionalCursor, keysetOrder, type KeyKind, type KeysetCursor, type KeysetSpec } from "@/server/core/keyset";
import { escapeLike } from "@/server/audit/audit-query";
import { UNIT_STATUSES, type listPropertiesSchema, type listUnitsSchema } from "@/lib/schemas/properties";

// The page queries of the properties and units lists: one keyset statement each, shared by the
// services and the plan tests (tests/integration/list-plans-workspace.test.ts), so the test
// EXPLAINs exactly what the list sends. Each selects the page's ids and sort keys only (LIMIT
// limit + 1); the service then reads those rows by primary key.
//
// Index plan (migration 20261206120500_workspace_list_keyset_indexes): `(tenantId, [filter,]
// archivedAt, key, id)`. The explicit `tenantId = $t` and the keyset row comparison are LEAKPROOF
// index conditions under row-level security; `archivedAt IS NULL` is an index condition too and,
// because it pins archivedAt to one value, `ORDER BY archivedAt, key, id` is the index order: the
// scan reads about a page at any depth. The archived list (`archivedAt IS NOT NULL`) reads the
// archived rows of the range and sorts them (bounded by what was archived, not by the workspace).
// Free text (ILIKE, not leakproof) stays a filter on that walk: rows read grow with how rare a match is.

export interface PageQuery {
  spec: KeysetSpec;
  sql: Prisma.Sql;
}

interface SortDef {
  column: string;
  kind: KeyKind;
}

const PROPERTY_SORTS: Record<z.output<typeof listPropertiesSchema>["sort"]["id"], SortDef> = {
  name: { column: "name", kind: "text" },
  createdAt: { column: "createdAt", kind: "timestamp" },
};

const UNIT_SORTS: Record<z.output<typeof listUnitsSchema>["sort"]["id"], SortDef> = {
  code: { column: "code", kind: "text" },
  baseRent: { column: "baseRent", kind: "int" },
  status: { column: "status", kind: "text" },
  createdAt: { column: "createdAt", kind: "timestamp" },
};

const col = (alias: string, name: string) => Prisma.raw(`${alias}."${name}"`);

/** `archivedAt IS [NOT] NULL`, and the order that keeps the index order for the live rows. */
function archivedParts(alias: string, archived: boolean, spec: KeysetSpec) {
  const archivedAt = col(alias, "archivedAt");
  return {
    where: archived ? Prisma.sql`${archivedAt} IS NOT NULL` : Prisma.sql`${archivedAt} IS NULL`,
    // all live rows have archivedAt NULL: leading with it changes nothing but lets the index give the order
    lead: archived ? Prisma.empty : Prisma.sql`${archivedAt} ${Prisma.raw(spec.desc ? "DESC" : "ASC")}, `,
  };
}

export function propertyPageQuery(tenantId: string, input: z.output<typeof listPropertiesSchema>): PageQuery {
  const sort = PROPERTY_SORTS[input.sort.id];
  const spec: KeysetSpec = { tag: `properties:${input.sort.id}`, kinds: [sort.kind], desc: input.sort.desc };
  const after = decodeOptionalCursor(spec, input.cursor);
  const key = col("p", sort.column);
  const archived = archivedParts("p", input.archived, spec);
  const c: Prisma.Sql[] = [Prisma.sql`p."tenantId" = ${tenantId}::uuid`, archived.where];
  if (input.type) c.push(Prisma.sql`p.type = ${input.type}`);
  const search = input.search
    ? Prisma.sql`(p.name ILIKE ${`%${escapeLike(input.search)}%`} OR p.address ILIKE ${`%${escapeLike(input.search)}%`})`
    : null;
  if (after) c.push(afterCursor(spec, [key], col("p", "id"), after));
  return {
    spec,
    sql: pageStatement({
      table: "Property",
      alias: "p",
      select: Prisma.sql`p.id::text AS id, ${key} AS k`,
      where: c,
      search,
      order: Prisma.sql`${archived.lead}${keysetOrder(spec, [key], col("p", "id"))}`,
      limit: input.limit + 1,
    }),
  };
}

export function unitPageQuery(tenantId: string, input: z.output<typeof listUnitsSchema>): PageQuery {
  const sort = UNIT_SORTS[input.sort.id];
  const spec: KeysetSpec = { tag: `units:${input.sort.id}`, kinds: [sort.kind], desc: input.sort.desc };
  const after = decodeOptionalCursor(spec, input.cursor);
  const key = col("u", sort.column);
  const archived = archivedParts("u", input.archived, spec);
  const c: Prisma.Sql[] = [Prisma.sql`u."tenantId" = ${tenantId}::uuid`, archived.where];
  if (input.propertyId) c.push(Prisma.sql`u."propertyId" = ${input.propertyId}::uuid`);
  if (input.status) c.push(Prisma.sql`u.status = ${input.status}`);
  const like = input.search ? `%${escapeLike(input.search)}%` : null;
  const search = like
    ? // the property's name by its key, row by row (a correlated scalar sub-select is never hashed over the workspace's properties)
      Prisma.sql`(u.code ILIKE ${like} OR (SELECT p.name FROM "Property" p WHERE p."tenantId" = ${tenantId}::uuid AND p.id = u."propertyId") ILIKE ${like})`
    : null;
  if (after)
    c.push(input.sort.id === "status" ? afterLabel(spec, key, col("u", "id"), after) : afterCursor(spec, [key], col("u", "id"), after));
  return {
    spec,
    sql: pageStatement({
      table: "Unit",
      alias: "u",
      select: Prisma.sql`u.id::text AS id, ${sort.kind === "text" ? Prisma.sql`${key}::text` : key} AS k`,
      where: c,
      search,
      order: Prisma.sql`${archived.lead}${keysetOrder(spec, [key], col("u", "id"))}`,
      limit: input.limit + 1,
    }),
  };
}

/**
 * The keyset condition for a status key: the value goes as an untyped parameter, so it takes the
 * column's type (an enum today, text with a CHECK once the enum columns are converted) and the
 * comparison is the column's own operator, with no cast on the column.
 */
function afterLabel(spec: KeysetSpec, column: Prisma.Sql, idColumn: Prisma.Sql, cursor: KeysetCursor): Prisma.Sql {
  const key = cursor.keys[0];
  if (typeof key !== "string" || !(UNIT_STATUSES as readonly string[]).includes(key))
    throw new AppError("VALIDATION", "errors.invalidCursor");
  return spec.desc
    ? Prisma.sql`(${column}, ${idColumn}) < (${key}, ${cursor.id}::uuid)`
    : Prisma.sql`(${column}, ${idColumn}) > (${key}, ${cursor.id}::uuid)`;
}

/**
 * One keyset page statement: `SELECT … FROM "table" alias WHERE … ORDER BY … LIMIT n`. With a free-text
 * `search` (ILIKE: not leakproof, and the planner guesses matches are rare, so it prefers to read
 * and sort the whole workspace) the indexed part goes in a subquery fenced with `OFFSET 0` (the
 * search is not pushed into it) under the same alias, and the search filters its rows in the
 * subquery's order: the plan stays a walk of the sort index that stops at the LIMIT-th match.
 */
export function pageStatement(p: {
  table: string;
  alias: string;
  select: Prisma.Sql;
  /** index conditions and other leakproof filters, over `alias` */
  where: readonly Prisma.Sql[];
  /** free-text condition over `alias`, or null */
  search: Prisma.Sql | null;
  /** the keyset order over `alias` (matching an index) */
  order: Prisma.Sql;
  limit: number;
}): Prisma.Sql {
  const from = Prisma.raw(`"${p.table}" ${p.alias}`);
  const alias = Prisma.raw(p.alias);
  const where = Prisma.join([...p.where], " AND ");
  if (!p.search) return Prisma.sql`SELECT ${p.select} FROM ${from} WHERE ${where} ORDER BY ${p.order} LIMIT ${p.limit}::int`;
  // No ORDER BY outside: with one, PostgreSQL plans the subquery for full retrieval (a sort of the
  // workspace); without, the LIMIT reaches the subquery's plan and its rows come out in its order.
  // The CASE keeps the planner from guessing that matches are rare (it estimates ILIKE '%…%' as
  // almost never true, and then plans for reading everything): a CASE is estimated at one in two.
  return Prisma.sql`SELECT ${p.select}
    FROM (SELECT ${alias}.* FROM ${from} WHERE ${where} ORDER BY ${p.order} OFFSET 0) ${alias}
    WHERE CASE WHEN ${p.search} THEN true ELSE false END LIMIT ${p.limit}::int`;
}

/** The rows of a page query's result in its order (the service reads them back by id). */
export function inPageOrder<T extends { id: string }>(ids: readonly string[], rows: readonly T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
}
