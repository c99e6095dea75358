// `npm run backup`: one consistent snapshot of every table of the app's schema (COPY inside one
// READ ONLY, REPEATABLE READ transaction, so a payment and its invoice never disagree) plus every
// uploaded file, with a manifest of row counts and sha256 checksums (archive.ts). COPY works
// against any PostgreSQL 15–18 server, where a version-matched pg_dump may not exist.
import { createWriteStream, existsSync, promises as fs, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import * as tar from "tar";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  BackupError,
  Digest,
  sealFile,
  type BackupManifest,
  type FileEntry,
  type TableEntry,
} from "./archive";
import type { FileStore } from "../../files/file-store";
import { localFileStore } from "../../files/storage-local";

export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  forceRls: boolean;
  /** tables this one references by foreign key (not itself) */
  references: string[];
  /** identity/serial sequences owned by a column: [sequence, column] */
  sequences: [string, string][];
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The app's tables (current schema, without Prisma's migration log), parents before children. */
export async function describeTables(c: pg.ClientBase): Promise<TableInfo[]> {
  const { rows } = await c.query<{
    name: string;
    columns: string[];
    pk: string[] | null;
    force: boolean;
    refs: string[] | null;
    seqs: string[] | null;
    seqcols: string[] | null;
  }>(
    `SELECT c.relname AS name, c.relforcerowsecurity AS force,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
              CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
            (SELECT array_agg(DISTINCT f.confrelid::regclass::text) FROM pg_constraint f
              WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid) AS refs,
            (SELECT array_agg(s.relname::text ORDER BY s.relname) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              WHERE d.refobjid = c.oid AND d.deptype IN ('a', 'i')) AS seqs,
            (SELECT array_agg(a.attname::text ORDER BY s.relname) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
              WHERE d.refobjid = c.oid AND d.deptype IN ('a', 'i')) AS seqcols
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
     ORDER BY c.relname`,
  );
  const unquote = (r: string) =>
    r
      .replace(/^.*\./, "")
      .replace(/^"(.*)"$/, "$1")
      .replaceAll('""', '"');
  const tables = rows.map<TableInfo>((r) => {
    if (!r.pk?.length) throw new BackupError(`Table ${r.name} has no primary key: its rows cannot be checked one by one.`);
    return {
      name: r.name,
      columns: r.columns,
      primaryKey: r.pk,
      forceRls: r.force,
      references: (r.refs ?? []).map(unquote),
      sequences: (r.seqs ?? []).map((s, i) => [s, r.seqcols![i]!] as [string, string]),
    };
  });
  return topological(tables);
}

function topological(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: TableInfo[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (t: TableInfo, trail: string[]) => {
    const s = state.get(t.name);
    if (s === "done") return;
    if (s === "visiting") throw new BackupError(`Foreign keys form a cycle (${[...trail, t.name].join(" → ")}): restore order undefined.`);
    state.set(t.name, "visiting");
    for (const r of t.references) {
      const parent = byName.get(r);
      if (parent) visit(parent, [...trail, t.name]);
    }
    state.set(t.name, "done");
    out.push(t);
  };
  for (const t of tables) visit(t, []);
  return out;
}

/** COPY of a table in primary-key order: the same bytes for the same rows on any server. */
export function copyOutSql(t: Pick<TableInfo, "name" | "columns" | "primaryKey">): string {
  const cols = t.columns.map(quoteIdent).join(", ");
  return `COPY (SELECT ${cols} FROM ${quoteIdent(t.name)} ORDER BY ${t.primaryKey.map(quoteIdent).join(", ")}) TO STDOUT`;
}

/** Streams one table into `file`; returns its entry for the manifest. */
export async function dumpTable(c: pg.ClientBase, t: TableInfo, sink: NodeJS.WritableStream): Promise<TableEntry> {
  const digest = new Digest(true);
  await pipeline(c.query(copyTo(copyOutSql(t))), digest, sink);
  return { name: t.name, columns: t.columns, primaryKey: t.primaryKey, rows: digest.newlines, bytes: digest.bytes, sha256: digest.hex() };
}

function appInfo(root: string): BackupManifest["app"] {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { name: string; version: string };
  let commit: string | null = process.env.APP_COMMIT ?? null;
  if (!commit && existsSync(path.join(root, ".git"))) {
    try {
      commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim();
    } catch {
      commit = null;
    }
  }
  return { name: pkg.name, version: pkg.version, commit };
}

export interface BackupOptions {
  /** the owner's URL (reads every row: app.platform is set for the snapshot) */
  databaseUrl: string;
  /** FILE_STORAGE_DIR (the local driver's directory) */
  fileDir: string;
  /** the configured file store (server/files/storage.ts fileStore(): disk or S3 bucket); default: the local directory fileDir */
  fileStore?: FileStore;
  /** the archive to write; written to `<out>.partial` and renamed when complete */
  out: string;
  /** BACKUP_ENCRYPTION_KEY passphrase, or null */
  passphrase: string | null;
  projectRoot: string;
  log?: (line: string) => void;
}

export interface BackupResult {
  manifest: BackupManifest;
  archiveBytes: number;
  ms: number;
}

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), "phteah-backup-"));
  const partial = `${opts.out}.partial`;
  const c = new pg.Client({ connectionString: opts.databaseUrl });
  await c.connect();
  try {
    await fs.mkdir(path.join(staging, "db"));
    await fs.mkdir(path.join(staging, "files"));
    // one snapshot for every table; app.platform lets the owner read every workspace under forced RLS
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await c.query("SELECT set_config('app.platform', 'on', true)");
    const { rows: ver } = await c.query<{ v: string }>("SHOW server_version");
    const { rows: migs } = await c.query<{ name: string; checksum: string }>(
      `SELECT migration_name AS name, checksum FROM _prisma_migrations
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at, migration_name`,
    );
    const tables = await describeTables(c);
    const entries: TableEntry[] = [];
    for (const t of tables) {
      const e = await dumpTable(c, t, createWriteStream(path.join(staging, "db", `${t.name}.copy`)));
      entries.push(e);
      log(`  ${t.name}: ${e.rows.toLocaleString("en")} rows`);
    }
    await c.query("COMMIT");

    // files: after the snapshot, so every file a row names is there (files only ever get added before rows point at them)
    // (from the disk or the bucket alike: listed page by page, each streamed through its checksum)
    const store = opts.fileStore ?? localFileStore(opts.fileDir);
    const files: FileEntry[] = [];
    for await (const { key } of store.list()) {
      const stored = await store.open(key);
      if (!stored) continue; // removed since it was listed (the unused-upload sweep): no row names it any more
      const target = path.join(staging, "files", ...key.split("/"));
      await fs.mkdir(path.dirname(target), { recursive: true });
      const digest = new Digest();
      await pipeline(Readable.fromWeb(stored.body as import("node:stream/web").ReadableStream), digest, createWriteStream(target));
      files.push({ path: key, bytes: digest.bytes, sha256: digest.hex() });
    }
    log(`  files: ${files.length.toLocaleString("en")}`);

    const manifest: BackupManifest = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      createdAt: new Date().toISOString(),
      app: appInfo(opts.projectRoot),
      server: { version: ver[0]!.v },
      migrations: migs,
      tables: entries,
      files,
      totals: {
        tables: entries.length,
        rows: entries.reduce((n, e) => n + e.rows, 0),
        tableBytes: entries.reduce((n, e) => n + e.bytes, 0),
        files: files.length,
        fileBytes: files.reduce((n, f) => n + f.bytes, 0),
      },
      encrypted: opts.passphrase !== null,
    };
    await fs.writeFile(path.join(staging, "manifest.json"), JSON.stringify(manifest, null, 2));
    await fs.mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
    const plain = opts.passphrase ? path.join(staging, "archive.tar.gz") : partial;
    await tar.create({ gzip: { level: 6 }, cwd: staging, file: plain, portable: true }, ["manifest.json", "db", "files"]);
    if (opts.passphrase) await sealFile(plain, partial, opts.passphrase);
    await fs.rename(partial, opts.out);
    const { size } = await fs.stat(opts.out);
    return { manifest, archiveBytes: size, ms: Date.now() - t0 };
  } catch (e) {
    await c.query("ROLLBACK").catch(() => undefined);
    await fs.rm(partial, { force: true });
    throw e;
  } finally {
    await c.end().catch(() => undefined);
    // a failed extraction may still be closing files: retry, and never hide the first error
    await fs.rm(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => undefined);
  }
}
