// The HTTP half of the bench: the production build under `node server.mjs` (like `npm start`),
// pointed at the bench database. Holds /tmp/phteah-e2e.lock for as long as the server runs (and
// while it builds, if there is no build yet or --build is given), so no other helper's build
// replaces .next under it and no e2e run competes for the machine.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { findFreePort } from "../../scripts/db/embedded";
import { serverNodeArgs } from "../../scripts/lib/server-node-args.mjs";
import type { Replayer, Statement } from "./capture";
import type { DataSet } from "./data";
import { p50, timePair, ms, type Row } from "./stats";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LOCK = "/tmp/phteah-e2e.lock";
const CALLBACK_SECRET = "bench-bakong-callback-secret-0123456789abcdef";
const AUTH_SECRET = "bench-secret-bench-secret-bench-secret-0123456789";

export interface HttpInput {
  data: DataSet;
  appUrl: string;
  migrationUrl: string;
  ownerEmail: string;
  password: string;
  quick: boolean;
  replayer: Replayer;
  setLogSink: (fn: ((chunk: string) => void) | null) => void;
  notes: string[];
  /** a forced full collection of this process (run.ts exposes V8's gc) */
  gc?: () => void;
  /** --only: whether the row `name` runs (the server and its RSS row run whenever any HTTP row does) */
  selected: (name: string) => boolean;
}

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  port: number,
  method: string,
  host: string,
  pathname: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path: pathname, headers: { host: `${host}:${port}`, ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${pathname}: no answer in 120 s`)));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** Takes the e2e lock in a helper process that holds it until we close its stdin (or die). */
async function takeLock(): Promise<ChildProcess> {
  const arg = process.argv.find((a) => a.startsWith("--lock-wait="));
  const wait = arg ? arg.slice("--lock-wait=".length) : "2400";
  const holder = spawn("flock", ["-w", wait, LOCK, "sh", "-c", "echo locked; exec cat >/dev/null"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("locked")) resolve();
    });
    holder.on("exit", (code) => reject(new Error(`could not take ${LOCK} (flock exited with ${code})`)));
  });
  return holder;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** PostgreSQL's statement log of the app role, parsed back into statements (per backend pid) for counting and replay. */
class StatementLog {
  private buf = "";
  constructor(
    private readonly su: pg.Client,
    private readonly setSink: HttpInput["setLogSink"],
  ) {}

  async record<T>(fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
    this.buf = "";
    this.setSink((chunk) => (this.buf += chunk));
    await this.su.query(`ALTER SYSTEM SET log_line_prefix = '%m [%p] %u '`);
    await this.su.query(`ALTER SYSTEM SET log_statement = 'all'`);
    await this.su.query(`SELECT pg_reload_conf()`);
    await new Promise((r) => setTimeout(r, 500));
    const result = await fn();
    await new Promise((r) => setTimeout(r, 500));
    await this.su.query(`ALTER SYSTEM RESET log_statement`);
    await this.su.query(`SELECT pg_reload_conf()`);
    await new Promise((r) => setTimeout(r, 300));
    this.setSink(null);
    return { result, statements: parseLog(this.buf) };
  }
}

const ENTRY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\S*) (LOG|DETAIL):\s+([\s\S]*)$/;

export function parseLog(text: string): Statement[] {
  const entries = text.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/);
  const out: Statement[] = [];
  for (const raw of entries) {
    const m = ENTRY.exec(raw.trim());
    if (!m) continue;
    const [, pid, user, kind, rest] = m as unknown as [string, string, string, string, string];
    if (user !== "phteah_app") continue;
    if (kind === "LOG") {
      const s = /^(?:statement|execute [^:]*):\s([\s\S]*)$/.exec(rest);
      if (s) out.push({ conn: Number(pid), text: s[1]!, values: undefined });
    } else if (rest.startsWith("Parameters:") && out.length > 0) {
      const last = [...out].reverse().find((x) => x.conn === Number(pid));
      if (!last) continue;
      const values: unknown[] = [];
      for (const p of rest.matchAll(/\$(\d+) = (NULL|'((?:[^']|'')*)')/g))
        values[Number(p[1]) - 1] = p[2] === "NULL" ? null : p[3]!.replace(/''/g, "'");
      last.values = values;
    }
  }
  return out;
}

/** Completed requests per second over the whole run (autocannon's per-second average misleads on short runs). */
const rate = (r: autocannon.Result) => r.requests.total / Math.max(0.001, r.duration);

const isWork = (s: Statement) =>
  !/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|DEALLOCATE)\b/i.test(s.text) && !/set_config\('app\./.test(s.text);

/** The rows this module adds, in order (a harness failure fills the missing ones with FAIL). */
export const HTTP_BENCHMARKS = [
  "workspace home (SSR)",
  "pay page",
  "Bakong callback, unknown md5, 32 concurrent",
  "Bakong callback, real settlements, 32 concurrent",
  "server RSS, peak through the HTTP benches",
] as const;

export async function runHttpBenches(rows: Row[], input: HttpInput): Promise<void> {
  const { data, notes, quick } = input;
  const su = new pg.Client({ connectionString: input.migrationUrl });
  su.on("error", () => undefined); // the cluster stopping must not crash the bench
  await su.connect();
  let lock: ChildProcess | null = null;
  let server: ChildProcess | null = null;
  let peakRss = 0;
  let sampler: NodeJS.Timeout | null = null;
  try {
    lock = await takeLock();
    const build = path.join(ROOT, ".next", "BUILD_ID");
    if (process.argv.includes("--build") || !existsSync(build)) {
      console.log("  building (npm run build) …");
      const code = await new Promise<number>((resolve) =>
        spawn("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] }).on("exit", (c) => resolve(c ?? 1)),
      );
      if (code !== 0) throw new Error("npm run build failed");
    }
    const { startFakeBakong } = await import("../../server/testing/fake-bakong");
    const { startVendorStub } = await import("../../server/testing/stubs");
    const bakong = await startFakeBakong({ port: 0 });
    const stub = await startVendorStub(0);
    const port = await findFreePort();
    // BENCH_SERVER_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (for finding where its time goes)
    const profile = process.env.BENCH_SERVER_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`] : [];
    server = spawn(process.execPath, [...profile, ...serverNodeArgs(process.env), path.join(ROOT, "server.mjs")], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        APP_ROOT_DOMAIN: "localhost",
        DATABASE_URL: input.appUrl,
        AUTH_SECRET,
        RESEND_API_KEY: "re_bench_stub",
        RESEND_BASE_URL: stub.url,
        RESEND_WEBHOOK_SECRET: "whsec_" + Buffer.from("bench-resend-webhook-secret-0123456789").toString("base64"),
        INNGEST_EVENT_KEY: "bench-event-key",
        INNGEST_SIGNING_KEY: "signkey-test-00000000000000000000000000000000",
        INNGEST_BASE_URL: stub.url,
        INNGEST_DEV: undefined,
        LOG_LEVEL: "error",
        SENTRY_DISABLED: "1", // a production server needs SENTRY_DSN or this (env.ts)
        BAKONG_API_BASE_URL: bakong.url,
        BAKONG_API_TOKEN: bakong.token,
        BAKONG_CALLBACK_SECRET: CALLBACK_SECRET,
        BAKONG_ACCOUNT_ID: "phteah@aclb",
        BAKONG_MERCHANT_NAME: "Phteah",
        BAKONG_MERCHANT_CITY: "Phnom Penh",
        BAKONG_SIMULATOR: "1",
        TRUSTED_PROXIES: "loopback",
      },
    });
    const pid = server.pid!;
    for (let i = 0; ; i++) {
      const ok = await request(port, "GET", "localhost", "/api/health/live").then(
        (r) => r.status > 0 && r.status < 500,
        () => false,
      );
      if (ok) break;
      if (i > 240 || server.exitCode !== null) throw new Error("the production server did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 100);
    const log = new StatementLog(su, input.setLogSink);
    const host = `${data.bigSlug}.localhost`;
    // the page rows time a warm server and warm connections on both sides: WARM requests and WARM
    // bare replays first, then PAGE_ITER of each, alternated, and their p50s. (A p50 of 5–7 requests right after the server's
    // start measured V8 compiling the route's code more than the route: quick, 14–16 ms cold against
    // 9–10 ms warm for the pay page on the same build; bench/RESULTS.md, stop 27.)
    const WARM = Number(process.env.BENCH_WARM) || (quick ? 30 : 50);
    const PAGE_ITER = quick ? 21 : 31;
    let ipN = 0;
    const ip = () => `10.${(ipN >> 8) & 255}.${ipN++ & 255}.${1 + (ipN % 200)}`;

    // sign in as the big workspace's owner, like the login form does
    const login = await request(
      port,
      "POST",
      host,
      "/api/session/login",
      { "content-type": "application/json", origin: `http://${host}:${port}`, "x-forwarded-for": ip() },
      JSON.stringify({ email: input.ownerEmail, password: input.password }),
    );
    const cookie = ([] as string[])
      .concat(login.headers["set-cookie"] ?? [])
      .map((c) => c.split(";")[0])
      .join("; ");
    if (login.status !== 200 || !cookie) notes.push(`login over HTTP answered ${login.status}: the SSR row is not signed in`);

    const pageBench = async (name: string, get: () => Promise<Res>, goal: number, maxStatements?: number) => {
      if (!input.selected(name)) return;
      process.stdout.write(`  ${name} … `);
      const first = await get();
      if (first.status !== 200) notes.push(`${name}: HTTP ${first.status}`);
      const { statements } = await log.record(get);
      const work = statements.filter(isWork);
      const replay = () => input.replayer.replay(statements);
      let a = NaN;
      let bare = NaN;
      try {
        // both sides warm, then alternated (timePair), as the list rows: a burst of load on this
        // shared machine falls on the app and its baseline alike
        for (let i = 0; i < WARM; i++) {
          await get();
          await replay();
        }
        const [times, bareTimes] = await timePair(PAGE_ITER, get, replay);
        a = p50(times);
        bare = p50(bareTimes);
      } catch (e) {
        notes.push(
          `${name}: timing it or replaying its ${statements.length} logged statements failed: ${(e as Error).message.slice(0, 120)}`,
        );
      }
      const okCount = maxStatements === undefined || work.length <= maxStatements;
      rows.push({
        benchmark: name,
        app: `${ms(a)} (HTTP ${first.status})`,
        baseline: `${ms(bare)} (${work.length} stmts)`,
        ratio: a / bare,
        goal: `≤ ${goal}×${maxStatements !== undefined ? `, ≤ ${maxStatements} stmts` : ""}`,
        ok: first.status === 200 && a / bare <= goal && okCount,
      });
      console.log(`app ${ms(a)}, bare ${ms(bare)}, ${work.length} statements`);
    };

    await pageBench("workspace home (SSR)", () => request(port, "GET", host, "/", { cookie, "x-forwarded-for": ip() }), 2, 10);

    const { rows: tokens } = await su.query<{ payToken: string }>(
      `SELECT "payToken" FROM "RentInvoice" WHERE "tenantId" = $1 AND "payToken" IS NOT NULL AND status = 'overdue' LIMIT 1`,
      [data.bigTenantId],
    );
    await pageBench("pay page", () => request(port, "GET", host, `/pay/${tokens[0]!.payToken}`, { "x-forwarded-for": ip() }), 2);

    if (HTTP_BENCHMARKS.some((n) => n.startsWith("Bakong callback") && input.selected(n))) {
      // Bakong callbacks, 32 concurrent: the app's route vs a bare route doing one INSERT
      const { signBakongCallback, BAKONG_HEADERS } = await import("../../server/payments/bakong-signature");
      const duration = quick ? 5 : 15;
      const signed = (body: unknown) => {
        const raw = JSON.stringify(body);
        const ts = Math.floor(Date.now() / 1000);
        return {
          body: raw,
          headers: {
            "content-type": "application/json",
            [BAKONG_HEADERS.timestamp]: String(ts),
            [BAKONG_HEADERS.signature]: signBakongCallback(CALLBACK_SECRET, raw, ts),
            "x-forwarded-for": ip(),
          },
        };
      };
      const unknownBody = () => {
        const md5 = randomBytes(16).toString("hex");
        return {
          eventId: `evt-${randomUUID()}`,
          md5,
          transaction: {
            hash: randomBytes(32).toString("hex"),
            fromAccountId: "payer@aclb",
            toAccountId: "nobody@aclb",
            currency: "USD",
            amount: 12.5,
            description: null,
            createdDateMs: Date.now(),
            acknowledgedDateMs: Date.now(),
            externalRef: `REF${randomBytes(4).toString("hex")}`,
          },
        };
      };
      const cannon = (
        base: string,
        next: () => { body: string; headers: Record<string, string> },
        opts: { duration?: number; amount?: number },
      ) => {
        // autocannon's clock is this process: the garbage of the in-process rows before (the monthly
        // runs, the export, the backup) is collected first, not during a run of a few seconds
        input.gc?.();
        return autocannon({
          url: base,
          connections: 32,
          ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration }),
          requests: [
            {
              method: "POST",
              path: "/api/webhooks/bakong",
              setupRequest: (req) => {
                const s = next();
                return { ...req, body: s.body, headers: s.headers };
              },
            },
          ],
        });
      };

      // the bare route: parse the body, one INSERT as the app role, answer JSON
      await su.query(
        `CREATE TABLE IF NOT EXISTS bench_inbox (id bigserial PRIMARY KEY, md5 text, body jsonb, at timestamptz DEFAULT now())`,
      );
      await su.query(`GRANT INSERT ON bench_inbox TO phteah_app; GRANT USAGE ON SEQUENCE bench_inbox_id_seq TO phteah_app`);
      const barePool = new pg.Pool({ connectionString: input.appUrl, max: 10 });
      const bare = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const body = JSON.parse(raw) as { md5: string };
          barePool.query(`INSERT INTO bench_inbox (md5, body) VALUES ($1, $2)`, [body.md5, raw]).then(
            () => {
              res.writeHead(200, { "content-type": "application/json" });
              res.end(`{"ok":true}`);
            },
            () => {
              res.writeHead(500);
              res.end();
            },
          );
        });
      });
      const barePort = await findFreePort();
      await new Promise<void>((r) => bare.listen(barePort, "127.0.0.1", r));
      process.stdout.write(`  Bakong callbacks (bare route) … `);
      const bareRes = await cannon(`http://127.0.0.1:${barePort}`, () => signed(unknownBody()), { duration });
      console.log(`${rate(bareRes).toFixed(0)} req/s, p99 ${bareRes.latency.p99} ms`);

      const callbackRow = (name: string, r: autocannon.Result, goalShare: number, extra = "", correct = true) => {
        const rps = rate(r);
        const share = rps / rate(bareRes);
        const p99 = r.latency.p99;
        const p99Ratio = p99 / Math.max(1, bareRes.latency.p99);
        const errors = r.non2xx + r.errors + r.timeouts;
        rows.push({
          benchmark: name,
          app: `${rps.toFixed(0)} req/s, p99 ${p99} ms${errors ? `, ${errors} errors` : ""}${extra}`,
          baseline: `${rate(bareRes).toFixed(0)} req/s, p99 ${bareRes.latency.p99} ms (bare route, one INSERT)`,
          ratio: 1 / share,
          goal: `≥ ${goalShare * 100} % throughput, p99 ≤ 3×`,
          ok: share >= goalShare && p99Ratio <= 3 && errors === 0 && correct,
        });
      };

      process.stdout.write(`  Bakong callbacks, unknown md5 … `);
      const unknown = await cannon(`http://localhost:${port}`, () => signed(unknownBody()), { duration });
      console.log(`${rate(unknown).toFixed(0)} req/s, p99 ${unknown.latency.p99} ms`);
      callbackRow("Bakong callback, unknown md5, 32 concurrent", unknown, 0.5);

      // real settlements: one pending KHQR attempt per open invoice (any workspace), each settled by one callback
      const want = quick ? 1500 : 6000;
      const { rows: pending } = await su.query<{ md5: string; amount: number; currency: string; account: string }>(
        `INSERT INTO "Payment" ("id", "tenantId", "purpose", "rentInvoiceId", "method", "status", "amount", "currency", "receivingAccount", "billNumber",
                              "md5", "expiresAt", "createdAt", "updatedAt")
       SELECT uuidv7(), i."tenantId", 'rent', i.id, 'khqr', 'pending', i.total - i."amountPaid", i.currency, t."bakongAccountId", i.number,
              md5(random()::text || i.id::text), now() + interval '1 day', now(), now()
       FROM "RentInvoice" i JOIN "Tenant" t ON t.id = i."tenantId"
       WHERE i.status IN ('issued', 'overdue', 'partially_paid') AND i.total > i."amountPaid"
       ORDER BY random() LIMIT $1
       RETURNING md5, amount, currency, "receivingAccount" AS account`,
        [want],
      );
      let k = 0;
      const settleBody = () => {
        const p = pending[k++ % pending.length]!;
        return {
          eventId: `evt-${randomUUID()}`,
          md5: p.md5,
          transaction: {
            hash: randomBytes(32).toString("hex"),
            fromAccountId: "payer@aclb",
            toAccountId: p.account,
            currency: p.currency,
            amount: p.currency === "KHR" ? p.amount : p.amount / 100,
            description: null,
            createdDateMs: Date.now(),
            acknowledgedDateMs: Date.now(),
            externalRef: `REF${randomBytes(4).toString("hex")}`,
          },
        };
      };
      process.stdout.write(`  Bakong callbacks, real settlements (${pending.length}) … `);
      const real = await cannon(`http://localhost:${port}`, () => signed(settleBody()), { amount: pending.length });
      // settlement may finish after the answer (the callback worker): wait for it, then check it happened exactly once
      const md5s = pending.map((p) => p.md5);
      const loadEnd = performance.now();
      const countPaid = async () =>
        Number(
          (await su.query<{ n: string }>(`SELECT count(*) AS n FROM "Payment" WHERE md5 = ANY($1) AND status = 'paid'`, [md5s])).rows[0]!.n,
        );
      let paid = await countPaid();
      while (paid < pending.length && performance.now() - loadEnd < 120_000) {
        await new Promise((r) => setTimeout(r, 250));
        paid = await countPaid();
      }
      const settleMs = performance.now() - loadEnd;
      const { rows: settled } = await su.query<{ exact: string; review: string }>(
        `SELECT count(*) FILTER (WHERE i.status = 'paid' AND i."amountPaid" = i.total) AS exact, count(*) FILTER (WHERE p."flaggedAt" IS NOT NULL) AS review
       FROM "Payment" p JOIN "RentInvoice" i ON i.id = p."rentInvoiceId" WHERE p.md5 = ANY($1)`,
        [md5s],
      );
      const exact = Number(settled[0]!.exact);
      const settledNote = `, ${paid}/${pending.length} settled ${paid === pending.length ? `within ${(settleMs / 1000).toFixed(1)} s of the last answer` : "after 120 s"}, ${exact} invoices paid exactly`;
      console.log(`${rate(real).toFixed(0)} req/s, p99 ${real.latency.p99} ms${settledNote}`);
      callbackRow(
        "Bakong callback, real settlements, 32 concurrent",
        real,
        0.25,
        settledNote,
        paid === pending.length && exact === pending.length,
      );
      if (paid !== pending.length || exact !== pending.length)
        notes.push(
          `real settlements: ${paid} of ${pending.length} payments settled, ${exact} invoices paid exactly once (${settled[0]!.review} flagged)`,
        );

      await new Promise<void>((r) => bare.close(() => r()));
      await barePool.end();
    }
    await bakong.close();
    await stub.close();
    if (sampler) clearInterval(sampler);
    peakRss = Math.max(peakRss, rssOf(pid));
    const mb = peakRss / 1024 / 1024;
    rows.push({
      benchmark: "server RSS, peak through the HTTP benches",
      app: `${mb.toFixed(0)} MB`,
      baseline: "—",
      ratio: NaN,
      goal: "≤ 600 MB",
      ok: mb <= 600,
    });
  } finally {
    if (sampler) clearInterval(sampler);
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    lock?.stdin!.end();
    await su.end();
  }
}
