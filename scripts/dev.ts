// `npm run dev`: the whole product on this machine.
//   1. PostgreSQL: DATABASE_URL if set, else an embedded PostgreSQL whose data lives in .data/postgres
//   2. migrations + grants + permission catalog, then the demo seed (never in production)
//   3. the Inngest dev server when it is installed (it cannot be downloaded here), else a plain note
//   4. `next dev` on PORT (default 3000), with the URLs and demo logins printed
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { APP_ROLE, startEmbeddedPostgres, type EmbeddedPostgres } from "./db/embedded";
import { prepareDatabase } from "./prepare-db";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data");
const port = Number(process.env.PORT ?? 3000);
const rootDomain = process.env.APP_ROOT_DOMAIN ?? "localhost";

function devSecret(): string {
  const file = path.join(dataDir, "dev-secrets.json");
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { authSecret: string }).authSecret;
  const authSecret = randomBytes(32).toString("base64url");
  writeFileSync(file, JSON.stringify({ authSecret }, null, 2), { mode: 0o600 });
  return authSecret;
}

function inngestCli(): string | null {
  const candidates = [process.env.INNGEST_CLI, path.join(root, "node_modules/.bin/inngest-cli"), "inngest-cli", "inngest"].filter(
    Boolean,
  ) as string[];
  for (const c of candidates) {
    const r = spawnSync(c, ["version"], { stdio: "ignore" });
    if (r.status === 0) return c;
  }
  return null;
}

async function main() {
  if (process.env.NODE_ENV === "production")
    throw new Error("npm run dev is for development; use `npm run build && npm start` in production.");
  let pg: EmbeddedPostgres | undefined;
  let appUrl = process.env.DATABASE_URL;
  if (!appUrl) {
    const pgPort = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
    console.log(`▸ starting embedded PostgreSQL (data in .data/postgres, port ${pgPort})`);
    pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: pgPort, persistent: true });
    const applied = await prepareDatabase(pg.migrationUrl, APP_ROLE);
    console.log(`▸ migrations: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
    appUrl = pg.appUrl;
  } else {
    const migrationUrl = process.env.DATABASE_MIGRATION_URL ?? appUrl;
    const appUser = decodeURIComponent(new URL(appUrl).username);
    const migUser = decodeURIComponent(new URL(migrationUrl).username);
    const applied = await prepareDatabase(migrationUrl, appUser !== migUser ? appUser : null);
    console.log(`▸ migrations: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
  }

  process.env.DATABASE_URL = appUrl;
  process.env.AUTH_SECRET ??= devSecret();
  process.env.APP_ROOT_DOMAIN = rootDomain;
  process.env.PORT = String(port);
  // the local Inngest dev server (no signature checks): development on this machine only; env.ts
  // refuses INNGEST_DEV in production, and a non-localhost APP_ROOT_DOMAIN needs a real BAKONG_CALLBACK_SECRET
  process.env.INNGEST_DEV ??= "1";

  // KHQR checkout needs a Bakong API: without one configured, the local fake Bakong runs in this
  // process, with "simulate payment" on the checkout so the whole flow works on a laptop
  let fakeBakong: { url: string; close(): Promise<void> } | undefined;
  if (!process.env.BAKONG_API_BASE_URL) {
    const { startFakeBakong } = await import("../server/testing/fake-bakong");
    const fake = await startFakeBakong({ port: Number(process.env.FAKE_BAKONG_PORT ?? 3198), token: "local-fake-bakong-token" });
    fakeBakong = fake;
    process.env.BAKONG_API_BASE_URL = fake.url;
    process.env.BAKONG_API_TOKEN ??= fake.token;
    process.env.BAKONG_SIMULATOR ??= "1";
    console.log(`▸ fake Bakong API on ${fake.url} (KHQR checkout shows "Simulate payment")`);
  }

  // Telegram: without a bot configured, the local fake Bot API runs in this process and the app's
  // webhook is set on it, so renter messages and the bot's answers are visible at its URL (docs/TELEGRAM.md)
  let fakeTelegram: { url: string; close(): Promise<void> } | undefined;
  if (!process.env.TELEGRAM_BOT_TOKEN) {
    const { startFakeTelegram, FAKE_TELEGRAM_BOT_USERNAME } = await import("../server/testing/fake-telegram");
    const fake = await startFakeTelegram({ port: Number(process.env.FAKE_TELEGRAM_PORT ?? 3199) });
    fakeTelegram = fake;
    process.env.TELEGRAM_BOT_TOKEN = fake.token;
    process.env.TELEGRAM_BOT_USERNAME = FAKE_TELEGRAM_BOT_USERNAME;
    process.env.TELEGRAM_WEBHOOK_SECRET ??= "local-fake-telegram-webhook-secret";
    process.env.TELEGRAM_API_ROOT = fake.url;
    await fetch(`${fake.url}/bot${fake.token}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `http://localhost:${port}/api/webhooks/telegram`, secret_token: process.env.TELEGRAM_WEBHOOK_SECRET }),
    });
    console.log(
      `▸ fake Telegram Bot API on ${fake.url}: messages sent to renters at ${fake.url}/ ; a renter writes to the bot with\n` +
        `  curl -X POST ${fake.url}/__fake/update -H 'content-type: application/json' -d '{"chatId":1000,"text":"/start <token>"}'`,
    );
  }

  const { seed, DEMO_LOGINS, DEMO_PASSWORD } = await import("../prisma/seed");
  await seed();
  const { getDb } = await import("../server/db/client");
  await getDb().$disconnect();

  const children: ChildProcess[] = [];
  const cli = inngestCli();
  if (cli) {
    console.log(`▸ Inngest dev server: ${cli} dev (UI on http://localhost:8288)`);
    children.push(spawn(cli, ["dev", "-u", `http://localhost:${port}/api/inngest`, "--no-discovery"], { stdio: "inherit" }));
  } else {
    // no Inngest server: the app runs the cron jobs itself (server/ops/scheduler.jobs.ts)
    process.env.JOB_SCHEDULER ??= "in-process";
    console.log(
      "▸ Inngest dev server: not available (inngest-cli is not installed and cannot be downloaded here).\n" +
        "  Scheduled jobs run in-process on their schedules; http://" +
        rootDomain +
        `:${port}/admin/jobs shows each job's last and next run ("Run now" runs one at once).\n` +
        "  With internet access, run `npx inngest-cli@latest dev -u http://localhost:" +
        port +
        "/api/inngest` in another terminal.",
    );
  }

  const origin = (host: string) => `http://${host}:${port}`;
  const hostFor = (h: string) => (h === "apex" ? rootDomain : `${h}.${rootDomain}`);
  console.log(`
  Phteah is starting on ${origin(rootDomain)}

  Marketing + sign-up   ${origin(rootDomain)}/signup
  Admin console         ${origin(rootDomain)}/admin
  Workspace acme        ${origin(`acme.${rootDomain}`)}
  Workspace globex      ${origin(`globex.${rootDomain}`)}
  Health                ${origin(rootDomain)}/api/health

  Demo logins (password: ${DEMO_PASSWORD})
${DEMO_LOGINS.map((l) => `    ${l.who.padEnd(16)} ${l.email.padEnd(22)} at ${origin(hostFor(l.host))}/login`).join("\n")}

  The admin console requires 2FA: the first admin sign-in enrols an authenticator app
  (no app at hand? \`npm run totp -- <secret shown on the page>\` prints the current code).
`);

  const next = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "dev", "-p", String(port)], {
    stdio: "inherit",
    env: process.env,
  });
  children.push(next);
  const stop = async (code: number) => {
    for (const c of children) if (!c.killed) c.kill("SIGTERM");
    await fakeBakong?.close().catch(() => undefined);
    await fakeTelegram?.close().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  next.on("exit", (code) => void stop(code ?? 0));
}

main().catch((error) => {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
