// `npm run restore -- <archive>`: checks the whole archive against its manifest before touching
// anything, applies exactly the migrations the archive was taken at to an EMPTY database, grants
// the app role as `db:migrate` does, loads every table in one transaction (foreign-key order,
// forced RLS lifted for the owner only inside that transaction), reads every table back and
// compares rows and checksums with the manifest, puts the files back and checks them. Any failure
// leaves the database without tables and the file store (directory or bucket) as it was.
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import * as tar from "tar";
import { BackupError, Digest, drain, isSealed, parseManifest, sha256File, unsealFile, type BackupManifest } from "./archive";
import { copyOutSql, describeTables, quoteIdent } from "./backup";
import { isSafeKey, type FileStore } from "../../files/file-store";
import { localFileStore } from "../../files/storage-local";

export interface RestoreOptions {
  /** the owner's URL: creates the tables (migrations) and loads them */
  databaseUrl: string;
  /** the application role to grant (null when the app connects as the owner) */
  appRole: string | null;
  /** FILE_STORAGE_DIR (the local driver's directory) */
  fileDir: string;
  /** the configured file store (server/files/storage.ts fileStore(): disk or S3 bucket); default: the local directory fileDir */
  fileStore?: FileStore;
  archive: string;
  passphrase: string | null;
  /** drop every object of the target schema and empty the file store (FILE_STORAGE_DIR or the S3 bucket) first (a non-empty target is refused otherwise) */
  replace: boolean;
  /** the project's prisma/migrations */
  migrationsDir: string;
  /** applies the migrations of a directory (scripts/db/engine.ts applyMigrations) */
  applyMigrations: (databaseUrl: string, migrationsDir: string) => Promise<string[]>;
  /** grants the app role (scripts/db/grants.ts grantAppRole) */
  grantAppRole: (databaseUrl: string, role: string) => Promise<void>;
  log?: (line: string) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  ms: number;
}

const sha256Text = async (file: string) => (await sha256File(file)).sha256;

/** Unpacks and checks the archive into `staging`; throws BackupError on any damage. */
export async function openArchive(archive: string, passphrase: string | null, staging: string): Promise<BackupManifest> {
  try {
    await fs.access(archive);
  } catch {
    throw new BackupError(`No archive at ${archive}.`);
  }
  let tarball = archive;
  if (await isSealed(archive)) {
    tarball = path.join(staging, "archive.tar.gz");
    await unsealFile(archive, tarball, passphrase);
  }
  const out = path.join(staging, "x");
  await fs.mkdir(out);
  try {
    await tar.extract({
      file: tarball,
      cwd: out,
      strict: true,
      filter: (p, entry) => {
        const type = "type" in entry ? entry.type : null;
        return (type === "File" || type === "Directory") && /^(manifest\.json|db\/|files\/|db$|files$)/.test(p.replace(/^\.\//, ""));
      },
    });
  } catch (e) {
    throw new BackupError(`The archive is damaged or truncated (${(e as Error).message}).`);
  }
  let text: string;
  try {
    text = await fs.readFile(path.join(out, "manifest.json"), "utf8");
  } catch {
    throw new BackupError("The archive has no manifest.json (damaged, truncated, or not a Phteah backup).");
  }
  const manifest = parseManifest(text);
  for (const t of manifest.tables) {
    const file = path.join(out, "db", `${t.name}.copy`);
    const d = new Digest(true);
    try {
      await pipeline(createReadStream(file), d, drain);
    } catch {
      throw new BackupError(`The archive lacks the data of table ${t.name}.`);
    }
    if (d.bytes !== t.bytes || d.newlines !== t.rows || d.hex() !== t.sha256)
      throw new BackupError(
        `Table ${t.name} does not match the manifest (${d.newlines} rows, expected ${t.rows}): the archive is damaged.`,
      );
  }
  for (const f of manifest.files) {
    const file = path.join(out, "files", ...f.path.split("/"));
    if (f.path.split("/").some((s) => s === ".." || s === "") || path.isAbsolute(f.path))
      throw new BackupError(`The manifest names an unsafe file path: ${f.path}`);
    let got: { sha256: string; bytes: number };
    try {
      got = await sha256File(file);
    } catch {
      throw new BackupError(`The archive lacks the file ${f.path}.`);
    }
    if (got.sha256 !== f.sha256 || got.bytes !== f.bytes)
      throw new BackupError(`The file ${f.path} does not match the manifest: the archive is damaged.`);
  }
  return manifest;
}

async function schemaObjects(c: pg.ClientBase): Promise<number> {
  const { rows } = await c.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
  );
  return Number(rows[0]!.n);
}

/** Drops every object of the current schema (the owner's own schema) and re-creates it empty. */
async function wipeSchema(c: pg.ClientBase): Promise<void> {
  const { rows } = await c.query<{ s: string }>("SELECT current_schema() AS s");
  const schema = quoteIdent(rows[0]!.s);
  await c.query(`DROP SCHEMA ${schema} CASCADE`);
  await c.query(`CREATE SCHEMA ${schema}`);
}

/** The archive's migrations, checked against the project's (same names, same checksums), in a directory of their own. */
async function migrationsOfArchive(manifest: BackupManifest, migrationsDir: string, staging: string): Promise<string> {
  const dir = path.join(staging, "migrations");
  await fs.mkdir(dir);
  await fs.copyFile(path.join(migrationsDir, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
  for (const m of manifest.migrations) {
    const sql = path.join(migrationsDir, m.name, "migration.sql");
    let sum: string;
    try {
      sum = await sha256Text(sql);
    } catch {
      throw new BackupError(
        `The archive was taken at migration ${m.name}, which this release does not have: restore it with the release that wrote it.`,
      );
    }
    if (sum !== m.checksum)
      throw new BackupError(
        `Migration ${m.name} differs from the one the archive was taken at (checksum): restore with the release that wrote it.`,
      );
    await fs.mkdir(path.join(dir, m.name));
    await fs.copyFile(sql, path.join(dir, m.name, "migration.sql"));
  }
  return dir;
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), "phteah-restore-"));
  const c = new pg.Client({ connectionString: opts.databaseUrl });
  c.on("error", () => undefined);
  const store = opts.fileStore ?? localFileStore(opts.fileDir);
  const placed: string[] = [];
  let touched = false;
  try {
    const manifest = await openArchive(opts.archive, opts.passphrase, staging);
    log(
      `archive ok: ${manifest.totals.rows.toLocaleString("en")} rows in ${manifest.totals.tables} tables, ${manifest.totals.files} files (taken ${manifest.createdAt})`,
    );
    const migrations = await migrationsOfArchive(manifest, opts.migrationsDir, staging);

    await c.connect();
    if ((await schemaObjects(c)) > 0) {
      if (!opts.replace)
        throw new BackupError("The target database is not empty: restore into an empty database, or pass --replace to drop what is there.");
      await wipeSchema(c);
    }
    if (!(await store.isEmpty())) {
      if (!opts.replace)
        throw new BackupError(
          `${store.label} is not empty: use an empty ${store.driver === "s3" ? "bucket" : "directory"}, or pass --replace.`,
        );
      await store.clear();
    }

    touched = true;
    const applied = await opts.applyMigrations(opts.databaseUrl, migrations);
    log(`applied ${applied.length} migrations`);
    if (opts.appRole) await opts.grantAppRole(opts.databaseUrl, opts.appRole);

    // files first (checked after writing), so a database that says "restored" has its files
    // (into the disk or the bucket alike, each read back and checked)
    for (const f of manifest.files) {
      if (!isSafeKey(f.path)) throw new BackupError(`The manifest names a file that is not a storage key: ${f.path}`);
      const bytes = await fs.readFile(path.join(staging, "x", "files", ...f.path.split("/")));
      placed.push(f.path);
      await store.put(f.path, bytes);
      const back = await store.get(f.path);
      if (!back || createHash("sha256").update(back).digest("hex") !== f.sha256)
        throw new BackupError(`The file ${f.path} was not written intact.`);
    }

    await c.query("BEGIN");
    const tables = await describeTables(c);
    const inArchive = new Map(manifest.tables.map((t) => [t.name, t]));
    for (const t of tables) {
      const e = inArchive.get(t.name);
      if (!e) throw new BackupError(`Table ${t.name} exists after the migrations but is not in the archive.`);
      const missing = e.columns.filter((col) => !t.columns.includes(col));
      if (missing.length) throw new BackupError(`Table ${t.name} lacks column(s) ${missing.join(", ")} after the migrations.`);
    }
    if (tables.length !== manifest.tables.length)
      throw new BackupError(`The archive has ${manifest.tables.length} tables, the migrations made ${tables.length}.`);
    for (const t of tables) {
      const e = inArchive.get(t.name)!;
      if (t.forceRls) await c.query(`ALTER TABLE ${quoteIdent(t.name)} NO FORCE ROW LEVEL SECURITY`);
      await pipeline(
        createReadStream(path.join(staging, "x", "db", `${t.name}.copy`)),
        c.query(copyFrom(`COPY ${quoteIdent(t.name)} (${e.columns.map(quoteIdent).join(", ")}) FROM STDIN`)),
      );
      for (const [seq, col] of t.sequences) {
        await c.query(
          `SELECT setval($1::regclass, COALESCE((SELECT max(${quoteIdent(col)}) FROM ${quoteIdent(t.name)}), 1), (SELECT count(*) > 0 FROM ${quoteIdent(t.name)}))`,
          [quoteIdent(seq)],
        );
      }
    }
    // read everything back: same rows, same bytes
    for (const t of tables) {
      const e = inArchive.get(t.name)!;
      const d = new Digest(true);
      await pipeline(c.query(copyTo(copyOutSql({ name: t.name, columns: e.columns, primaryKey: e.primaryKey }))), d, drain);
      if (d.newlines !== e.rows || d.hex() !== e.sha256)
        throw new BackupError(
          `Table ${t.name} reads back ${d.newlines} rows, expected ${e.rows} (checksum mismatch): nothing was restored.`,
        );
      if (t.forceRls) await c.query(`ALTER TABLE ${quoteIdent(t.name)} FORCE ROW LEVEL SECURITY`);
    }
    await c.query("COMMIT");
    log(`verified ${manifest.totals.rows.toLocaleString("en")} rows and ${manifest.totals.files} files`);
    return { manifest, ms: Date.now() - t0 };
  } catch (e) {
    if (touched) {
      await c.query("ROLLBACK").catch(() => undefined);
      await wipeSchema(c).catch(() => undefined);
      for (const key of placed) await store.delete(key).catch(() => undefined);
    }
    throw e;
  } finally {
    await c.end().catch(() => undefined);
    // a failed extraction may still be closing files: retry, and never hide the first error
    await fs.rm(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => undefined);
  }
}
