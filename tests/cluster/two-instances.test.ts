// Issue 16, "several instances": two production servers (`node server.mjs` on the build in .next/,
// A and B) on one PostgreSQL, each with its own in-process job scheduler, sharing one S3 bucket
// (s3rver), the Resend/Inngest stub (behind a proxy that counts every request) and the fake Bakong.
// Over real HTTP it proves that sessions, throttling, Bakong callbacks, the outbox and message
// delivery, the monthly invoice run, the scheduled jobs and uploaded files stay correct when the
// requests are split across both. `npm run test:cluster` (after `npm run build`); docs/TESTING.md.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalS3, type LocalS3 } from "../integration/support/s3";
import {
  closeAgent,
  cookiesOf,
  multipart,
  request,
  startAppServer,
  startCountingProxy,
  waitFor,
  type AppServer,
  type CountingProxy,
  type Res,
} from "./support/cluster";

const AUTH_SECRET = "cluster-secret-cluster-secret-cluster-0123456789";
const CALLBACK_SECRET = "cluster-bakong-callback-secret-0123456789abcdef";
const PASSWORD = "phteah-cluster-2026";
const BUCKET = "phteah-cluster";

// the steps' figures, printed as a table at the end (for docs/OPERATIONS.md, "Scale-out")
const figures: { step: string; ms: number; counts: string }[] = [];
async function step<T>(name: string, fn: () => Promise<{ result: T; counts: string }>): Promise<T> {
  const t0 = performance.now();
  const { result, counts } = await fn();
  figures.push({ step: name, ms: Math.round(performance.now() - t0), counts });
  return result;
}

let su: pg.Client;
let s3: LocalS3 | undefined;
let proxy: CountingProxy | undefined;
let stub: { url: string; close(): Promise<void> } | undefined;
let bakong: { url: string; token: string; close(): Promise<void> } | undefined;
let A: AppServer | undefined;
let B: AppServer | undefined;
const startedAt = performance.now();

let slug = "";
let host = "";
let tenantId = "";
let ownerEmail = "";
let throttledEmail = "";
let adminEmail = "";
let adminSecret = "";
let propertyId = "";
const contractIds: string[] = [];
let renewalInvoiceId = "";

let ipN = 0;
/** a fresh client address per request (the servers believe X-Forwarded-For from the loopback peer, as behind a proxy) */
const ip = () => `10.16.${(ipN >> 8) & 255}.${ipN++ & 255}`;

const json = (server: AppServer, h: string, pathname: string, body: unknown, cookie?: string): Promise<Res> =>
  request(
    server.port,
    "POST",
    h,
    pathname,
    {
      "content-type": "application/json",
      origin: `http://${h}:${server.port}`,
      "x-forwarded-for": ip(),
      ...(cookie ? { cookie } : {}),
    },
    JSON.stringify(body),
  );

const login = (server: AppServer, h: string, email: string, password: string) => json(server, h, "/api/session/login", { email, password });

/** A tRPC mutation over HTTP (superjson envelope), as the browser's client sends it. */
async function mutate(
  server: AppServer,
  h: string,
  cookie: string,
  procedure: string,
  input: unknown,
): Promise<{ status: number; data: unknown; body: string }> {
  const res = await json(server, h, `/api/trpc/${procedure}`, { json: input }, cookie);
  let data: unknown = null;
  try {
    data = (JSON.parse(res.body) as { result?: { data?: { json?: unknown } } }).result?.data?.json ?? null;
  } catch {
    // not JSON: the status tells
  }
  return { status: res.status, data, body: res.body };
}

const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await su.query<T>(sql, params)).rows;

beforeAll(async () => {
  su = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await su.connect();
  // the servers' secrets in this process too: the factories encrypt the admin's TOTP secret with AUTH_SECRET
  process.env.AUTH_SECRET = AUTH_SECRET;

  const { startVendorStub } = await import("@/server/testing/stubs");
  const { startFakeBakong } = await import("@/server/testing/fake-bakong");
  [s3, stub, bakong] = await Promise.all([startLocalS3([BUCKET]), startVendorStub(0), startFakeBakong({ port: 0 })]);
  proxy = await startCountingProxy(stub.url);

  // the workspace, its members, a platform admin with 2FA, three active contracts for the monthly run,
  // and an open subscription renewal invoice for the Bakong payment
  const f = await import("@/server/testing/factories");
  const { newTotpSecret } = await import("@/server/auth/totp");
  const DAY = 86_400_000;
  const now = Date.now();
  slug = f.uniqueSlug("cluster");
  host = `${slug}.localhost`;
  const t = await f.createTenant({
    slug,
    password: PASSWORD,
    subscription: { plan: "pro", status: "active", periodStart: new Date(now - 25 * DAY), periodEnd: new Date(now + 5 * DAY) },
  });
  tenantId = t.tenantId;
  ownerEmail = t.owner.email;
  throttledEmail = `throttled@${slug}.test`;
  await f.addMember(t, { email: throttledEmail, name: "Throttle Target", password: PASSWORD, role: "viewer" });
  adminEmail = `ops-${slug}@phteah.test`;
  adminSecret = newTotpSecret();
  const admin = await f.createUser({ email: adminEmail, name: "Cluster Ops", password: PASSWORD, isPlatformAdmin: true });
  await f.enrolTotp(admin.id, adminSecret);
  propertyId = (await f.createProperty({ tenantId })).id;
  for (let i = 0; i < 3; i++) contractIds.push((await f.createContract({ tenantId, propertyId, status: "active", billingDay: 1 })).id);
  const invoice = await f.issueRenewalInvoice(tenantId);
  if (!invoice) throw new Error("no renewal invoice");
  renewalInvoiceId = invoice.id;
  const { getDb } = await import("@/server/db/client");
  await getDb().$disconnect();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    APP_ROOT_DOMAIN: "localhost",
    DATABASE_URL: process.env.DATABASE_URL,
    AUTH_SECRET,
    RESEND_API_KEY: "re_cluster_stub",
    RESEND_BASE_URL: proxy.url,
    RESEND_WEBHOOK_SECRET: "whsec_" + Buffer.from("cluster-resend-webhook-secret-0123456789").toString("base64"),
    INNGEST_EVENT_KEY: "cluster-event-key",
    INNGEST_SIGNING_KEY: "signkey-test-00000000000000000000000000000000",
    INNGEST_BASE_URL: proxy.url,
    INNGEST_DEV: undefined,
    // the outbox is published to the (stub) Inngest event API, but the cron jobs run in each
    // instance's own scheduler, ticking every second: what a due job needs to show up within the test
    JOB_SCHEDULER: "in-process",
    JOB_SCHEDULER_TICK_MS: "1000",
    APP_INSTANCES: "2",
    HEALTH_OUTBOX_MAX_AGE_SECONDS: "86400",
    LOG_LEVEL: "info",
    SENTRY_DISABLED: "1",
    SENTRY_DSN: undefined,
    BAKONG_API_BASE_URL: bakong.url,
    BAKONG_API_TOKEN: bakong.token,
    BAKONG_CALLBACK_SECRET: CALLBACK_SECRET,
    BAKONG_ACCOUNT_ID: "phteah@aclb",
    BAKONG_MERCHANT_NAME: "Phteah",
    BAKONG_MERCHANT_CITY: "Phnom Penh",
    BAKONG_SIMULATOR: "1",
    TRUSTED_PROXIES: "loopback",
    FILE_STORAGE_DIR: undefined,
    ...s3.env(BUCKET),
  };
  for (const key of Object.keys(env)) if (key.startsWith("FAKETIME") || key === "LD_PRELOAD") delete env[key];
  await step("start two servers", async () => {
    // both started even when one fails, so afterAll stops whichever did start
    const [a, b] = await Promise.allSettled([startAppServer("A", env), startAppServer("B", env)]);
    if (a.status === "fulfilled") A = a.value;
    if (b.status === "fulfilled") B = b.value;
    for (const r of [a, b]) if (r.status === "rejected") throw r.reason;
    if (!A || !B) throw new Error("unreachable");
    return { result: null, counts: `ports ${A.port}, ${B.port}` };
  });
});

let failed = false;
afterEach((ctx) => {
  if (ctx.task.result?.state === "fail") failed = true;
});

afterAll(async () => {
  // a failed step: the servers' warnings and errors help to see why
  if (failed)
    for (const srv of [A, B])
      if (srv)
        console.log(
          `--- server ${srv.name}\n${srv
            .output()
            .split("\n")
            .filter((l) => /"level":(40|50|60)|error/i.test(l))
            .slice(-40)
            .join("\n")}`,
        );
  await Promise.allSettled([A?.stop(), B?.stop()]);
  closeAgent();
  await Promise.allSettled([s3?.stop(), proxy?.close(), stub?.close(), bakong?.close()]);
  await su?.end();
  figures.push({ step: "total (with start and stop)", ms: Math.round(performance.now() - startedAt), counts: "" });
  const w = Math.max(...figures.map((f) => f.step.length));
  console.log(
    ["", "two-instance test (A and B on one database)", `${"step".padEnd(w)}  time      counts`]
      .concat(figures.map((f) => `${f.step.padEnd(w)}  ${`${(f.ms / 1000).toFixed(2)} s`.padEnd(8)}  ${f.counts}`))
      .join("\n"),
  );
});

describe("two app instances on one database", () => {
  it("both are up, each with its own in-process scheduler", () => {
    for (const s of [A!, B!]) expect(s.output(), s.name).toContain("in-process job scheduler started");
  });

  it("(1) a session signed in on A works on B, and signing out on B ends it on A", async () => {
    await step("sessions", async () => {
      const res = await login(A!, host, ownerEmail, PASSWORD);
      expect(res.status, res.body).toBe(200);
      const cookie = cookiesOf(res);
      expect(cookie).not.toBe("");
      // the workspace home: a page that needs a signed-in member
      const pageOn = (s: AppServer) => request(s.port, "GET", host, "/", { cookie });
      expect((await pageOn(A!)).status).toBe(200);
      expect((await pageOn(B!)).status).toBe(200);
      const out = await json(B!, host, "/api/session/logout", {}, cookie);
      expect(out.status, out.body).toBe(200);
      // the old cookie, replayed on A (a browser tab there): the session row is revoked, and A's
      // request-context cache drops its copy when PostgreSQL's NOTIFY of the change reaches it
      // (server/core/context-cache.ts: "within the notification's delivery time"), so A refuses it
      // at once or within a moment, never after the cache's 60 s safety TTL
      const t0 = performance.now();
      const after = await waitFor(
        "A to refuse the signed-out session",
        async () => {
          const r = await pageOn(A!);
          return r.status !== 200 ? r : null;
        },
        3_000,
      );
      const refusedMs = Math.round(performance.now() - t0);
      expect([302, 303, 307], `${after.status}`).toContain(after.status);
      expect(String(after.headers.location ?? "")).toContain("/login");
      return { result: null, counts: `login A, page A 200, page B 200, logout B, page A → /login (after ${refusedMs} ms)` };
    });
  });

  it("(2) failed logins split across A and B lock the account at the same count as one instance", async () => {
    await step("throttling", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await login(i % 2 ? B! : A!, host, throttledEmail, "wrong-password")).status);
      // AUTH_FAILURE_RULE: 5 failures per account and 15 minutes, wherever they land
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      // the right password is refused too now, on both
      expect((await login(A!, host, throttledEmail, PASSWORD)).status).toBe(429);
      expect((await login(B!, host, throttledEmail, PASSWORD)).status).toBe(429);
      // a burst of 20 parallel guesses for a fresh account, 10 on each: at most 5 reach the password check
      const f = await import("@/server/testing/factories");
      const burstEmail = `burst@${slug}.test`;
      await f.addMember(await f.tenantBySlug(slug), { email: burstEmail, name: "Burst", password: PASSWORD, role: "viewer" });
      const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => login(i % 2 ? B! : A!, host, burstEmail, "wrong-password")));
      const counts = { 401: burst.filter((r) => r.status === 401).length, 429: burst.filter((r) => r.status === 429).length };
      expect(counts[401] + counts[429]).toBe(20);
      expect(counts[401]).toBe(5);
      return { result: null, counts: `sequential A/B: ${statuses.join(" ")}; burst of 20 (10+10): ${counts[401]}×401, ${counts[429]}×429` };
    });
  });

  it("(3) 100 concurrent duplicate Bakong callbacks, 50 on A and 50 on B, settle the payment once", async () => {
    await step("Bakong callbacks", async () => {
      const cookie = cookiesOf(await login(A!, host, ownerEmail, PASSWORD));
      const checkout = await mutate(A!, host, cookie, "billing.checkout", { invoiceId: renewalInvoiceId });
      expect(checkout.status, checkout.body).toBe(200);
      const paymentId = (checkout.data as { paymentId: string }).paymentId;
      const [payment] = await q<{ md5: string; amount: number; currency: string; receivingAccount: string }>(
        `SELECT md5, amount, currency, "receivingAccount" FROM "Payment" WHERE id = $1`,
        [paymentId],
      );
      const { signBakongCallback, BAKONG_HEADERS } = await import("@/server/payments/bakong-signature");
      const now = Date.now();
      const raw = JSON.stringify({
        eventId: `evt-${randomUUID()}`,
        md5: payment!.md5,
        transaction: {
          hash: randomBytes(32).toString("hex"),
          fromAccountId: "payer@aclb",
          toAccountId: payment!.receivingAccount,
          currency: payment!.currency,
          amount: payment!.currency === "KHR" ? payment!.amount : payment!.amount / 100,
          description: null,
          createdDateMs: now,
          acknowledgedDateMs: now,
          externalRef: `REF${randomBytes(4).toString("hex")}`,
        },
      });
      const ts = Math.floor(now / 1000);
      const headers = {
        "content-type": "application/json",
        [BAKONG_HEADERS.timestamp]: String(ts),
        [BAKONG_HEADERS.signature]: signBakongCallback(CALLBACK_SECRET, raw, ts),
      };
      const t0 = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          request((i % 2 ? B! : A!).port, "POST", "localhost", "/api/webhooks/bakong", { ...headers, "x-forwarded-for": ip() }, raw),
        ),
      );
      const answeredMs = Math.round(performance.now() - t0);
      expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      // settled, and every stored delivery handled by whichever worker (A's or B's) took it
      await waitFor("the payment settled and its callbacks handled", async () => {
        const [row] = await q<{ status: string; open: number }>(
          `SELECT status, (SELECT count(*)::int FROM "WebhookEvent" WHERE "paymentId" = $1 AND status = 'received') AS open
           FROM "Payment" WHERE id = $1`,
          [paymentId],
        );
        return row?.status === "paid" && row.open === 0 ? true : null;
      });
      const payments = await q<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM "Payment" WHERE "subscriptionInvoiceId" = $1 GROUP BY status`,
        [renewalInvoiceId],
      );
      expect(payments).toEqual([{ status: "paid", n: 1 }]);
      const [inv] = await q<{ status: string }>(`SELECT status FROM "SubscriptionInvoice" WHERE id = $1`, [renewalInvoiceId]);
      expect(inv!.status).toBe("paid");
      const [trail] = await q<{ succeeded: number; audit: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM "OutboxEvent" WHERE "tenantId" = $1 AND name = 'billing/payment.succeeded') AS succeeded,
                (SELECT count(*)::int FROM "AuditLog" WHERE "tenantId" = $1 AND action = 'billing.payment.succeeded') AS audit,
                (SELECT count(*)::int FROM "WebhookEvent" WHERE "paymentId" = $2) AS events`,
        [tenantId, paymentId],
      );
      expect(trail).toMatchObject({ succeeded: 1, audit: 1 });
      return {
        result: null,
        counts: `100 answered 200 in ${answeredMs} ms; 1 Payment (paid), invoice paid, 1 payment.succeeded event, 1 audit row, ${trail!.events} stored callback row(s)`,
      };
    });
  });
  it("(4) queued messages and outbox events are delivered exactly once while both instances run their delivery loops", async () => {
    await step("outbox and messages", async () => {
      const { TenantDb } = await import("@/server/db/tenant-db");
      const { queueMessage } = await import("@/server/notifications/queue");
      const { MESSAGE_CATALOG } = await import("@/lib/notifications/catalog");
      const N = 40;
      const addresses = Array.from({ length: N }, (_, i) => `renter${i}-${slug}@example.com`);
      const ids = await new TenantDb(tenantId).run(async (tx) => {
        const out: string[] = [];
        for (const to of addresses)
          out.push(
            (
              await queueMessage(tx, {
                tenantId,
                key: "contract.expiring",
                to,
                locale: "en",
                variables: { ...MESSAGE_CATALOG["contract.expiring"].sample },
                dedupeKey: `cluster:${to}`,
              })
            ).id,
          );
        return out;
      });
      const events = await q<{ id: string }>(`SELECT id::text FROM "OutboxEvent" WHERE status = 'pending' AND "tenantId" = $1`, [tenantId]);
      expect(events.length).toBeGreaterThanOrEqual(N);
      // both instances' schedulers run message-retry and outbox-relay every minute; on top of that a
      // platform admin presses "Run now" for both jobs on A and on B at the same time, three times each
      const apex = "localhost";
      const signIn = await login(A!, apex, adminEmail, PASSWORD);
      expect(signIn.status, signIn.body).toBe(200);
      let cookie = cookiesOf(signIn);
      const { totpCode, totpStep } = await import("@/server/auth/totp");
      const mfa = await json(A!, apex, "/api/session/mfa-verify", { code: totpCode(adminSecret, totpStep(new Date())) }, cookie);
      expect(mfa.status, mfa.body).toBe(200);
      cookie = cookiesOf(mfa) || cookie;
      const runs = await Promise.all(
        [A!, B!, A!, B!, A!, B!].flatMap((s) => [
          mutate(s, apex, cookie, "admin.runJob", { id: "message-retry" }),
          mutate(s, apex, cookie, "admin.runJob", { id: "outbox-relay" }),
        ]),
      );
      expect(
        runs.filter((r) => r.status !== 200).map((r) => r.body),
        "every Run now answered",
      ).toEqual([]);
      await waitFor("every message sent", async () => {
        const rows = await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM "OutboundMessage" WHERE id = ANY($1::uuid[]) AND status <> 'queued' AND status <> 'sending'`,
          [ids],
        );
        return rows[0]!.n === N ? true : null;
      });
      await waitFor("every outbox event published", async () => {
        const rows = await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM "OutboxEvent" WHERE id = ANY($1::uuid[]) AND status = 'published'`,
          [events.map((e) => e.id)],
        );
        return rows[0]!.n === events.length ? true : null;
      });
      const statuses = await q<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM "OutboundMessage" WHERE id = ANY($1::uuid[]) GROUP BY status`,
        [ids],
      );
      expect(statuses).toEqual([{ status: "sent", n: N }]);
      // what reached the (stub) vendors: one e-mail request per message, one publish per outbox event
      const perAddress = new Map<string, number>();
      for (const r of proxy!.emailRequests) for (const to of r.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
      expect(addresses.map((a) => perAddress.get(a) ?? 0)).toEqual(addresses.map(() => 1));
      const perEvent = new Map<string, number>();
      for (const e of proxy!.eventRequests) if (e.id) perEvent.set(e.id, (perEvent.get(e.id) ?? 0) + 1);
      expect(events.map((e) => perEvent.get(e.id) ?? 0)).toEqual(events.map(() => 1));
      return {
        result: null,
        counts: `${N} messages → ${N} e-mail requests; ${events.length} outbox events → ${events.length} publishes; 12 concurrent Run now (6 on A, 6 on B)`,
      };
    });
  });

  it("(5) the monthly run started on A and B at once issues each contract's invoice once", async () => {
    await step("monthly run", async () => {
      const cookie = cookiesOf(await login(B!, host, ownerEmail, PASSWORD));
      // the cron run of every workspace falls due now too (its lease), next to four manual runs on each instance
      // (its own cron time, hourly, is kept: a run at that time, should the test cross it, is not this one)
      const natural = (await q<{ due: Date }>(`SELECT "nextDueAt" AS due FROM "JobLease" WHERE job = 'rent-invoice-run'`))[0]!.due;
      await su.query(`UPDATE "JobLease" SET "nextDueAt" = now() - interval '1 second' WHERE job = 'rent-invoice-run'`);
      const starts = await Promise.all(
        [A!, B!, A!, B!, A!, B!, A!, B!].map((s) => mutate(s, host, cookie, "rentInvoices.startRun", { propertyId })),
      );
      const started = starts.filter((r) => r.status === 200).length;
      const refused = starts.filter((r) => r.status === 409).length;
      expect(started + refused, starts.map((r) => `${r.status} ${r.body.slice(0, 200)}`).join("\n")).toBe(8);
      expect(started).toBeGreaterThanOrEqual(1);
      await waitFor("the runs finished", async () => {
        const running = await q<{ n: number }>(`SELECT count(*)::int AS n FROM "InvoiceRun" WHERE "tenantId" = $1 AND status = 'running'`, [
          tenantId,
        ]);
        const cron = await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM "JobRun" WHERE job = 'rent-invoice-run' AND trigger = 'schedule' AND status <> 'running'`,
        );
        return running[0]!.n === 0 && cron[0]!.n >= 1 ? true : null;
      });
      const invoices = await q<{ contractId: string; period: string; n: number }>(
        `SELECT "contractId"::text, period, count(*)::int AS n FROM "RentInvoice" WHERE "tenantId" = $1 AND status <> 'void' GROUP BY 1, 2`,
        [tenantId],
      );
      expect(new Set(invoices.map((i) => i.contractId))).toEqual(new Set(contractIds));
      expect(invoices.filter((i) => i.n !== 1)).toEqual([]);
      const numbers = await q<{ number: string }>(`SELECT number FROM "RentInvoice" WHERE "tenantId" = $1`, [tenantId]);
      expect(new Set(numbers.map((n) => n.number)).size).toBe(numbers.length);
      const cronRuns = await q<{ n: number }>(
        `SELECT count(*)::int AS n FROM "JobRun" WHERE job = 'rent-invoice-run' AND trigger = 'schedule' AND "startedAt" < $1`,
        [natural],
      );
      expect(cronRuns[0]!.n).toBe(1);
      return {
        result: null,
        counts: `8 manual starts (4 on A, 4 on B): ${started} ran, ${refused} refused as in progress; cron run 1×; ${invoices.length} invoices for ${contractIds.length} contracts, each once`,
      };
    });
  });

  it("(6) a scheduled job due now runs once across both instances", async () => {
    await step("scheduled jobs", async () => {
      // daily jobs (a run at their own cron time, should the test cross it, is told apart below)
      const jobs = ["contract-expiring", "cleanup", "workspace-deletion"];
      const mark = (await q<{ mark: Date }>(`SELECT now() AS mark`))[0]!.mark;
      const natural = await q<{ job: string; due: Date }>(`SELECT job, "nextDueAt" AS due FROM "JobLease" WHERE job = ANY($1)`, [jobs]);
      const firstCronTime = new Date(Math.min(...natural.map((n) => n.due.getTime())));
      await su.query(`UPDATE "JobLease" SET "nextDueAt" = now() - interval '1 second', attempts = 0 WHERE job = ANY($1)`, [jobs]);
      await waitFor("the due jobs ran", async () => {
        const rows = await q<{ n: number }>(
          `SELECT count(DISTINCT job)::int AS n FROM "JobRun" WHERE job = ANY($1) AND trigger = 'schedule' AND "startedAt" >= $2 AND status <> 'running'`,
          [jobs, mark],
        );
        // the run's row is finished before its lease is released (a second statement): wait for both
        const released = await q<{ n: number }>(`SELECT count(*)::int AS n FROM "JobLease" WHERE job = ANY($1) AND "leasedBy" IS NULL`, [
          jobs,
        ]);
        return rows[0]!.n === jobs.length && released[0]!.n === jobs.length ? true : null;
      });
      // a finished run released its lease with the next cron time: neither scheduler can claim it again before then
      const runs = await q<{ job: string; status: string; n: number }>(
        `SELECT job, status, count(*)::int AS n FROM "JobRun"
         WHERE job = ANY($1) AND trigger = 'schedule' AND "startedAt" >= $2 AND "startedAt" < $3 GROUP BY 1, 2 ORDER BY 1`,
        [jobs, mark, firstCronTime],
      );
      expect(runs).toEqual(jobs.toSorted().map((job) => ({ job, status: "succeeded", n: 1 })));
      const leases = await q<{ job: string; future: boolean; free: boolean }>(
        `SELECT job, "nextDueAt" > now() AS future, "leasedBy" IS NULL AS free FROM "JobLease" WHERE job = ANY($1) ORDER BY job`,
        [jobs],
      );
      expect(leases).toEqual(jobs.toSorted().map((job) => ({ job, future: true, free: true })));
      // and the every-minute jobs that fell due while the test ran: never twice for one minute
      const perMinute = await q<{ job: string; minute: string; n: number }>(
        `SELECT job, to_char(date_trunc('minute', "startedAt"), 'HH24:MI') AS minute, count(*)::int AS n FROM "JobRun"
         WHERE trigger = 'schedule' AND job IN ('outbox-relay', 'message-retry') GROUP BY 1, 2`,
      );
      expect(perMinute.filter((r) => r.n > 1)).toEqual([]);
      return {
        result: null,
        counts: `${jobs.length} jobs made due: each ran once; every-minute jobs: ${perMinute.length} due minutes, each once`,
      };
    });
  });

  it("(7) a file uploaded through A is served by B (private: only with the session; public: to anyone)", async () => {
    await step("files (S3)", async () => {
      const { SAMPLE_PDF, SAMPLE_PNG } = await import("@/server/testing/sample-files");
      const cookie = cookiesOf(await login(A!, host, ownerEmail, PASSWORD));
      const upload = async (purpose: string, name: string, type: string, bytes: Buffer) => {
        const form = multipart({ purpose }, { field: "file", name, type, bytes });
        const res = await request(
          A!.port,
          "POST",
          host,
          "/api/files",
          { cookie, origin: `http://${host}:${A!.port}`, "content-type": form.contentType, "x-forwarded-for": ip() },
          form.body,
        );
        expect(res.status, res.body).toBe(201);
        return (JSON.parse(res.body) as { id: string }).id;
      };
      const privateId = await upload("contract_scan", "lease.pdf", "application/pdf", SAMPLE_PDF);
      const publicId = await upload("property_photo", "front.png", "image/png", SAMPLE_PNG);
      // in the bucket, not on A's disk
      expect((await s3!.keys(BUCKET)).length).toBeGreaterThanOrEqual(2);

      const priv = await request(B!.port, "GET", host, `/files/${privateId}`, { cookie });
      expect(priv.status, priv.body.slice(0, 200)).toBe(200);
      expect(Buffer.from(priv.body, "latin1").equals(SAMPLE_PDF)).toBe(true);
      const anonymous = await request(B!.port, "GET", host, `/files/${privateId}`);
      expect(
        anonymous.status === 401 || anonymous.status === 404 || (anonymous.status >= 300 && anonymous.status < 400),
        `${anonymous.status}`,
      ).toBe(true);
      expect(anonymous.body).not.toContain("%PDF");
      const pub = await request(B!.port, "GET", host, `/files/public/${publicId}`);
      expect(pub.status).toBe(200);
      expect(pub.headers["content-type"]).toMatch(/^image\//);
      return {
        result: null,
        counts: `private PDF via A → B 200 with the session, ${anonymous.status} without; public image via A → B 200`,
      };
    });
  });
});
