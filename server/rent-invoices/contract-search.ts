import "server-only";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";

// Free-text search of the invoices and payments lists, step one: which contracts the text names.
// Renters (Latin or Khmer name) and units (code) are small tables, matched here with ILIKE; the
// invoices and payments are then read by contract id on their indexes. A substring match on the
// big tables themselves could never be an index condition under row-level security (LIKE/ILIKE are
// not leakproof), so it would read the whole workspace: docs/ARCHITECTURE.md, "Lists: keyset pages on indexes".

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Contracts found by a search at most: more means the text is common, and the semi-join form is used instead. */
const MAX_SEARCH_CONTRACTS = 200;

/** The contracts matched by the renter (Latin or Khmer name) or the unit code: `contracts` for the query, or "many" past the bound. */
export type SearchContracts = string[] | "many";

/**
 * Free-text search, step one: the renters and units of the workspace (small tables) matched with
 * ILIKE, never the invoices (a substring match is not leakproof, so it could not be an index
 * condition on them under row-level security).
 */
export async function searchContractIds(tx: DbTx, tenantId: string, search: string): Promise<SearchContracts> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>(
    Prisma.sql`SELECT c.id::text AS id FROM "Contract" c WHERE ${contractSearchCondition(tenantId, search)} LIMIT ${MAX_SEARCH_CONTRACTS + 1}::int`,
  );
  return rows.length > MAX_SEARCH_CONTRACTS ? "many" : rows.map((r) => r.id);
}

export function contractSearchCondition(tenantId: string, search: string): Prisma.Sql {
  const p = `%${escapeLike(search)}%`;
  return Prisma.sql`c."tenantId" = ${tenantId}::uuid AND (
      EXISTS (SELECT 1 FROM "Renter" r WHERE r."tenantId" = c."tenantId" AND r.id = c."renterId" AND (r."nameLatin" ILIKE ${p} OR r."nameKm" LIKE ${p}))
      OR EXISTS (SELECT 1 FROM "Unit" u WHERE u."tenantId" = c."tenantId" AND u.id = c."unitId" AND u.code ILIKE ${p}))`;
}
