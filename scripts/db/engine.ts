// Prisma's own migration engine (schema engine), run from its WebAssembly build with the
// pg driver adapter, because the native engine binary cannot be downloaded here.
// applyMigrations ≙ `prisma migrate deploy`, diffMigrationsToSchema ≙ `prisma migrate diff
// --from-migrations --to-schema --script`, createMigration ≙ `prisma migrate dev --create-only`.
// Fixes for known problems of the WASM engine + adapter-pg are described in
// docs/TOOLCHAIN.md; each one is marked `Fix:` below.

import crypto from "node:crypto";
import fs from "node:fs/promises";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import type { MigrationList, SchemaEngine as SchemaEngineType } from "@prisma/schema-engine-wasm";

export const PROJECT_ROOT = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
export const SCHEMA_PATH = path.join(PROJECT_ROOT, "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma/migrations");
const LOCKFILE = "migration_lock.toml";
const NO_FILTER = { externalTables: [], externalEnums: [] };

export interface EngineOptions {
  schemaPath?: string;
  migrationsDir?: string;
}

// ---------------------------------------------------------------------------------------
// WASM module: instantiated once per process.

type Glue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
let gluePromise: Promise<Glue> | undefined;
/** Set after an engine panic: the WASM instance is then unusable for the rest of the process. */
let crashed: Error | undefined;
type PanicRegistry = { message: string; set_message(m: string): void; get(): string };
const panicHolder = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };

function loadEngineModule(): Promise<Glue> {
  if (crashed)
    return Promise.reject(new Error(`The schema engine crashed earlier in this process (${crashed.message}); start a new process.`));
  gluePromise ??= (async () => {
    // Fix: engine panics call global PRISMA_WASM_PANIC_REGISTRY.set_message; without it
    // every panic surfaces as "Cannot read properties of undefined (reading 'set_message')".
    panicHolder.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: "",
      set_message(m: string) {
        this.message = `Schema engine panic: ${m}`;
      },
      get() {
        return this.message;
      },
    };
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Glue & Record<string, unknown>;
    const imports: Record<string, unknown> = { ...glue };
    // Fix: the engine arms 10 s timers that would keep Node alive after the work is done.
    for (const name of Object.keys(glue)) {
      if (name.startsWith("__wbg_setTimeout_")) {
        const original = glue[name] as (...args: unknown[]) => ReturnType<typeof setTimeout>;
        imports[name] = (...args: unknown[]) => {
          const timer = original(...args);
          (timer as { unref?: () => void }).unref?.();
          return timer;
        };
      }
    }
    const wasmModule = new WebAssembly.Module(readFileSync(gluePath.replace(/\.js$/, ".wasm")));
    const instance = new WebAssembly.Instance(wasmModule, { "./schema_engine_bg.js": imports as WebAssembly.ModuleImports });
    (glue as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return gluePromise;
}

// ---------------------------------------------------------------------------------------
// Driver adapter: adapter-pg with the fixes the schema engine needs.

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Queryable = {
  performIO(q: unknown): Promise<pg.QueryResult>;
  queryRaw(q: unknown): Promise<{ columnTypes: number[]; rows: unknown[] }>;
};

const PG_CHAR_OID = 18; // PostgreSQL's internal one-byte "char" (pg_class.relkind, pg_constraint.contype, ...)
const PG_TEXT_OID = 25;
const COLUMN_TYPE_CHARACTER = 6; // ColumnTypeEnum.Character of @prisma/driver-adapter-utils

/** @prisma/driver-adapter-utils is a dependency of @prisma/adapter-pg: resolve it from there. */
function bindMigrationAwareSqlAdapterFactory(factory: unknown): unknown {
  const requireFromAdapter = createRequire(createRequire(import.meta.url).resolve("@prisma/adapter-pg"));
  const utils = requireFromAdapter("@prisma/driver-adapter-utils") as { bindMigrationAwareSqlAdapterFactory(f: unknown): unknown };
  return utils.bindMigrationAwareSqlAdapterFactory(factory);
}

/**
 * Fix: adapter-pg throws "Unsupported column type char" for "char" columns, which every
 * introspection query returns. Report them as the adapter's Character type instead.
 */
function patchCharColumns(q: Queryable): void {
  const charColumns = new WeakMap<object, number[]>();
  const performIO = q.performIO.bind(q);
  const queryRaw = q.queryRaw.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    const indexes: number[] = [];
    result.fields.forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indexes.push(i);
      }
    });
    if (indexes.length > 0) charColumns.set(result.rows, indexes);
    return result;
  };
  q.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = COLUMN_TYPE_CHARACTER;
    return result;
  };
}

/**
 * adapter-pg's executeScript splits the script on every ";" (breaking dollar-quoted
 * function bodies and comments). Send migration scripts whole, as PostgreSQL's simple
 * query protocol allows and as Prisma's native engine does.
 */
function patchExecuteScript(adapter: PgAdapter, pool: pg.Pool): void {
  const a = adapter as unknown as { executeScript(script: string): Promise<void>; onError(e: unknown): never };
  a.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      a.onError(error);
    }
  };
}

function patchAdapter(adapter: PgAdapter, pool: pg.Pool): PgAdapter {
  patchCharColumns(adapter as unknown as Queryable);
  patchExecuteScript(adapter, pool);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => {
    const tx = await startTransaction(...args);
    patchCharColumns(tx as unknown as Queryable);
    return tx;
  };
  return adapter;
}

class Connections {
  private pools = new Set<pg.Pool>();
  private shadowDbs = new Set<string>();

  constructor(private readonly url: string) {}

  pool(connectionString: string): pg.Pool {
    // Fix: idle pg sockets keep Node alive; allowExitOnIdle + explicit close in close().
    const pool = new pg.Pool({ connectionString, max: 4, allowExitOnIdle: true, idleTimeoutMillis: 1_000 });
    pool.on("error", () => undefined);
    this.pools.add(pool);
    return pool;
  }

  async endPool(pool: pg.Pool): Promise<void> {
    if (!this.pools.delete(pool)) return;
    await pool.end().catch(() => undefined);
  }

  async adapter(connectionString: string): Promise<PgAdapter> {
    const pool = this.pool(connectionString);
    return patchAdapter(await new PrismaPg(pool).connect(), pool);
  }

  /**
   * Fix: PrismaPg.connectToShadowDb() reuses the main database (when built from a URL) or
   * drops the shadow DB before closing its pool. Create a temp database, and drop it
   * WITH (FORCE) only after its pool is closed.
   */
  async shadowAdapter(): Promise<PgAdapter> {
    const name = `prisma_shadow_${crypto.randomBytes(8).toString("hex")}`;
    await this.admin(`CREATE DATABASE "${name}"`);
    this.shadowDbs.add(name);
    const shadowUrl = new URL(this.url);
    shadowUrl.pathname = `/${name}`;
    const pool = this.pool(shadowUrl.toString());
    const adapter = patchAdapter(await new PrismaPg(pool).connect(), pool);
    adapter.dispose = async () => {
      await this.endPool(pool);
      await this.dropShadow(name);
    };
    return adapter;
  }

  private async dropShadow(name: string): Promise<void> {
    if (!this.shadowDbs.delete(name)) return;
    await this.admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }

  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("error", () => undefined);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools].map((p) => this.endPool(p)));
    for (const name of [...this.shadowDbs]) await this.dropShadow(name).catch(() => undefined);
  }
}

function adapterFactory(connections: Connections, url: string) {
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    connect: () => connections.adapter(url),
    connectToShadowDb: () => connections.shadowAdapter(),
  };
}

// ---------------------------------------------------------------------------------------

function engineError(error: unknown): Error {
  if (error instanceof WebAssembly.RuntimeError) {
    const panic = panicHolder.PRISMA_WASM_PANIC_REGISTRY?.get();
    crashed = new Error(panic || `Schema engine crashed: ${error.message}`, { cause: error });
    return crashed;
  }
  if (error instanceof Error) return error;
  if (typeof error === "object" && error !== null) {
    const e = error as { message?: string; error_code?: string; errorCode?: string; meta?: unknown };
    const code = e.error_code ?? e.errorCode;
    return new Error(`${code ? `${code}: ` : ""}${e.message ?? JSON.stringify(error)}`);
  }
  return new Error(String(error));
}

/** Runs `fn` with a fresh schema engine bound to `url`, and releases every connection afterwards. */
async function withEngine<T>(
  url: string,
  opts: EngineOptions,
  fn: (engine: SchemaEngineType, ctx: { schema: { path: string; content: string } }) => Promise<T>,
): Promise<T> {
  const glue = await loadEngineModule();
  const schemaPath = opts.schemaPath ?? SCHEMA_PATH;
  const schema = { path: schemaPath, content: await fs.readFile(schemaPath, "utf8") };
  const connections = new Connections(url);
  const log = (line: string) => {
    if (process.env.DEBUG?.includes("schema-engine")) console.error(`[schema-engine] ${line}`);
  };
  let engine: SchemaEngineType | undefined;
  try {
    engine = await glue.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      log,
      bindMigrationAwareSqlAdapterFactory(adapterFactory(connections, url)) as object,
    );
    return await fn(engine, { schema });
  } catch (error) {
    throw engineError(error);
  } finally {
    try {
      engine?.free();
    } catch {
      // after a panic the engine object is still "borrowed" and cannot be freed
    }
    await connections.close();
  }
}

/** The migrations folder in the shape the engine expects (same reading as Prisma's CLI). */
export async function readMigrationList(migrationsDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const lockContent = await fs.readFile(path.join(migrationsDir, LOCKFILE), "utf8").catch(() => null);
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => ({
        path: e.name,
        migrationFile: {
          path: "migration.sql",
          content: await fs
            .readFile(path.join(migrationsDir, e.name, "migration.sql"), "utf8")
            .then((value) => ({ tag: "ok" as const, value }))
            .catch((err: Error) => ({ tag: "error" as const, value: err.message })),
        },
      })),
  );
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies pending migrations like `prisma migrate deploy`; returns the names just applied. */
export async function applyMigrations(migrationUrl: string, opts: EngineOptions = {}): Promise<string[]> {
  const migrationsList = await readMigrationList(opts.migrationsDir);
  return withEngine(migrationUrl, opts, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  });
}

/**
 * `prisma migrate resolve`: after a failed migration, record it as rolled back (you undid
 * its partial effects; it will be retried) or as applied (you finished it by hand).
 */
export async function resolveMigration(
  migrationUrl: string,
  migrationName: string,
  as: "applied" | "rolled-back",
  opts: EngineOptions = {},
): Promise<void> {
  const migrationsList = await readMigrationList(opts.migrationsDir);
  await withEngine(migrationUrl, opts, async (engine) => {
    if (as === "applied") await engine.markMigrationApplied({ migrationName, migrationsList });
    else await engine.markMigrationRolledBack({ migrationName });
  });
}

/** True when a diff script contains no SQL statement (only comments / whitespace). */
export function isEmptyDiff(sql: string): boolean {
  return sql
    .split("\n")
    .map((l) => l.trim())
    .every((l) => l === "" || l.startsWith("--"));
}

/**
 * SQL that takes a database built from the migrations folder to schema.prisma (replayed on
 * a temporary shadow database). Empty or comment-only when both agree.
 */
export async function diffMigrationsToSchema(migrationUrl: string, opts: EngineOptions = {}): Promise<string> {
  const migrationsList = await readMigrationList(opts.migrationsDir);
  return withEngine(migrationUrl, opts, async (engine, { schema }) => {
    const result = await engine.diff({
      // The engine cannot read a migrations folder without migration_lock.toml (no migrations yet).
      from: migrationsList.migrationDirectories.length > 0 ? { tag: "migrations", ...migrationsList } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return result.stdout ?? "";
  });
}

function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
}

export function slugifyMigrationName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!slug) throw new Error(`Invalid migration name "${name}": use letters, digits and underscores.`);
  return slug;
}

export class NothingToMigrateError extends Error {
  constructor() {
    super("schema.prisma and the migrations are already in sync: no migration to create.");
    this.name = "NothingToMigrateError";
  }
}

/**
 * Writes prisma/migrations/<yyyymmddhhmmss>_<name>/migration.sql with the SQL that brings
 * the migrations up to schema.prisma, and migration_lock.toml, in Prisma's own format.
 * Throws NothingToMigrateError when there is nothing to change.
 */
export async function createMigration(
  migrationUrl: string,
  name: string,
  opts: EngineOptions = {},
): Promise<{ name: string; path: string; sql: string }> {
  const slug = slugifyMigrationName(name);
  const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const sql = await diffMigrationsToSchema(migrationUrl, opts);
  if (isEmptyDiff(sql)) throw new NothingToMigrateError();

  // UTC timestamp like Prisma's; never earlier than (or equal to) the newest existing migration.
  const existing = (await readMigrationList(migrationsDir)).migrationDirectories
    .map((d) => d.path.slice(0, 14))
    .filter((t) => /^\d{14}$/.test(t));
  let ts = timestamp(new Date());
  const latest = existing.at(-1);
  if (latest && ts <= latest) {
    const d = latest;
    const next = new Date(
      Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(8, 10), +d.slice(10, 12), +d.slice(12, 14) + 1),
    );
    ts = timestamp(next);
  }
  const dirName = `${ts}_${slug}`;
  const dir = path.join(migrationsDir, dirName);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, "migration.sql");
  await fs.writeFile(file, sql, "utf8");
  await fs.writeFile(
    path.join(migrationsDir, LOCKFILE),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n`,
    "utf8",
  );
  return { name: dirName, path: file, sql };
}
