// `npm run test:pg15`: the integration tests against Debian's PostgreSQL 15 server (the oldest
// version the app supports) instead of the embedded 18. Starts a throwaway PG15 cluster (initdb +
// pg_ctl on a temp dir and a free port, as OS user `postgres` when run as root, which PostgreSQL
// refuses), runs Vitest with TEST_DATABASE_URL set to its superuser URL (tests/setup/global-db.ts),
// then stops and deletes the cluster.
//
//   npm run test:pg15                       # the migration, RLS and scheduler tests (about a minute)
//   npm run test:pg15 -- --all              # the whole integration suite
//   npm run test:pg15 -- tests/integration/rls.test.ts ...   # these files
//
// PG_BIN (default /usr/lib/postgresql/15/bin) picks another server version (16, 17, 18).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort } from "./embedded";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
/** The tests a migration change must pass on the oldest server: migrations = schema, RLS, enum CHECKs, tenant binding, leases. */
const MIGRATION_TESTS = [
  "tests/integration/db-tooling.test.ts",
  "tests/integration/rls.test.ts",
  "tests/integration/enum-columns.test.ts",
  "tests/integration/tenant-db.test.ts",
  "tests/integration/scheduler.test.ts",
];

const root = path.resolve(import.meta.dirname, "../..");
const asRoot = process.getuid?.() === 0;

function pgCommand(bin: string, args: string[]): string[] {
  const exe = path.join(PG_BIN, bin);
  return asRoot ? ["runuser", "-u", "postgres", "--", exe, ...args] : [exe, ...args];
}

function run(bin: string, args: string[]): void {
  const [cmd, ...rest] = pgCommand(bin, args);
  const r = spawnSync(cmd!, rest, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${bin} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

async function main(): Promise<number> {
  if (!existsSync(path.join(PG_BIN, "initdb")))
    throw new Error(`No PostgreSQL server in ${PG_BIN}. On Debian: apt-get install postgresql-15 (or set PG_BIN).`);
  const args = process.argv.slice(2);
  const files = args.includes("--all") ? [] : args.length > 0 ? args : MIGRATION_TESTS;

  const dir = mkdtempSync(path.join(tmpdir(), "phteah-pg15-"));
  const data = path.join(dir, "data");
  const password = randomBytes(18).toString("base64url");
  const pwfile = path.join(dir, "pw");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    chownSync(dir, Number(ids.stdout), Number(gid.stdout));
    chownSync(pwfile, Number(ids.stdout), Number(gid.stdout));
  }
  const port = await findFreePort();
  let started = false;
  try {
    const t0 = Date.now();
    run("initdb", ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--locale=C.UTF-8"]);
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      path.join(dir, "server.log"),
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`,
      "start",
    ]);
    started = true;
    const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    console.log(`▸ PostgreSQL ${path.basename(path.dirname(PG_BIN))} on port ${port} ready in ${Date.now() - t0} ms (${dir})`);
    console.log(`▸ vitest run --project integration* ${files.length ? files.join(" ") : "(whole suite)"}`);
    const vitest = spawn(
      process.execPath,
      [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--project", "integration*", ...files],
      {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, TEST_DATABASE_URL: url },
      },
    );
    return await new Promise<number>((resolve) => vitest.on("exit", (code) => resolve(code ?? 1)));
  } finally {
    if (started) {
      try {
        run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } catch (e) {
        console.error(String(e));
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
