import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { GLOBAL_MODELS_WITH_TENANT_ID } from "@/server/db/tenant-db";

// The tables that hold a workspace's rows, found in the catalog (every table of the app's schema
// with a "tenantId" column), so a table added tomorrow is exported and imported without a list to
// update. UserSession carries a tenantId but is a sign-in record of the platform, not the workspace's data.

export interface TenantTable {
  name: string;
  columns: { name: string; type: string }[];
  primaryKey: string[];
  /** foreign keys: local columns → referenced table and its columns */
  foreignKeys: { columns: string[]; table: string; refColumns: string[] }[];
}

const TYPE = /^[a-z0-9 _(),[\]"]+$/i;

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export async function tenantTables(tx: DbTx): Promise<TenantTable[]> {
  const rows = await tx.$queryRawUnsafe<
    { name: string; columns: { name: string; type: string }[]; pk: string[] | null; fks: TenantTable["foreignKeys"] | null }[]
  >(
    `SELECT c.relname::text AS name,
            (SELECT json_agg(json_build_object('name', a.attname::text, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
               FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
            (SELECT json_agg(json_build_object(
                      'columns', (SELECT json_agg(a.attname::text ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY AS k(attnum, ord)
                                   JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum),
                      'table', r.relname::text,
                      'refColumns', (SELECT json_agg(a.attname::text ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY AS k(attnum, ord)
                                   JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum)))
               FROM pg_constraint f JOIN pg_class r ON r.oid = f.confrelid
              WHERE f.conrelid = c.oid AND f.contype = 'f') AS fks
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenantId' AND NOT t.attisdropped)
      ORDER BY c.relname`,
  );
  const tables = rows
    .filter((r) => !GLOBAL_MODELS_WITH_TENANT_ID.has(r.name))
    .map<TenantTable>((r) => {
      if (!r.pk?.length) throw new Error(`table ${r.name} has no primary key: it cannot be exported in keyset order`);
      for (const c of r.columns) if (!TYPE.test(c.type)) throw new Error(`unexpected column type ${c.type}`);
      return { name: r.name, columns: r.columns, primaryKey: r.pk, foreignKeys: r.fks ?? [] };
    });
  return parentsFirst(tables);
}

/** Parents before children (self-references aside): the order an import can insert them in. */
function parentsFirst(tables: TenantTable[]): TenantTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: TenantTable[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (t: TenantTable) => {
    if (state.get(t.name) === "done") return;
    if (state.get(t.name) === "visiting") throw new Error(`foreign keys form a cycle through ${t.name}`);
    state.set(t.name, "visiting");
    for (const fk of t.foreignKeys) {
      const parent = fk.table !== t.name ? byName.get(fk.table) : undefined;
      if (parent) visit(parent);
    }
    state.set(t.name, "done");
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

/** Type of a column, for casting keyset parameters (never columns). */
export function columnType(t: TenantTable, column: string): string {
  const c = t.columns.find((x) => x.name === column);
  if (!c) throw new Error(`${t.name} has no column ${column}`);
  return c.type;
}
