// Benchmark: memory of the streamed audit CSV export.
//
//   npx tsx --conditions=react-server bench/audit-export.ts      (npm run bench:audit-export)
//
// Starts a throwaway embedded PostgreSQL (like tests/setup/global-db.ts), migrates it, creates
// one tenant and inserts 100,000 audit rows for it with one INSERT … SELECT generate_series
// (as the superuser / migration URL). 1,000 of them fall on 2026-01-01 in Phnom Penh time, so
// the same tenant and the same query give the 1k baseline (a one-day filter). It then fully
// consumes the tenant CSV stream (AuditService.streamCsv through the same byte stream the
// route handler returns, as the app role under row-level security) for 1k rows and for 100k
// rows, and, as a reference, a naive export (findMany of every row, then one CSV string),
// sampling heap and RSS while each runs. Prints a table with peak growth, ratios and times.
// Figures, not assertions: nothing here fails on a number.
import v8 from "node:v8";
import vm from "node:vm";
import pg from "pg";
import { APP_ROLE, findFreePort, startEmbeddedPostgres } from "../scripts/db/embedded";
import { prepareDatabase } from "../scripts/prepare-db";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const ROWS = 100_000;
const MB = 1024 * 1024;

interface Result {
  label: string;
  rows: number;
  bytes: number;
  ms: number;
  heap: number;
  rss: number;
  liveHeap: number;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Probe = { sample: () => void; checkpoint: () => void };

/**
 * Runs `fn` twice while sampling memory; growth = peak during the run − the level just before it.
 * Pass 1 lets V8 collect when it likes: its peak includes garbage not yet collected (what the
 * process really reaches). Pass 2 forces a full GC at each checkpoint (after every chunk, or after
 * each step of the naive export) and samples then: the peak of what is actually retained.
 */
async function measure(label: string, fn: (probe: Probe) => Promise<{ rows: number; bytes: number }>): Promise<Result> {
  const once = async (forceGc: boolean) => {
    await settle();
    const base = process.memoryUsage();
    let heap = base.heapUsed;
    let rss = base.rss;
    const sample = () => {
      const m = process.memoryUsage();
      if (m.heapUsed > heap) heap = m.heapUsed;
      if (m.rss > rss) rss = m.rss;
    };
    const checkpoint = () => {
      if (forceGc) gc();
      sample();
    };
    const timer = forceGc ? undefined : setInterval(sample, 2);
    const t0 = performance.now();
    const out = await fn(forceGc ? { sample: () => undefined, checkpoint } : { sample, checkpoint: sample });
    const ms = performance.now() - t0;
    clearInterval(timer);
    checkpoint();
    return { ...out, ms, heap: heap - base.heapUsed, rss: rss - base.rss };
  };
  const natural = await once(false);
  const live = await once(true);
  return { label, rows: natural.rows, bytes: natural.bytes, ms: natural.ms, heap: natural.heap, rss: natural.rss, liveHeap: live.heap };
}

/** Reads a byte stream to the end, counting bytes and records (LF bytes minus the header line). */
async function drain(stream: ReadableStream<Uint8Array>, probe: Probe): Promise<{ rows: number; bytes: number }> {
  const reader = stream.getReader();
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
    probe.sample();
    probe.checkpoint();
  }
  return { rows: lines - 1, bytes };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const db = await startEmbeddedPostgres({ dataDir: "", port: await findFreePort(), persistent: false });
  try {
    await prepareDatabase(db.migrationUrl, APP_ROLE);
    process.env.DATABASE_URL = db.appUrl;
    process.env.LOG_LEVEL ??= "warn";
    const { createTenant } = await import("../server/testing/factories");
    const { findTenantBySlug } = await import("../server/core/host-scope");
    const { buildTenantContext } = await import("../server/core/tenant-context");
    const { AuditService } = await import("../server/audit/audit-service");
    const { auditCsvHeader, toByteStream } = await import("../server/audit/audit-query");
    const { csvLine } = await import("../lib/csv");
    const { auditFiltersSchema } = await import("../lib/schemas/audit");
    const { getDb } = await import("../server/db/client");

    const tenant = await createTenant({ slug: "bench" });
    const insert = new pg.Client({ connectionString: db.migrationUrl });
    await insert.connect();
    const tInsert = Date.now();
    // 86.4 s apart from 2026-01-01 00:00 in Phnom Penh (UTC+7): exactly 1,000 rows per local day
    await insert.query(
      `INSERT INTO "AuditLog" ("id", "tenantId", "actorUserId", "actorEmail", "action", "targetType", "targetId", "ip", "userAgent", "requestId", "metadata", "createdAt")
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3,
              (ARRAY['membership.role_changed', 'membership.status_changed', 'invitation.created', 'auth.login.succeeded'])[1 + i % 4],
              'membership', 'm-' || i, '10.0.' || (i % 250) || '.' || (i % 200), 'Mozilla/5.0 (X11; Linux x86_64) bench',
              gen_random_uuid()::text,
              jsonb_build_object('before', jsonb_build_object('role', 'viewer'), 'after', jsonb_build_object('role', 'manager'),
                                 'note', 'row ' || i || ', with "quotes", a comma and ផ្ទះ'),
              timestamp '2025-12-31 17:00:00' + i * interval '86.4 seconds'
       FROM generate_series(0, $4::int - 1) AS i`,
      [tenant.tenantId, tenant.owner.userId, tenant.owner.email, ROWS],
    );
    await insert.query(`ANALYZE "AuditLog"`);
    await insert.end();
    const insertMs = Date.now() - tInsert;

    const summary = await findTenantBySlug("bench");
    const ctx = await buildTenantContext(
      summary!,
      {
        userId: tenant.owner.userId,
        sessionId: "00000000-0000-0000-0000-000000000000",
        email: tenant.owner.email,
        name: "bench",
        locale: null,
        isPlatformAdmin: false,
        mfaVerified: false,
        impersonatorUserId: null,
      },
      { ip: null, userAgent: "bench", requestId: null },
    );
    const service = new AuditService(ctx!);
    const oneDay = auditFiltersSchema.parse({ from: "2026-01-01", to: "2026-01-01" });
    const everything = auditFiltersSchema.parse({});

    // warm-up: connection pool, query plans, JIT of the CSV code
    await drain(toByteStream(service.streamCsv(oneDay)), { sample: () => undefined, checkpoint: () => undefined });

    const results: Result[] = [];
    results.push(await measure("stream 1k (baseline)", (s) => drain(toByteStream(service.streamCsv(oneDay)), s)));
    results.push(await measure("stream 100k", (s) => drain(toByteStream(service.streamCsv(everything)), s)));
    results.push(
      await measure("naive findMany 100k + CSV string", async (p) => {
        const rows = await ctx!.db.run((tx) => tx.auditLog.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }] }), {
          timeout: 120_000,
        });
        p.checkpoint();
        let text = auditCsvHeader(false);
        for (const r of rows) {
          text += csvLine([
            r.createdAt.toISOString(),
            r.actorEmail,
            r.impersonatorUserId,
            r.action,
            r.targetType,
            r.targetId,
            r.ip,
            r.requestId,
            r.metadata === null ? null : JSON.stringify(r.metadata),
          ]);
        }
        p.checkpoint();
        return { rows: rows.length, bytes: Buffer.byteLength(text) };
      }),
    );

    const [small, big, naive] = results as [Result, Result, Result];
    const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
    const ratio = (x: number, y: number) => (y > 0 ? `${(x / y).toFixed(1)}×` : "n/a");
    console.log(
      `\nAudit CSV export — ${ROWS.toLocaleString("en")} rows inserted in ${insertMs} ms (one INSERT … SELECT generate_series)\n`,
    );
    console.table(
      results.map((r) => ({
        run: r.label,
        rows: r.rows,
        "CSV size": mb(r.bytes),
        "peak heap growth": mb(r.heap),
        "peak live heap growth": mb(r.liveHeap),
        "peak RSS growth": mb(r.rss),
        "time (ms)": Math.round(r.ms),
        "rows/s": Math.round(r.rows / (r.ms / 1000)),
      })),
    );
    console.log(
      `stream 100k vs 1k:     live heap ${ratio(big.liveHeap, small.liveHeap)}, heap ${ratio(big.heap, small.heap)}, RSS ${ratio(big.rss, small.rss)} for ${ratio(big.rows, small.rows)} the rows`,
    );
    console.log(
      `naive vs stream 100k:  live heap ${ratio(naive.liveHeap, big.liveHeap)}, heap ${ratio(naive.heap, big.heap)}, RSS ${ratio(naive.rss, big.rss)}`,
    );
    console.log("heap = peak sampled while V8 collects on its own (includes garbage); live heap = peak after forced full GCs.");
    console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    await getDb().$disconnect();
  } finally {
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
