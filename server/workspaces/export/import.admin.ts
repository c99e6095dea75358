import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { platformDb } from "@/server/db/platform-db";
import { AuditLogger } from "@/server/audit/audit-logger";
import { deleteStoredFile, readStoredFile, storageKeyFor, writeStoredFile } from "@/server/files/storage";
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportEntity, type ExportManifest } from "./format";
import { quoteIdent, tenantTables, type TenantTable } from "./tables";

// Import of a workspace export (export-service.ts) into an EMPTY workspace of this installation:
// the operator's "restore one tenant" (`npm run workspace:import -- <zip> --into <slug>`,
// docs/OPERATIONS.md). Order: (1) every entry of the zip is checked against the manifest (rows,
// bytes, sha256) before anything is written; (2) the target must hold nothing but what creating a
// workspace writes (its roles, members, subscription, audit and outbox rows); (3) in ONE
// transaction: those setup rows are replaced by the archive's, every table is inserted parents
// first, each file is written to storage (before the commit), counts are compared with the
// manifest, and only then it commits. Any failure rolls back and removes the files it wrote.
// Ids are kept unless another row on this instance already has them (then a new id, and every
// foreign key pointing at it follows); tenantId becomes the target's; members are matched to this
// instance's accounts by e-mail (accounts that do not exist are created without a password: they
// set one with "Forgot password").

export class ImportError extends Error {
  override name = "ImportError";
}

/** Created with the workspace: replaced by the archive's rows. */
const REPLACED = ["Membership", "RolePermission", "Role", "FeatureFlagOverride", "Subscription"] as const;
/** Rows the platform may already have written for the new workspace: kept, the archive's are added. */
const KEPT = new Set(["AuditLog", "OutboxEvent"]);
/** Tenant columns an import never overwrites (identity, lifecycle). */
const TENANT_KEEP = /^(id|slug|status|createdAt|updatedAt|suspended.*|closed.*|delete.*|deletion.*)$/;
const BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface ImportResult {
  tenantId: string;
  rows: number;
  files: number;
  perTable: Record<string, number>;
  /** ids that collided with rows already on this instance and were given new ones */
  remappedIds: number;
  /** members' accounts created on this instance (no password yet) */
  createdUsers: string[];
  /** members' accounts matched by e-mail */
  matchedUsers: string[];
}

interface Zip {
  entries: Map<string, yauzl.Entry>;
  read(name: string): Promise<Buffer>;
  stream(name: string): Promise<Readable>;
  close(): void;
}

async function openZip(file: string): Promise<Zip> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }, (err, z) =>
      err || !z ? reject(new ImportError(`The file is not a readable zip (${err?.message ?? "unknown"}).`)) : resolve(z),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (e: yauzl.Entry) => {
      entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on("end", () => resolve());
    zip.on("error", (e: Error) => reject(new ImportError(`The zip is damaged (${e.message}).`)));
    zip.readEntry();
  });
  const stream = (name: string) =>
    new Promise<Readable>((resolve, reject) => {
      const e = entries.get(name);
      if (!e) return reject(new ImportError(`The zip has no ${name} (damaged, or not a Phteah workspace export).`));
      zip.openReadStream(e, (err, s) =>
        err || !s ? reject(new ImportError(`The zip's ${name} is damaged (${err?.message}).`)) : resolve(s),
      );
    });
  const read = async (name: string) => {
    const chunks: Buffer[] = [];
    try {
      for await (const c of await stream(name)) chunks.push(c as Buffer);
    } catch (e) {
      throw e instanceof ImportError ? e : new ImportError(`The zip's ${name} is damaged (${(e as Error).message}).`);
    }
    return Buffer.concat(chunks);
  };
  return { entries, read, stream, close: () => zip.close() };
}

/** Lines of a JSONL entry, `size` at a time (constant memory). */
async function* lines(zip: Zip, name: string, size = BATCH): AsyncGenerator<string[]> {
  let rest = "";
  let batch: string[] = [];
  for await (const chunk of await zip.stream(name)) {
    const parts = (rest + (chunk as Buffer).toString("utf8")).split("\n");
    rest = parts.pop()!;
    for (const p of parts) {
      batch.push(p);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (rest) batch.push(rest);
  if (batch.length) yield batch;
}

async function verifyEntry(zip: Zip, e: ExportEntity): Promise<void> {
  const hash = createHash("sha256");
  let bytes = 0;
  let rows = 0;
  try {
    for await (const chunk of await zip.stream(e.path)) {
      const b = chunk as Buffer;
      hash.update(b);
      bytes += b.length;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) rows++;
    }
  } catch (err) {
    throw err instanceof ImportError ? err : new ImportError(`The zip's ${e.path} is damaged (${(err as Error).message}).`);
  }
  if (bytes !== e.bytes || rows !== e.rows || hash.digest("hex") !== e.sha256)
    throw new ImportError(`${e.path} does not match the manifest (rows, size or checksum): the zip is damaged.`);
}

/** Reads and checks the whole zip against its manifest; nothing is written. */
export async function verifyExport(file: string): Promise<ExportManifest> {
  const zip = await openZip(file);
  try {
    return await checkZip(zip);
  } finally {
    zip.close();
  }
}

async function checkZip(zip: Zip): Promise<ExportManifest> {
  let m: ExportManifest;
  try {
    m = JSON.parse((await zip.read("manifest.json")).toString("utf8")) as ExportManifest;
  } catch (e) {
    throw e instanceof ImportError ? e : new ImportError("The zip's manifest.json is not valid JSON: the zip is damaged.");
  }
  if (m.format !== EXPORT_FORMAT) throw new ImportError("Not a Phteah workspace export (manifest format).");
  if (m.version !== EXPORT_VERSION)
    throw new ImportError(`Export format version ${m.version} is not supported (this release reads ${EXPORT_VERSION}).`);
  if (!Array.isArray(m.entities) || !Array.isArray(m.files) || !m.users || !m.settings)
    throw new ImportError("The manifest is incomplete.");
  for (const e of [m.settings, m.users, ...m.entities]) await verifyEntry(zip, e);
  for (const f of m.files) {
    const bytes = await zip.read(`files/${f.id}`);
    if (bytes.length !== f.bytes || createHash("sha256").update(bytes).digest("hex") !== f.sha256)
      throw new ImportError(`files/${f.id} does not match the manifest: the zip is damaged.`);
  }
  return m;
}

type Row = Record<string, unknown>;

export async function importWorkspace(opts: {
  file: string;
  /** the target workspace's slug (create it first, e.g. from the console) */
  into: string;
  /** create the workspace with that address when none exists (its rows all come from the archive) */
  create?: boolean;
  log?: (line: string) => void;
}): Promise<ImportResult> {
  const log = opts.log ?? (() => undefined);
  const zip = await openZip(opts.file);
  const written: string[] = [];
  try {
    const m = await checkZip(zip);
    log(
      `archive ok: ${m.totals.rows} rows in ${m.entities.length} tables, ${m.files.length} files (from ${m.workspace.slug}, ${m.app.version})`,
    );
    const result = await platformDb.run(
      async (tx) => {
        let [target] = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM "Tenant" WHERE slug = $1`, opts.into);
        if (!target && opts.create) {
          if (!SLUG.test(opts.into))
            throw new ImportError(`"${opts.into}" is not a valid workspace address (lowercase letters, digits and dashes).`);
          const id = randomUUID();
          await tx.$executeRawUnsafe(
            `INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1::uuid, $2, $3, now())`,
            id,
            opts.into,
            m.workspace.name,
          );
          target = { id };
          log(`created the workspace ${opts.into}`);
        }
        if (!target) throw new ImportError(`No workspace with the address "${opts.into}": create it first (or pass --create).`);
        const tenantId = target.id;
        const tables = await tenantTables(tx);
        const byName = new Map(tables.map((t) => [t.name, t]));
        for (const e of m.entities)
          if (!byName.has(e.name))
            throw new ImportError(
              `This installation has no table ${e.name}: import with the release the export was taken with (or a newer one).`,
            );
        // serialise imports into the same workspace, then prove it is empty
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('workspace-import:' || $1))`, tenantId);
        const before: Record<string, number> = {};
        for (const t of tables) {
          const [{ n }] = (await tx.$queryRawUnsafe<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM ${quoteIdent(t.name)} WHERE "tenantId" = $1::uuid`,
            tenantId,
          )) as [{ n: number }];
          before[t.name] = n;
          if (n > 0 && !KEPT.has(t.name) && !(REPLACED as readonly string[]).includes(t.name))
            throw new ImportError(
              `The workspace "${opts.into}" is not empty (${t.name}: ${n} rows). Import only into a new, empty workspace.`,
            );
        }
        for (const name of REPLACED)
          if (byName.has(name)) await tx.$executeRawUnsafe(`DELETE FROM ${quoteIdent(name)} WHERE "tenantId" = $1::uuid`, tenantId);

        // members' accounts: matched by e-mail, created (without a password) when missing
        const userMap = new Map<string, string>();
        const createdUsers: string[] = [];
        const matchedUsers: string[] = [];
        for await (const batch of lines(zip, m.users.path)) {
          for (const line of batch) {
            const u = JSON.parse(line) as { id: string; email: string; name: string; locale: string | null };
            const email = u.email.toLowerCase();
            const [found] = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM "User" WHERE lower(email) = $1`, email);
            if (found) {
              userMap.set(u.id, found.id);
              matchedUsers.push(u.email);
            } else {
              const [taken] = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM "User" WHERE id = $1::uuid`, u.id);
              const id = taken ? randomUUID() : u.id;
              await tx.$executeRawUnsafe(
                `INSERT INTO "User" (id, email, name, locale, "passwordResetRequired", "updatedAt") VALUES ($1::uuid, $2, $3, $4, true, now())`,
                id,
                u.email,
                u.name,
                u.locale,
              );
              userMap.set(u.id, id);
              createdUsers.push(u.email);
            }
          }
        }
        const plans = new Map(
          (await tx.$queryRawUnsafe<{ id: string; code: string }[]>(`SELECT id::text AS id, code FROM "Plan"`)).map((p) => [p.code, p.id]),
        );
        const planCodes = new Map((m.plans ?? []).map((p) => [p.id, p.code]));
        const archived = new Set(m.files.map((f) => f.id));
        const idMaps = new Map<string, Map<string, string>>();
        const mapOf = (table: string) => {
          let x = idMaps.get(table);
          if (!x) idMaps.set(table, (x = new Map()));
          return x;
        };
        let remapped = 0;
        const remappedAll = new Map<string, string>();
        const perTable: Record<string, number> = {};
        for (const e of m.entities) {
          const t = byName.get(e.name)!;
          const simpleId = t.primaryKey.length === 1 && t.primaryKey[0] === "id" && t.columns.find((c) => c.name === "id")?.type === "uuid";
          // the export's columns: a column this release added since gets its default
          const known = new Set(t.columns.map((c) => c.name));
          const unknown = e.columns.filter((c) => !known.has(c));
          if (unknown.length)
            throw new ImportError(
              `This installation's ${t.name} has no column ${unknown.join(", ")}: import with the release the export was taken with (or a newer one).`,
            );
          const insertColumns = e.columns;
          let n = 0;
          for await (const batch of lines(zip, e.path)) {
            const rows = batch.map((l) => JSON.parse(l) as Row);
            if (simpleId) {
              const ids = rows.map((r) => r.id as string);
              const taken = await tx.$queryRawUnsafe<{ id: string }[]>(
                `SELECT id::text AS id FROM ${quoteIdent(t.name)} WHERE id = ANY($1::uuid[])`,
                ids,
              );
              for (const { id } of taken) {
                const to = randomUUID();
                mapOf(t.name).set(id, to);
                remappedAll.set(id, to);
                remapped++;
              }
            }
            const oldIds = rows.map((r) => r.id as string);
            for (const r of rows) rewrite(t, r, { tenantId, userMap, idMaps, remapped: remappedAll, plans, planCodes });
            if (t.name === "File") {
              // the bytes go to storage before the rows commit; removed again if anything fails
              for (const [i, r] of rows.entries()) {
                if (!archived.has(oldIds[i]!)) continue;
                const key = r.storageKey as string;
                await writeStoredFile(key, await zip.read(`files/${oldIds[i]}`));
                written.push(key);
              }
            }
            const cols = insertColumns.map(quoteIdent).join(", ");
            await tx.$executeRawUnsafe(
              `INSERT INTO ${quoteIdent(t.name)} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${quoteIdent(t.name)}, $1::json)`,
              JSON.stringify(rows),
            );
            n += rows.length;
          }
          perTable[t.name] = n;
        }

        // the workspace's own settings (name, language, currency, time zone, logo, ...)
        const settings = JSON.parse((await zip.read(m.settings.path)).toString("utf8")) as Row;
        const tenantCols = new Set(
          (
            await tx.$queryRawUnsafe<{ c: string }[]>(
              `SELECT column_name::text AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'Tenant'`,
            )
          ).map((x) => x.c),
        );
        if (typeof settings.logoFileId === "string")
          settings.logoFileId = idMaps.get("File")?.get(settings.logoFileId) ?? settings.logoFileId;
        const setCols = Object.keys(settings).filter((c) => tenantCols.has(c) && !TENANT_KEEP.test(c));
        if (setCols.length)
          await tx.$executeRawUnsafe(
            `UPDATE "Tenant" t SET ${setCols.map((c) => `${quoteIdent(c)} = s.${quoteIdent(c)}`).join(", ")}, "updatedAt" = now()
               FROM json_populate_record(NULL::"Tenant", $1::json) s WHERE t.id = $2::uuid`,
            JSON.stringify(settings),
            tenantId,
          );

        // counts, read back, before the commit
        for (const e of m.entities) {
          const [{ n }] = (await tx.$queryRawUnsafe<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM ${quoteIdent(e.name)} WHERE "tenantId" = $1::uuid`,
            tenantId,
          )) as [{ n: number }];
          const expected = e.rows + (KEPT.has(e.name) ? (before[e.name] ?? 0) : 0);
          if (n !== expected) throw new ImportError(`${e.name}: ${n} rows after the import, the manifest says ${expected}.`);
        }
        for (const key of written) {
          const bytes = await readStoredFile(key);
          if (!bytes) throw new ImportError(`The file ${key} could not be read back from storage.`);
        }
        await new AuditLogger({ ip: null, userAgent: "workspace:import", requestId: null }).log(tx, tenantId, {
          action: "tenant.imported",
          targetType: "tenant",
          targetId: tenantId,
          metadata: {
            from: m.workspace.slug,
            exportedAt: m.createdAt,
            appVersion: m.app.version,
            rows: m.totals.rows,
            files: written.length,
            remappedIds: remapped,
            createdUsers,
          },
        });
        return { tenantId, rows: m.totals.rows, files: written.length, perTable, remappedIds: remapped, createdUsers, matchedUsers };
      },
      { timeout: 60 * 60_000 },
    );
    return result;
  } catch (e) {
    for (const key of written) await deleteStoredFile(key).catch(() => undefined);
    if (e instanceof ImportError) throw e;
    const err = e as { code?: string; meta?: { code?: string; message?: string }; message?: string };
    const text = err.meta?.message ?? err.message ?? String(e);
    if (/duplicate key|unique/i.test(text))
      throw new ImportError(
        `A row of the export collides with data already on this installation (${text.split("\n").pop()}). Nothing was imported.`,
      );
    throw new ImportError(`The import failed and nothing was written (${text.split("\n").pop()}).`);
  } finally {
    zip.close();
  }
}

function rewrite(
  t: TenantTable,
  r: Row,
  c: {
    tenantId: string;
    userMap: Map<string, string>;
    idMaps: Map<string, Map<string, string>>;
    remapped: Map<string, string>;
    plans: Map<string, string>;
    planCodes: Map<string, string>;
  },
): void {
  const handled = new Set<string>(["tenantId"]);
  r.tenantId = c.tenantId;
  if (t.primaryKey.length === 1 && t.primaryKey[0] === "id") {
    const to = c.idMaps.get(t.name)?.get(r.id as string);
    if (to) r.id = to;
    handled.add("id");
  }
  for (const fk of t.foreignKeys) {
    fk.columns.forEach((col, i) => {
      if (col === "tenantId" || r[col] == null) return;
      const refCol = fk.refColumns[i];
      const v = r[col] as string;
      handled.add(col);
      if (fk.table === "User" && refCol === "id") {
        const to = c.userMap.get(v);
        if (!to) throw new ImportError(`${t.name}.${col} names an account that is not among the export's members.`);
        r[col] = to;
      } else if (fk.table === "Plan" && refCol === "id") {
        // plans are this instance's: matched by code when the archive's id is unknown here
        if (![...c.plans.values()].includes(v)) {
          const code = c.planCodes.get(v);
          const to = code ? c.plans.get(code) : undefined;
          if (!to) throw new ImportError(`The subscription's plan is not on this installation: create the same plan first.`);
          r[col] = to;
        }
      } else if (refCol === "id") {
        const to = c.idMaps.get(fk.table)?.get(v);
        if (to) r[col] = to;
      }
    });
  }
  // columns without a foreign key that name a member (uploadedById, actorUserId, ...) or a row
  // that was given a new id (Contract.activeUnitId, AuditLog.targetId, ...): uuids are unique
  // across tables, so a value found in a map is that row
  for (const col of t.columns) {
    const v = r[col.name];
    if (handled.has(col.name) || (col.type !== "uuid" && col.type !== "text") || typeof v !== "string" || !UUID.test(v)) continue;
    const to = c.userMap.get(v) ?? c.remapped.get(v);
    if (to) r[col.name] = to;
  }
  if (t.name === "File") r.storageKey = storageKeyFor(c.tenantId, r.id as string);
}
