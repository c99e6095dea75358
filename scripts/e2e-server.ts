// The e2e web server: a fresh embedded PostgreSQL (migrated + seeded with the demo data), the
// Resend/Inngest vendor stub, and the production build under server.mjs (`npm start`) configured like
// production (NODE_ENV=production, real SDKs pointed at the stub). Playwright starts and stops it.
import { spawn } from "node:child_process";
import path from "node:path";
import { APP_ROLE, startEmbeddedPostgres, findFreePort } from "./db/embedded";
import { prepareDatabase } from "./prepare-db";
import { serverNodeArgs } from "./lib/server-node-args.mjs";
import { startVendorStub } from "../server/testing/stubs";
import {
  E2E_ADMIN_TOTP_SECRET,
  E2E_BAKONG_ACCOUNT,
  E2E_BAKONG_CALLBACK_SECRET,
  E2E_BAKONG_PORT,
  E2E_RESEND_WEBHOOK_SECRET,
  E2E_TELEGRAM_PAY_TOKEN,
  E2E_TELEGRAM_PORT,
  E2E_TELEGRAM_WEBHOOK_SECRET,
} from "../e2e/fixtures/constants";
import { startFakeBakong } from "../server/testing/fake-bakong";
import { startSentrySink } from "../server/testing/sentry-sink";
import { FAKE_TELEGRAM_BOT_USERNAME, startFakeTelegram } from "../server/testing/fake-telegram";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3100);
const stubPort = Number(process.env.E2E_STUB_PORT ?? 3199);
const AUTH_SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456789";

async function main() {
  const pg = await startEmbeddedPostgres({ dataDir: "", port: await findFreePort(), persistent: false });
  await prepareDatabase(pg.migrationUrl, APP_ROLE);
  const stub = await startVendorStub(stubPort);
  const bakong = await startFakeBakong({ port: Number(process.env.E2E_BAKONG_PORT ?? E2E_BAKONG_PORT) });
  // Telegram is on (docs/TELEGRAM.md): the fake Bot API records what the bot sends (GET /__fake/messages,
  // read by e2e/fixtures/helpers.ts telegramMessages); specs post updates to /api/webhooks/telegram as Telegram would
  const telegram = await startFakeTelegram({ port: Number(process.env.E2E_TELEGRAM_PORT ?? E2E_TELEGRAM_PORT) });

  process.env.DATABASE_URL = pg.appUrl;
  // the same secret as the server's: it encrypts the seeded admin's TOTP secret
  process.env.AUTH_SECRET = AUTH_SECRET;
  const { seed } = await import("../prisma/seed");
  const { getDb } = await import("../server/db/client");
  await seed();
  // e2e-only fixture: a suspended workspace
  const { addMember, createTenant, createUser, enrolTotp, tenantBySlug, issueRenewalInvoice } = await import("../server/testing/factories");
  await createTenant({ slug: "frozen", name: "Frozen Rentals", status: "suspended", password: "phteah-demo-2026" });
  // e2e-only billing fixtures: a Starter trial that upgrades, and a Pro workspace suspended for an unpaid renewal
  const DAY = 86_400_000;
  const now = Date.now();
  await createTenant({
    slug: "trialco",
    name: "Trial Co Rentals",
    password: "phteah-demo-2026",
    subscription: { plan: "starter", status: "trialing", periodStart: new Date(now - 3 * DAY), periodEnd: new Date(now + 11 * DAY) },
  });
  const lapsed = await createTenant({
    slug: "lapsed",
    name: "Lapsed Lodging",
    password: "phteah-demo-2026",
    subscription: {
      plan: "pro",
      status: "suspended",
      periodStart: new Date(now - 40 * DAY),
      periodEnd: new Date(now - 10 * DAY),
      graceEndsAt: new Date(now - 3 * DAY),
      suspendedAt: new Date(now - 3 * DAY),
    },
  });
  await issueRenewalInvoice(lapsed.tenantId, new Date(now - 17 * DAY));
  // e2e-only fixture: a platform admin already enrolled in 2FA with a known secret
  // (admin@phteah.test stays un-enrolled for the enrolment test)
  const ops = await createUser({ email: "ops@phteah.test", name: "Ops Admin", password: "phteah-demo-2026", isPlatformAdmin: true });
  await enrolTotp(ops.id, E2E_ADMIN_TOTP_SECRET);
  // e2e-only fixture: a globex member that only the custom-role spec changes
  const globex = await tenantBySlug("globex");
  await addMember(globex, { email: "frontdesk@globex.test", name: "Globex Front Desk", password: "phteah-demo-2026", role: "viewer" });
  // e2e-only fixture: the account the throttling spec locks out for 15 minutes (nobody else signs in as it)
  await addMember(globex, { email: "throttled@globex.test", name: "Throttle Target", password: "phteah-demo-2026", role: "viewer" });
  // e2e-only fixture (slice Y): the renter pay page's workspaces and invoices, by fixed tokens
  await (await import("../server/testing/factories")).seedPayPageFixture();
  // e2e-only fixture for e2e/renter-portal-pages.spec.ts: a renter with invoices and receipts
  await (await import("../server/testing/portal-fixture")).seedRenterPortalPagesFixture();
  // e2e-only fixtures for e2e/rentals.spec.ts: an empty Pro workspace per viewport (desktop, phone),
  // each with its own Bakong account, so the rental flow starts from nothing and its figures are exact
  for (const slug of ["rentdesk", "rentphone"]) {
    const t = await createTenant({
      slug,
      name: `Rent ${slug.slice(4)} Co`,
      password: "phteah-demo-2026",
      subscription: { plan: "pro", status: "active" },
    });
    await getDb().tenant.update({ where: { id: t.tenantId }, data: { bakongAccountId: `${slug}@aclb` } });
  }
  // e2e-only fixtures for e2e/data-lifecycle.spec.ts (issue 14): workspaces of their own for the
  // Danger zone, renter erasure and account deletion, and owners who accepted an older terms version
  // (asked again after signing in), one per viewport
  {
    const rf = await import("../server/testing/rental-factories");
    const closing = await createTenant({ slug: "closeme", name: "Close Me Rentals", password: "phteah-demo-2026" });
    await addMember(closing, { email: "member@closeme.test", name: "Close Me Member", password: "phteah-demo-2026", role: "viewer" });
    const erasure = await createTenant({ slug: "erasure", name: "Erasure Rentals", password: "phteah-demo-2026" });
    await addMember(erasure, { email: "leaver@erasure.test", name: "Leaving Member", password: "phteah-demo-2026", role: "viewer" });
    const property = await rf.createProperty({ tenantId: erasure.tenantId, name: "Old Block" });
    const unit = await rf.createUnit({ tenantId: erasure.tenantId, propertyId: property.id, code: "A1" });
    const renter = await rf.createRenter({ tenantId: erasure.tenantId, nameLatin: "Chan Vibol", phone: "+85512345678" });
    // a contract that ended long past the financial retention period (RENTER_FINANCIAL_RETENTION_DAYS)
    const contract = await rf.createContract({
      tenantId: erasure.tenantId,
      unitId: unit.id,
      renterId: renter.id,
      status: "ended",
      startDate: "2012-01-01",
      endDate: "2012-12-31",
    });
    await rf.createRentInvoice({ tenantId: erasure.tenantId, contractId: contract.id, period: "2012-06", status: "issued" });
    for (const slug of ["reconsent", "reconsentphone"]) {
      const t = await createTenant({ slug, name: "Reconsent Rentals", password: "phteah-demo-2026" });
      await getDb().consentRecord.createMany({
        data: (["terms", "privacy"] as const).map((document) => ({ userId: t.owner.userId, document, version: "2025-01-01" })),
      });
    }
  }
  // e2e-only fixture for e2e/telegram-link.spec.ts: a renter without e-mail whose pay link offers the
  // Telegram link; a contract billed on the 1st since last month with last month's invoice issued, so
  // the manual invoice run issues this month's (sent to the linked chat)
  {
    const rf = await import("../server/testing/rental-factories");
    const tg = await createTenant({
      slug: "tgco",
      name: "Telegram Rentals",
      password: "phteah-demo-2026",
      subscription: { plan: "pro", status: "active" },
    });
    const property = await rf.createProperty({ tenantId: tg.tenantId, name: "Telegram House", type: "house" });
    const unit = await rf.createUnit({ tenantId: tg.tenantId, propertyId: property.id, code: "T1", currency: "USD" });
    const renter = await rf.createRenter({
      tenantId: tg.tenantId,
      nameKm: "សុខ ចាន់ធា",
      nameLatin: "Sok Chantha",
      phone: "+85511222333",
      email: null,
      locale: "km",
    });
    const phnomPenh = new Date(now + 7 * 3600_000);
    const lastMonth = new Date(Date.UTC(phnomPenh.getUTCFullYear(), phnomPenh.getUTCMonth() - 1, 1));
    const contract = await rf.createContract({
      tenantId: tg.tenantId,
      unitId: unit.id,
      renterId: renter.id,
      status: "active",
      startDate: lastMonth.toISOString().slice(0, 10),
      rentAmount: 20_000,
      currency: "USD",
      billingDay: 1,
    });
    await rf.createRentInvoice({
      tenantId: tg.tenantId,
      contractId: contract.id,
      period: lastMonth.toISOString().slice(0, 7),
      payToken: E2E_TELEGRAM_PAY_TOKEN,
    });
  }
  await getDb().$disconnect();

  const sentry = await startSentrySink(Number(process.env.E2E_SENTRY_PORT ?? port + 1));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    APP_ROOT_DOMAIN: "localhost",
    DATABASE_URL: pg.appUrl,
    AUTH_SECRET,
    RESEND_API_KEY: "re_e2e_stub",
    RESEND_BASE_URL: stub.url,
    RESEND_WEBHOOK_SECRET: E2E_RESEND_WEBHOOK_SECRET,
    INNGEST_EVENT_KEY: "e2e-event-key",
    INNGEST_SIGNING_KEY: "signkey-test-00000000000000000000000000000000",
    INNGEST_BASE_URL: stub.url,
    // signed like production: an INNGEST_DEV inherited from the shell would make the server refuse to start
    INNGEST_DEV: undefined,
    // the Inngest stub runs no cron, so no relay publishes the outbox here: readiness (/api/health) would
    // turn 503 once an event waits 10 minutes; the outbox backlog check is tested in tests/integration/readiness.test.ts
    HEALTH_OUTBOX_MAX_AGE_SECONDS: "86400",
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
    BAKONG_API_BASE_URL: bakong.url,
    BAKONG_API_TOKEN: bakong.token,
    BAKONG_CALLBACK_SECRET: E2E_BAKONG_CALLBACK_SECRET,
    BAKONG_ACCOUNT_ID: E2E_BAKONG_ACCOUNT,
    BAKONG_MERCHANT_NAME: "Phteah",
    BAKONG_MERCHANT_CITY: "Phnom Penh",
    BAKONG_SIMULATOR: "1",
    // errors of the server and of the pages go to a local Sentry (e2e/sentry.spec.ts reads it)
    SENTRY_DSN: `http://e2epublickey@127.0.0.1:${sentry.port}/1`,
    SENTRY_ENVIRONMENT: "e2e",
    SENTRY_DISABLED: undefined,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_BOT_USERNAME: FAKE_TELEGRAM_BOT_USERNAME,
    TELEGRAM_WEBHOOK_SECRET: E2E_TELEGRAM_WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: telegram.url,
  };
  // the production server (npm start). Playwright stands in for the reverse proxy in front of it:
  // from the loopback peer X-Forwarded-For is believed, so specs can give themselves client
  // addresses of their own (e2e/throttle.spec.ts); production trusts only TRUSTED_PROXIES.
  env.TRUSTED_PROXIES = "loopback";
  const next = spawn(process.execPath, [...serverNodeArgs(env), path.join(root, "server.mjs")], { stdio: "inherit", env, cwd: root });
  // once: a signal to the process group (bench/lighthouse.ts, Playwright) reaches this process and Next
  // both, and Next's exit asks again; a second close of the closed fakes rejected (ERR_SERVER_NOT_RUNNING,
  // unhandled) and ended this process before PostgreSQL was stopped
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      next.kill("SIGTERM");
      await stub.close();
      await sentry.close();
      await bakong.close();
      await telegram.close();
      await pg.stop();
      process.exit(0);
    })());
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  next.on("exit", () => void stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
