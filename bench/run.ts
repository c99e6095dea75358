// The performance bench of issue 13:
//   npm run bench [-- --quick] [--no-http] [--explain] [--build] [--lock-wait=SECONDS] [--only=a,b]
// --quick: one tenth of the data set; --no-http: only the in-process rows; --explain (default at
// full size): EXPLAIN (ANALYZE, BUFFERS) of the captured statements, app role vs superuser, to
// $TMPDIR/phteah-bench-findings-<quick|full>.txt; --build: `npm run build` first (also done when
// there is no build); --lock-wait: how long to wait for /tmp/phteah-e2e.lock (default 2400 s);
// --only: run only the benchmarks whose name contains one of the comma-separated words (e.g.
// --only=payments,monthly; the HTTP rows too: --only="pay page" starts the server for that row alone);
// the data set is generated in full either way. BENCH_WARM=<n>: requests before the page rows' timing
// (default 30 quick, 50 full); BENCH_SERVER_CPU_PROF=<dir>: the server's V8 CPU profile there.
//
// 1. starts a throwaway embedded PostgreSQL, migrates it, creates the big workspace through the
//    app's factory (owner, roles, Pro subscription) and generates the rest of the data set with
//    set-based SQL as the superuser (bench/lib/data.ts; --quick = one tenth of the size);
// 2. in-process, as the app role under RLS: each list / dashboard / audit benchmark calls the real
//    tRPC procedure with a fresh request context (session, membership, permissions, plan: what a
//    request pays), p50 of several calls; its baseline is the SQL the service sends for the same
//    input, captured from node-postgres and replayed bare on app-role connections (same RLS);
//    the monthly run is runInvoicesForTenant against one set-based INSERT … SELECT that writes the
//    same invoices, lines, audit rows and counter (rolled back);
// 3. over HTTP against the production build (`node server.mjs`, holding /tmp/phteah-e2e.lock so no
//    build replaces .next under it): workspace home SSR (and its statement count, from
//    PostgreSQL's statement log), the pay page, Bakong callbacks at 32 concurrent with autocannon
//    (unknown md5, and real settlements) against a bare route doing one INSERT, and the server's
//    peak RSS through all of it.
// Prints `| benchmark | app | baseline | ratio | goal | ok |`. A FAIL row is a finding, not a crash:
// the process exits 0 unless the harness itself breaks.
import { writeFileSync } from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { APP_ROLE, findFreePort, startEmbeddedPostgres } from "../scripts/db/embedded";
import { prepareDatabase } from "../scripts/prepare-db";
import { installCapture, capture, Replayer, workStatements, type Statement } from "./lib/capture";
import { generate, sizesFor, type DataSet } from "./lib/data";
import { p50, timePair, ms, table, type Row } from "./lib/stats";
import { HTTP_BENCHMARKS, runHttpBenches } from "./lib/http";
import { explainFindings, rowsRead } from "./lib/findings";

const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");
const HTTP = !args.has("--no-http");
const EXPLAIN = args.has("--explain") || !QUICK;
const SCALE = QUICK ? 0.1 : 1;
/** list rows are a few milliseconds each: many calls, app and bare interleaved (timePair) */
const LIST_ITER = QUICK ? 15 : 21;
const PASSWORD = "bench-password-2026";
const ONLY = (process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length) ?? "")
  .split(",")
  .map((w) => w.trim().toLowerCase())
  .filter(Boolean);
/** Whether --only lets the benchmark `name` run. */
export const selected = (name: string): boolean => ONLY.length === 0 || ONLY.some((w) => name.toLowerCase().includes(w));

installCapture();

// a forced collection, to tell retained memory from garbage V8 has not collected yet
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function anchorMonth(): string {
  const d = new Date();
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-01`;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const pgLog: string[] = [];
  let logSink: ((line: string) => void) | null = null;
  const db = await startEmbeddedPostgres({
    dataDir: "",
    port: await findFreePort(),
    persistent: false,
    onLog: (line) => logSink?.(line),
  });
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    await prepareDatabase(db.migrationUrl, APP_ROLE);
    process.env.DATABASE_URL = db.appUrl;
    process.env.LOG_LEVEL ??= "fatal";
    const { startVendorStub } = await import("../server/testing/stubs");
    const stub = await startVendorStub(0);
    process.env.RESEND_API_KEY = "re_bench_stub";
    process.env.RESEND_BASE_URL = stub.url;
    process.env.RESEND_WEBHOOK_SECRET = "whsec_" + Buffer.from("bench-resend-webhook-secret-0123456789").toString("base64");

    const { createTenant } = await import("../server/testing/factories");
    const big = await createTenant({ slug: "bigco", name: "Big Co Rentals", password: PASSWORD, subscription: { plan: "pro" } });
    const huge = await createTenant({ slug: "hugeco", name: "Huge Co Estates", password: PASSWORD, subscription: { plan: "pro" } });
    const anchor = anchorMonth();
    console.log(`\nBench ${QUICK ? "--quick (1/10 size)" : "(full size)"}: generating the data set (anchor ${anchor}) …`);
    const data = await generate(
      db.migrationUrl,
      { tenantId: big.tenantId, slug: big.slug },
      { tenantId: huge.tenantId, slug: huge.slug },
      sizesFor(SCALE),
      anchor,
    );
    console.log(
      `  = ${data.counts.invoices.toLocaleString("en")} invoices (${data.counts.bigInvoices.toLocaleString("en")} in the big workspace), ` +
        `${data.counts.payments.toLocaleString("en")} payments (${data.counts.bigPayments.toLocaleString("en")}), ${data.counts.audit.toLocaleString("en")} audit rows, ` +
        `${data.counts.contracts} active contracts in the big workspace, ${data.counts.hugeContracts.toLocaleString("en")} in the huge one; ${(data.ms / 1000).toFixed(0)} s\n`,
    );

    const replayer = new Replayer(db.appUrl);
    const inproc = await inProcess(data, big.owner.userId, big.owner.email, replayer, db.migrationUrl, notes);
    rows.push(...inproc.rows);

    if (selected("backup and restore")) rows.push(await backupRestoreBench(db.migrationUrl, notes));

    if (EXPLAIN) {
      const findings = await explainFindings({ data, replayer, migrationUrl: db.migrationUrl, statements: inproc.statements });
      const file = path.join(os.tmpdir(), `phteah-bench-findings-${QUICK ? "quick" : "full"}.txt`);
      writeFileSync(file, `=== ${new Date().toISOString()} ===\n${findings}\n`);
      console.log(`EXPLAIN findings written to ${file}`);
    }

    if (HTTP && HTTP_BENCHMARKS.some(selected)) {
      const httpRows: Row[] = [];
      try {
        await runHttpBenches(httpRows, {
          data,
          appUrl: db.appUrl,
          migrationUrl: db.migrationUrl,
          ownerEmail: big.owner.email,
          password: PASSWORD,
          quick: QUICK,
          replayer,
          setLogSink: (fn) => (logSink = fn),
          notes,
          selected,
          gc,
        });
      } catch (e) {
        // a harness failure (no build, no lock, the server did not start) is reported as FAIL rows, not a crash
        const message = (e as Error).message.slice(0, 80);
        notes.push(`HTTP benches stopped: ${message}`);
        for (const name of HTTP_BENCHMARKS.filter(selected)) {
          if (!httpRows.some((r) => r.benchmark.startsWith(name)))
            httpRows.push({ benchmark: name, app: `not measured (${message})`, baseline: "—", ratio: NaN, goal: "—", ok: false });
        }
      }
      rows.push(...httpRows);
    } else if (!HTTP) {
      notes.push("--no-http: the HTTP rows were not run");
    }

    await replayer.end();
    await stub.close();
    const { getDb } = await import("../server/db/client");
    await (await import("../server/core/context-cache")).stopContextCache();
    await getDb().$disconnect();
  } finally {
    logSink = null;
    void pgLog;
    await db.stop();
  }
  console.log(`\n${table(rows)}\n`);
  for (const n of notes) console.log(`note: ${n}`);
  console.log(`\nbench ${QUICK ? "--quick " : ""}finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** The benchmarks that need no HTTP server: through the tRPC caller, as the app role under RLS. */
async function inProcess(
  data: DataSet,
  ownerId: string,
  ownerEmail: string,
  replayer: Replayer,
  migrationUrl: string,
  notes: string[],
): Promise<{ rows: Row[]; statements: Record<string, Statement[]> }> {
  const { createCaller } = await import("../server/api/root");
  const { createContext } = await import("../server/api/context");
  const { createRequestResolver } = await import("../server/core/tenant-resolver");
  const { AuthService } = await import("../server/auth/auth.public");
  const { findTenantBySlug } = await import("../server/core/host-scope");
  const { buildTenantContext } = await import("../server/core/tenant-context");
  const { RentInvoiceService, invoiceKeyset } = await import("../server/rent-invoices/rent-invoice-service");
  const { encodeCursor } = await import("../server/core/keyset");
  const { RentPaymentService } = await import("../server/payments/rent-payment-service");
  const { DashboardService } = await import("../server/dashboard/dashboard-service");
  const { AuditService } = await import("../server/audit/audit-service");
  const { toByteStream } = await import("../server/audit/audit-query");
  const { listRentInvoicesSchema } = await import("../lib/schemas/rent-invoices");
  const { listRentPaymentsSchema } = await import("../lib/schemas/rent-payments");
  const { listAuditSchema, auditFiltersSchema } = await import("../lib/schemas/audit");

  // the request context cache, as the server starts it (instrumentation.ts)
  const { startContextCache } = await import("../server/core/context-cache");
  const contextCache = startContextCache(process.env.DATABASE_URL!);
  for (let i = 0; i < 500 && contextCache.status !== "on"; i++) await new Promise((r) => setTimeout(r, 10));
  if (contextCache.status !== "on")
    notes.push("the request context cache did not turn on: the in-process rows read the context on every call");
  const host = `${data.bigSlug}.localhost`;
  const meta = { ip: "10.9.9.9", userAgent: "bench", requestId: null };
  const auth = new AuthService(meta);
  const claims = await auth.redeemHandoff(await auth.issueHandoff(ownerId, host), host);
  if (!claims) throw new Error("bench: could not open a session for the big workspace's owner");
  // what one HTTP request pays: its own resolver (host, session, membership and plan in one statement)
  const caller = async () =>
    createCaller(
      await createContext({
        resolver: createRequestResolver({
          headers: new Headers({ host: `${host}:3000`, "x-forwarded-for": "10.9.9.9" }),
          getClaims: async () => claims,
          prefetch: true,
        }),
      }),
    );
  const summary = await findTenantBySlug(data.bigSlug);
  const ctx = await buildTenantContext(
    summary!,
    {
      userId: ownerId,
      sessionId: claims.sid,
      email: ownerEmail,
      name: "bench",
      locale: null,
      isPlatformAdmin: false,
      mfaVerified: false,
      impersonatorUserId: null,
    },
    meta,
  );
  if (!ctx) throw new Error("bench: no tenant context for the owner");

  const ri = new RentInvoiceService(ctx);
  const rp = new RentPaymentService(ctx);
  const su = new pg.Client({ connectionString: migrationUrl });
  await su.connect();
  const { rows: deep } = await su.query<{ id: string; issuedAt: Date }>(
    `SELECT id, "issuedAt" FROM "RentInvoice" WHERE "tenantId" = $1 ORDER BY "issuedAt" DESC, id DESC OFFSET $2 LIMIT 1`,
    [data.bigTenantId, Math.floor(data.counts.bigInvoices * 0.6)],
  );
  const page1 = await rp.list(listRentPaymentsSchema.parse({}));
  if (!page1.nextCursor && selected("payments list, page 2"))
    notes.push("payments list: page 1 had no next cursor (page 2 measures page 1 again)");

  const rows: Row[] = [];
  const statements: Record<string, Statement[]> = {};
  const listBench = async (name: string, app: () => Promise<unknown>, service: () => Promise<unknown>, goal = 2): Promise<void> => {
    if (!selected(name)) return;
    process.stdout.write(`  ${name} … `);
    // one call first: the statements counted are a signed-in user's steady state (request context
    // cache warm, terms already known accepted), as every call of the timed loop below
    await app();
    const { statements: appSt } = await capture(app);
    const { statements: st } = await capture(service);
    statements[name] = st;
    const [appTimes, bare] = await timePair(LIST_ITER, app, () => replayer.replay(st));
    const a = p50(appTimes);
    const b = p50(bare);
    const work = workStatements(st);
    // the goal's second half: the bare SQL itself must not scan the workspace (most rows one scan node of any statement reads)
    let read = 0;
    for (const s of work) {
      if (!/^\s*(SELECT|WITH)/i.test(s.text)) continue;
      read = Math.max(read, rowsRead(await replayer.explain(data.bigTenantId, s.text, s.values)));
    }
    const maxRead = Math.round(data.counts.bigInvoices / 10);
    rows.push({
      benchmark: name,
      app: `${ms(a)} (${workStatements(appSt).length} stmts)`,
      baseline: `${ms(b)} (${work.length} stmts, reads ${read.toLocaleString("en")} rows)`,
      ratio: a / b,
      goal: `≤ ${goal}×, reads ≤ ${maxRead.toLocaleString("en")} rows`,
      ok: a / b <= goal && read <= maxRead,
    });
    console.log(`app ${ms(a)}, bare ${ms(b)}`);
  };

  const invoicesPaidByDue = { status: "paid" as const, sort: { id: "dueDate" as const, desc: true } };
  await listBench(
    "invoices list, status = paid, by due date",
    async () => (await caller()).rentInvoices.list(invoicesPaidByDue),
    () => ri.list(listRentInvoicesSchema.parse(invoicesPaidByDue)),
  );
  // the opaque cursor a client paging 60 % deep holds (the list's default sort: issued, newest first)
  const deepInput = { cursor: encodeCursor(invoiceKeyset({ id: "issuedAt", desc: true }), [deep[0]!.issuedAt], deep[0]!.id) };
  await listBench(
    "invoices list, deep cursor (60 %)",
    async () => (await caller()).rentInvoices.list(deepInput),
    () => ri.list(listRentInvoicesSchema.parse(deepInput)),
  );
  await listBench(
    "payments list, first page",
    async () => (await caller()).rentPayments.list({}),
    () => rp.list(listRentPaymentsSchema.parse({})),
  );
  const page2 = page1.nextCursor ? { cursor: page1.nextCursor } : {};
  await listBench(
    "payments list, page 2",
    async () => (await caller()).rentPayments.list(page2),
    () => rp.list(listRentPaymentsSchema.parse(page2)),
  );
  await listBench(
    "dashboard summary",
    async () => (await caller()).dashboard.summary(),
    () => new DashboardService(ctx).summary(),
  );
  await listBench(
    "audit list (keyset)",
    async () => (await caller()).audit.list({}),
    () => new AuditService(ctx).list(listAuditSchema.parse({})),
  );

  // audit export: the whole big workspace's audit CSV through the route's byte stream vs its statements replayed bare
  if (selected("audit export")) {
    process.stdout.write(`  audit export … `);
    // `live`: a forced collection after every chunk (the untimed pass), to measure what the export
    // holds rather than the garbage V8 has not collected yet
    const drain = async (live = false) => {
      const reader = toByteStream(new AuditService(ctx).streamCsv(auditFiltersSchema.parse({}))).getReader();
      let bytes = 0;
      let peakRss = process.memoryUsage().rss;
      let peakHeap = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (live) {
          gc();
          peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        }
      }
      return { bytes, peakRss, peakHeap };
    };
    gc();
    const before = process.memoryUsage();
    const t = performance.now();
    const out = await drain();
    const a = performance.now() - t;
    const { statements: st } = await capture(drain);
    statements["audit export"] = st;
    const b = await replayer.replay(st);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const liveMb = ((await drain(true)).peakHeap - heapBefore) / 1024 / 1024;
    const rssGrowth = (out.peakRss - before.rss) / 1024 / 1024;
    rows.push({
      benchmark: `audit export (${Math.round(data.sizes.audit * data.sizes.bigAuditShare).toLocaleString("en")} rows)`,
      app: `${ms(a)}, ${(out.bytes / 1048576).toFixed(0)} MB of CSV, live heap +${Math.max(0, liveMb).toFixed(0)} MB at most (RSS +${rssGrowth.toFixed(0)} MB)`,
      baseline: `${ms(b)} (${workStatements(st).length} stmts)`,
      ratio: a / b,
      goal: "≤ 2×, live heap +≤ 50 MB",
      ok: a / b <= 2 && liveMb <= 50,
    });
    console.log(`app ${ms(a)}, bare ${ms(b)}`);
  }

  // monthly runs: the big workspace (1,933 contracts at full size), then the huge one (20,000)
  for (const [tenantId, contracts] of [
    [data.bigTenantId, data.counts.contracts],
    [data.hugeTenantId, data.counts.hugeContracts],
  ] as const) {
    const name = `monthly run, ${contracts.toLocaleString("en")} contracts`;
    if (selected(name)) rows.push(await monthlyRunBench(name, tenantId, contracts, data, su, notes));
  }
  await su.end();
  return { rows, statements };
}

/**
 * The data set backed up with `npm run backup`'s code (one REPEATABLE READ snapshot, COPY per table,
 * manifest with counts and checksums) and restored with `npm run restore`'s into a new database of
 * the same cluster (migrations, grants, load, every count and checksum verified). The baseline is
 * the bare COPY of every table to nowhere, on one connection. The figures go to docs/OPERATIONS.md.
 */
async function backupRestoreBench(migrationUrl: string, notes: string[]): Promise<Row> {
  const name = "backup and restore (whole database)";
  process.stdout.write(`  ${name} … `);
  const { mkdtemp, rm, stat } = await import("node:fs/promises");
  const { createBackup, describeTables, copyOutSql } = await import("../server/ops/backup/backup");
  const { restoreBackup } = await import("../server/ops/backup/restore");
  const { applyMigrations, MIGRATIONS_DIR } = await import("../scripts/db/engine");
  const { grantAppRole } = await import("../scripts/db/grants");
  const { to: copyTo } = await import("pg-copy-streams");
  const { Writable } = await import("node:stream");
  const { pipeline } = await import("node:stream/promises");
  const dir = await mkdtemp(path.join(os.tmpdir(), "phteah-bench-backup-"));
  const su = new pg.Client({ connectionString: migrationUrl });
  await su.connect();
  try {
    // the data set's own scratch table is not the app's (the restore checks the tables against the migrations)
    await su.query("DROP TABLE IF EXISTS bench_tenant");
    // baseline: every table's COPY, bare
    const t0 = performance.now();
    await su.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    let bareBytes = 0;
    for (const t of await describeTables(su)) {
      const sink = new Writable({
        write(chunk: Buffer, _e, done) {
          bareBytes += chunk.length;
          done();
        },
      });
      await pipeline(su.query(copyTo(copyOutSql(t))), sink);
    }
    await su.query("COMMIT");
    const bare = performance.now() - t0;

    const files = path.join(dir, "files");
    const out = path.join(dir, "bench.tar.gz");
    const backup = await createBackup({ databaseUrl: migrationUrl, fileDir: files, out, passphrase: null, projectRoot: path.resolve(".") });
    const archiveBytes = (await stat(out)).size;
    await su.query("CREATE DATABASE bench_restore");
    const target = new URL(migrationUrl);
    target.pathname = "/bench_restore";
    const restore = await restoreBackup({
      databaseUrl: target.toString(),
      appRole: APP_ROLE,
      fileDir: path.join(dir, "restored-files"),
      archive: out,
      passphrase: null,
      replace: false,
      migrationsDir: MIGRATIONS_DIR,
      applyMigrations: (url, migrations) => applyMigrations(url, { migrationsDir: migrations }),
      grantAppRole,
    });
    const rowsTotal = backup.manifest.totals.rows;
    notes.push(
      `backup and restore: ${rowsTotal.toLocaleString("en")} rows in ${backup.manifest.totals.tables} tables ` +
        `(${(backup.manifest.totals.tableBytes / 1048576).toFixed(0)} MB of COPY text, archive ${(archiveBytes / 1048576).toFixed(0)} MB); ` +
        `backup ${ms(backup.ms)}, restore with verification ${ms(restore.ms)}; bare COPY of every table ${ms(bare)} (${(bareBytes / 1048576).toFixed(0)} MB)`,
    );
    console.log(`backup ${ms(backup.ms)}, restore ${ms(restore.ms)}, bare COPY ${ms(bare)}`);
    return {
      benchmark: name,
      app: `backup ${ms(backup.ms)} (${rowsTotal.toLocaleString("en")} rows, archive ${(archiveBytes / 1048576).toFixed(0)} MB), restore + verify ${ms(restore.ms)}`,
      baseline: `${ms(bare)} (bare COPY of every table)`,
      ratio: backup.ms / bare,
      goal: "restored and verified (figures for docs/OPERATIONS.md)",
      ok: restore.manifest.totals.rows === rowsTotal,
    };
  } finally {
    await su.query("DROP DATABASE IF EXISTS bench_restore WITH (FORCE)").catch(() => undefined);
    await su.end();
    await rm(dir, { recursive: true, force: true });
  }
}

// "Memory flat": the run works in chunks of 1,000 contracts, so what it holds at any moment must not
// grow with the workspace: the same bound for 1,933 and 20,000 contracts. Measured as the LIVE heap
// (after a forced collection at every chunk, in a second run for another month, untimed). RSS is
// printed too but is not the bound: V8 lets garbage pile up (~11 MB a chunk here) until its next
// major collection and keeps the pages afterwards, so the process's RSS follows the collector's
// heuristics (heap limit, --max-old-space-size), not what the run holds.
const MONTHLY_LIVE_MB = 50;

/**
 * The run for the month two after the anchor (no invoices yet), with a forced collection at every
 * chunk: the most live heap the run held above where it started, and what it still holds after.
 */
async function liveMemoryRun(tenantId: string, anchor: string): Promise<{ peakMb: number; retainedMb: number; issued: number }> {
  const { runInvoicesForTenant } = await import("../server/rent-invoices/invoice-run");
  const [y, m] = anchor.split("-").map(Number) as [number, number];
  const month = ((m + 1) % 12) + 1; // m + 2, 1-based
  const date = `${m >= 11 ? y + 1 : y}-${String(month).padStart(2, "0")}-01`;
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = 0;
  const { issued } = await runInvoicesForTenant(tenantId, {
    date,
    trigger: "cron",
    onChunkWritten: () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    },
  });
  gc();
  const after = process.memoryUsage().heapUsed - before;
  return { peakMb: Math.max(peak, after) / 1024 / 1024, retainedMb: after / 1024 / 1024, issued };
}

/** Runs `fn`, counting the statements and transactions this process sends meanwhile (nothing kept). */
async function countStatements(fn: () => Promise<void>): Promise<{ statements: number; transactions: number }> {
  const counts = { statements: 0, transactions: 0 };
  type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const inner = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
    if (typeof text === "string") {
      counts.statements++;
      if (/^\s*BEGIN/i.test(text)) counts.transactions++;
    }
    return inner.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = inner;
  }
  return counts;
}

/**
 * One monthly-run row: the set-based statement for the month after the anchor (committed), then
 * the app's run for the anchor month, for real: time, statements, whether it threw, messages left
 * in `sending`, and the process's RSS growth through the run (memory must stay flat).
 */
async function monthlyRunBench(
  name: string,
  tenantId: string,
  contracts: number,
  data: DataSet,
  su: pg.Client,
  notes: string[],
): Promise<Row> {
  process.stdout.write(`  ${name} … `);
  const setBased = await setBasedRun(tenantId, data.anchor);
  const { runInvoicesForTenant } = await import("../server/rent-invoices/invoice-run");
  // the run hands its messages to the delivery queue; sending them (to the local stub) is not the run's
  // time and would spill into the next row, so deliveries stay paused and the hand-over is counted
  const { pauseDeliveries, deliveryQueueState } = await import("../server/notifications/queue");
  pauseDeliveries();
  const queuedBefore = deliveryQueueState().pending;
  gc();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const tRun = performance.now();
  let threw: string | null = null;
  let issued = 0;
  // statements are counted, not kept: a kept capture (the run's multi-row INSERTs carry megabytes of
  // values) would be the bench's own memory, measured as the run's
  const runSt = await countStatements(async () => {
    try {
      const r = await runInvoicesForTenant(tenantId, { date: data.anchor, trigger: "cron" });
      issued = r.issued;
    } catch (e) {
      threw = (e as { code?: string }).code ?? (e as Error).message.slice(0, 60);
    }
  });
  const a = performance.now() - tRun;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  gc();
  const retained = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  const peakMb = rssPeak / 1024 / 1024;
  const handedOver = deliveryQueueState().pending - queuedBefore;
  const txs = runSt.transactions;
  notes.push(
    `${name}: ${runSt.statements} statements in ${txs} transactions ` +
      `(${(runSt.statements / Math.max(1, contracts)).toFixed(2)} statements, ${(txs / Math.max(1, contracts)).toFixed(2)} transactions per contract, deliveries included)`,
  );
  const { rows: made } = await su.query<{ n: string }>(`SELECT count(*) AS n FROM "RentInvoice" WHERE "tenantId" = $1 AND period = $2`, [
    tenantId,
    data.anchor.slice(0, 7),
  ]);
  const { rows: stuck } = await su.query<{ n: string }>(
    `SELECT count(*) AS n FROM "OutboundMessage" WHERE "tenantId" = $1 AND status = 'sending'`,
    [tenantId],
  );
  // let deliveries started by the run (if any) finish or fail before the next benchmarks
  for (let i = 0; i < 120; i++) {
    const { rows: busy } = await su.query<{ n: string }>(
      `SELECT count(*) AS n FROM "OutboundMessage" WHERE "tenantId" = $1 AND status = 'sending' AND "updatedAt" > now() - interval '2 seconds'`,
      [tenantId],
    );
    if (Number(busy[0]!.n) === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const live = await liveMemoryRun(tenantId, data.anchor);
  if (threw) notes.push(`${name} threw (${threw}) after issuing ${made[0]!.n} invoices; ${stuck[0]!.n} messages left in 'sending'`);
  if (Number(made[0]!.n) !== contracts) notes.push(`${name}: ${made[0]!.n} invoices for the anchor month, expected ${contracts}`);
  const growth = peakMb - rssBefore / 1024 / 1024;
  const memory =
    `live heap +${live.peakMb.toFixed(0)} MB at most, +${Math.max(0, live.retainedMb).toFixed(0)} MB after (${live.issued} issued) ` +
    `(RSS +${growth.toFixed(0)} MB at peak, ${peakMb.toFixed(0)} MB; +${Math.max(0, retained).toFixed(0)} MB after)`;
  console.log(`app ${ms(a)}${threw ? ` (threw ${threw})` : ""}, set-based ${ms(setBased.ms)}, ${memory}, ${handedOver} deliveries queued`);
  const complete = Number(made[0]!.n) === contracts;
  return {
    benchmark: name,
    app: `${ms(a)}${threw ? `, THREW ${threw}` : `, ${issued} issued`}, ${handedOver} deliveries queued, ${memory}`,
    baseline: `${ms(setBased.ms)} (set-based, ${setBased.invoices} invoices + lines + audit)`,
    ratio: a / setBased.ms,
    goal: `≤ 5×, no throw, all issued, live heap +≤ ${MONTHLY_LIVE_MB} MB, +≤ ${MONTHLY_LIVE_MB} MB after`,
    ok: a / setBased.ms <= 5 && !threw && complete && live.peakMb <= MONTHLY_LIVE_MB && live.retainedMb <= MONTHLY_LIVE_MB,
  };
}

/**
 * The set-based equivalent of the monthly run: one statement, as the app role under RLS, that
 * writes the same invoices (numbers from the counter), their rent lines and their audit rows and
 * bumps the counter once, for the month after the anchor (the app's run bills the anchor month).
 */
async function setBasedRun(tenantId: string, anchor: string): Promise<{ ms: number; invoices: number }> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    // the month after the anchor (the app's run bills the anchor month itself), committed like the app's
    const [y, m] = anchor.split("-").map(Number) as [number, number];
    const day = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
    const period = day.slice(0, 7);
    const year = Number(day.slice(0, 4));
    const t0 = performance.now();
    await c.query("BEGIN");
    await c.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const r = await c.query(
      `WITH cand AS (
         SELECT c.id, c."rentAmount", c.currency, c."dueDays", c."creditBalance", u.code, u."propertyId", row_number() OVER (ORDER BY c.id) AS k
         FROM "Contract" c JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
         WHERE c."tenantId" = $1 AND c.status = 'active' AND c."billingDay" <= 1 AND c."startDate" <= $3::date
           AND (c."endDate" IS NULL OR c."endDate" >= $3::date)
           AND NOT EXISTS (SELECT 1 FROM "RentInvoice" i WHERE i."tenantId" = $1 AND i."contractId" = c.id AND i.period = $2 AND i.status <> 'void')
       ), ctr AS (
         INSERT INTO "InvoiceCounter" ("scope", "year", "last") SELECT 'rent:' || $1, $4, count(*) FROM cand
         ON CONFLICT ("scope", "year") DO UPDATE SET "last" = "InvoiceCounter"."last" + EXCLUDED."last"
         RETURNING "last" - (SELECT count(*) FROM cand) AS base
       ), inv AS (
         INSERT INTO "RentInvoice" ("id", "tenantId", "contractId", "propertyId", "number", "period", "status", "currency", "total", "amountPaid", "creditApplied",
                                    "issuedAt", "dueDate", "payToken", "createdAt", "updatedAt")
         SELECT uuidv7(), $1, cand.id, cand."propertyId", 'R-' || $4 || '-' || lpad((ctr.base + cand.k)::text, 6, '0'), $2, 'issued', cand.currency, cand."rentAmount", 0, 0,
                now(), $3::date + cand."dueDays",
                rtrim(translate(encode(decode(md5(random()::text) || md5(random()::text), 'hex'), 'base64'), '+/', '-_'), '='), now(), now()
         FROM cand, ctr
         RETURNING id, "contractId", number, total, currency
       ), lines AS (
         INSERT INTO "RentInvoiceLine" ("id", "tenantId", "invoiceId", "kind", "description", "quantity", "unitAmount", "amount", "position")
         SELECT uuidv7(), $1, inv.id, 'rent', 'Rent ' || $2 || ' · ' || cand.code, 1, inv.total, inv.total, 0 FROM inv JOIN cand ON cand.id = inv."contractId"
       ), audit AS (
         INSERT INTO "AuditLog" ("id", "tenantId", "actorEmail", "action", "targetType", "targetId", "metadata", "createdAt")
         SELECT uuidv7(), $1, 'system', 'rent.invoice.issued', 'rent_invoice', inv.id::text,
                jsonb_build_object('after', jsonb_build_object('number', inv.number, 'period', $2, 'total', inv.total, 'currency', inv.currency, 'status', 'issued'),
                                   'contractId', inv."contractId", 'trigger', 'cron'), now()
         FROM inv
       )
       SELECT count(*) AS n FROM inv`,
      [tenantId, period, day, year],
    );
    await c.query("COMMIT");
    const elapsed = performance.now() - t0;
    return { ms: elapsed, invoices: Number((r.rows[0] as { n: string }).n) };
  } finally {
    await c.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
