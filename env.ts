// The validated environment. Parsed once, on first use; `validateEnv()` runs at start-up
// (instrumentation.ts) so a misconfigured production server refuses to start with a clear list.
import { z } from "zod";
import { parseTrustedProxies } from "./server/core/client-address.mjs";

const optionalUrl = z
  .url()
  .optional()
  .or(z.literal("").transform(() => undefined));

/**
 * How long each kind of record is kept (docs/PRIVACY_RETENTION.md); applied daily by the cleanup
 * job (server/ops/cleanup.jobs.ts). Financial records (invoices, payments) are never removed by
 * retention. The minimums keep an operator from erasing what an investigation or a dispute needs.
 */
export const retentionSchema = z.object({
  /** audit log rows */
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(365).max(3650).default(730),
  /** outgoing messages (e-mail log, with their rendered subject) */
  RETENTION_MESSAGE_DAYS: z.coerce.number().int().min(90).max(3650).default(365),
  /** webhook callbacks that were accepted (signature valid) and processed */
  RETENTION_WEBHOOK_DAYS: z.coerce.number().int().min(90).max(3650).default(365),
  /** webhook callbacks refused for their signature */
  RETENTION_REJECTED_WEBHOOK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});
export type RetentionPolicy = z.infer<typeof retentionSchema>;

/** Workspace deletion and renter erasure (docs/PRIVACY_RETENTION.md). */
export const dataLifecycleSchema = z.object({
  /** days a workspace its owner deleted stays closed (and restorable) before every row and file of it is deleted */
  WORKSPACE_DELETION_GRACE_DAYS: z.coerce.number().int().min(7).max(365).default(30),
  /**
   * days after a renter's last contract ended before their personal data may be erased (on request or
   * by the retention job): invoices and payments are financial records the landlord must keep
   * (Cambodia's accounting law: 10 years), so the default is 3650
   */
  RENTER_FINANCIAL_RETENTION_DAYS: z.coerce.number().int().min(365).max(7300).default(3650),
});
export type DataLifecyclePolicy = z.infer<typeof dataLifecycleSchema>;

/** The daily backup job (server/ops/backup/backup.jobs.ts, docs/OPERATIONS.md). */
export const backupScheduleSchema = z.object({
  /** where the daily archives go (default .data/backups under the working directory) */
  BACKUP_DIR: z.string().trim().optional(),
  /** daily archives kept (the newest N) */
  BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(366).default(7),
  /** monthly archives kept: the first archive of each of the last M months (0: none beyond the daily ones) */
  BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).max(120).default(12),
});
export type BackupSchedule = z.infer<typeof backupScheduleSchema>;

const keptDataSchema = retentionSchema.extend(backupScheduleSchema.shape).extend(dataLifecycleSchema.shape);
const baseSchema = keptDataSchema.extend({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_ROOT_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, "must be a bare host name such as phteah.com (no scheme, no port)")
    .default("localhost"),
  /** Public port used when building links; empty when the site is served on 80/443. */
  APP_PUBLIC_PORT: z.string().regex(/^\d*$/).optional(),
  APP_PROTOCOL: z.enum(["http", "https"]).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional(),
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional(),
  /**
   * connections per server process (the Prisma pool). Unset: from DATABASE_POOL_BUDGET and APP_INSTANCES
   * (server/db/pool.ts), else 10. Keep instances × (this + 4) below PgBouncer's default_pool_size or
   * PostgreSQL's max_connections (docs/OPERATIONS.md).
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).optional(),
  /** server connections all app instances may use together: PgBouncer's default_pool_size, or max_connections minus a reserve */
  DATABASE_POOL_BUDGET: z.coerce.number().int().min(6).max(10_000).optional(),
  /** how many app instances share DATABASE_POOL_BUDGET (default 1) */
  APP_INSTANCES: z.coerce.number().int().min(1).max(1_000).default(1),
  /**
   * the request context cache (server/core/context-cache.ts): `on` (default) caches who is asking per
   * session, invalidated by the database's NOTIFY; `off` reads it on every request
   */
  REQUEST_CONTEXT_CACHE: z.enum(["on", "off"]).default("on"),
  /**
   * where the context cache LISTENs: a direct connection to PostgreSQL (not PgBouncer in transaction
   * mode, where LISTEN does not hold); default DATABASE_URL. Without working notifications the cache stays off.
   */
  DATABASE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional(),
  /** how long a query waits for a free pooled connection (or a new one) before the request gets a 503 */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** reverse proxies whose X-Forwarded-For is believed (server.mjs): addresses, CIDR ranges, `loopback`, `private` */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      }
    }),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SENTRY_DSN: optionalUrl,
  NEXT_PUBLIC_SENTRY_DSN: optionalUrl,
  SENTRY_ENVIRONMENT: z.string().optional(),
  /** "1" lets a production server start without SENTRY_DSN: error monitoring explicitly turned off */
  SENTRY_DISABLED: z.enum(["0", "1"]).optional(),
  /** "staging": the production build run as staging (banner, mail allow-list, no real Bakong); docs/OPERATIONS.md */
  APP_ENV: z.enum(["production", "staging"]).default("production"),
  /** staging only: addresses (ana@example.com) and domains (example.com or @example.com), comma-separated, that really get mail */
  STAGING_MAIL_ALLOWLIST: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      for (const entry of parseMailAllowList(value))
        if (!/^([^@\s,]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(entry))
          ctx.addIssue({ code: "custom", message: `"${entry}" is neither an e-mail address nor a domain` });
    }),
  /** OTLP/HTTP collector base URL (logs go to <url>/v1/logs); log shipping is off when unset */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: optionalUrl,
  /** signing secret of the Resend webhook (bounces, complaints, deliveries), as Resend shows it */
  RESEND_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "must look like whsec_<base64> (the webhook's signing secret in Resend)")
    .optional(),
  MAIL_FROM: z.string().default("Phteah <no-reply@phteah.local>"),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_BASE_URL: optionalUrl,
  /**
   * who runs the cron jobs: `auto` (default) = Inngest when configured (INNGEST_SIGNING_KEY, INNGEST_BASE_URL
   * or INNGEST_DEV), else this process's in-process scheduler (server/ops/scheduler.jobs.ts); `in-process`; `off`
   */
  JOB_SCHEDULER: z.enum(["auto", "in-process", "off"]).default("auto"),
  /** how often the in-process scheduler looks for due jobs (ms) */
  JOB_SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  BAKONG_API_BASE_URL: optionalUrl,
  BAKONG_API_TOKEN: z.string().optional(),
  BAKONG_CALLBACK_SECRET: z.string().optional(),
  BAKONG_ACCOUNT_ID: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+$/, "must look like name@bank")
    .max(32)
    .optional(),
  BAKONG_MERCHANT_NAME: z.string().max(25).optional(),
  BAKONG_MERCHANT_CITY: z.string().max(15).optional(),
  /** the developer e-mail the Bakong token was issued to; used by renew_token when the token expires */
  BAKONG_API_EMAIL: z.string().optional(),
  /** "1" shows the "simulate payment" button (local fake Bakong only; refused with a real Bakong URL in production) */
  BAKONG_SIMULATOR: z.enum(["0", "1"]).optional(),
  /** days a suspended subscription waits before it is canceled (nothing is deleted) */
  BILLING_CANCEL_AFTER_DAYS: z.coerce.number().int().min(1).max(3650).default(60),
  /**
   * where uploaded bytes (photos, logos, scans) live: `local` (default) = FILE_STORAGE_DIR on this
   * machine; `s3` = an S3-compatible bucket every instance shares (server/files/storage.ts)
   */
  FILE_STORAGE_DRIVER: z.enum(["local", "s3"], { message: 'must be "local" or "s3"' }).default("local"),
  /** the local driver's directory; default .data/files under the working directory */
  FILE_STORAGE_DIR: z.string().trim().optional(),
  /** the s3 driver's bucket (private: no public access, no ACLs needed) */
  S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens")
    .optional(),
  /** the bucket's region (AWS_REGION is read when unset; us-east-1 for an S3_ENDPOINT server that ignores regions) */
  S3_REGION: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,32}$/, "must be a region name such as ap-southeast-1")
    .optional(),
  /** an S3-compatible server (MinIO, Cloudflare R2, Backblaze B2); AWS S3 itself when unset */
  S3_ENDPOINT: optionalUrl,
  /** "1": the bucket goes in the path (http://host/bucket/key), as MinIO and most S3-compatible servers want */
  S3_FORCE_PATH_STYLE: z.enum(["0", "1", "true", "false"], { message: 'must be "1" or "0"' }).optional(),
  /** seals `npm run backup` archives (AES-256-GCM); a long random passphrase kept apart from the backups */
  BACKUP_ENCRYPTION_KEY: z.string().trim().min(16, "must be at least 16 characters (a long random passphrase)").optional(),
  /** the platform Telegram bot (docs/TELEGRAM.md); unset = Telegram is off */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, "must be a bot token from @BotFather (123456789:AA…)")
    .optional(),
  /** the bot's @username without the @: deep links are https://t.me/<username>?start=<token> */
  TELEGRAM_BOT_USERNAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "must be the bot's username without @ (5 to 32 letters, digits and _)")
    .optional(),
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook call (setWebhook secret_token) */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16 to 256 letters, digits, _ and - (openssl rand -hex 32)")
    .optional(),
  /** the Bot API server (default https://api.telegram.org); a local stub in development and tests */
  TELEGRAM_API_ROOT: optionalUrl,
  /**
   * The National Bank of Cambodia's daily exchange rate page (docs/CURRENCY.md): unset, the daily
   * rate job does nothing and rates are entered by staff only. `{date}` in it is replaced by the day.
   */
  NBC_RATE_URL: optionalUrl,
});

/** STAGING_MAIL_ALLOWLIST as lower-case entries: `a@b.com` (one address) or `b.com` (a domain; `@b.com` too). */
export function parseMailAllowList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
}

/** The production Bakong API (a staging server must use the fake or the sandbox, never this). */
export const PRODUCTION_BAKONG_HOST = "api-bakong.nbc.gov.kh";

export type Env = z.infer<typeof baseSchema> & { APP_PROTOCOL: "http" | "https" };

/**
 * The Bakong callback secret local runs fall back to. It is in the public source, so anyone can
 * sign a "payment received" callback with it: only a development or test server on localhost
 * may use it; production and any server on a real domain must set their own.
 */
export const LOCAL_BAKONG_CALLBACK_SECRET = "local-bakong-callback-secret-not-for-production";

/** Whether the server only answers on localhost (APP_ROOT_DOMAIN localhost or *.localhost) outside production. */
function isLocalOnly(env: Pick<z.infer<typeof baseSchema>, "NODE_ENV" | "APP_ROOT_DOMAIN">): boolean {
  return env.NODE_ENV !== "production" && (env.APP_ROOT_DOMAIN === "localhost" || env.APP_ROOT_DOMAIN.endsWith(".localhost"));
}

/** Whether the Bakong callbacks are checked with the public local secret (a localhost development/test server without its own). */
export function usesLocalBakongSecret(env: Pick<Env, "NODE_ENV" | "APP_ROOT_DOMAIN" | "BAKONG_CALLBACK_SECRET">): boolean {
  return !env.BAKONG_CALLBACK_SECRET && isLocalOnly(env);
}

/** Checks for every environment: the public local secrets never protect a server reachable from outside. */
function exposureProblems(env: z.infer<typeof baseSchema>): string[] {
  const problems: string[] = [];
  if (env.BAKONG_CALLBACK_SECRET === LOCAL_BAKONG_CALLBACK_SECRET && !isLocalOnly(env)) {
    problems.push("BAKONG_CALLBACK_SECRET must not be the public local default (anyone could sign payment callbacks with it)");
  }
  if (env.NODE_ENV !== "production" && !env.BAKONG_CALLBACK_SECRET && !isLocalOnly(env)) {
    problems.push(
      "BAKONG_CALLBACK_SECRET is required when APP_ROOT_DOMAIN is not localhost: the built-in local secret is public (openssl rand -hex 32)",
    );
  }
  return problems;
}

/** Settings production cannot run without; development and tests get safe local defaults. */
function productionProblems(env: z.infer<typeof baseSchema>): string[] {
  const problems: string[] = [];
  const need = (key: keyof typeof env, why: string) => {
    if (!env[key]) problems.push(`${key} is required in production: ${why}`);
  };
  need("DATABASE_URL", "the PostgreSQL URL of the application role (no BYPASSRLS)");
  need("AUTH_SECRET", "signs session cookies");
  need("RESEND_API_KEY", "outgoing email (password reset, invites)");
  if (env.RESEND_API_KEY) need("RESEND_WEBHOOK_SECRET", "verifies Resend webhooks (bounces and complaints feed the suppression list)");
  if (env.INNGEST_DEV) {
    problems.push(
      "INNGEST_DEV must not be set in production: it turns off the signature checks on /api/inngest. Use INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY (Inngest Cloud, or your self-hosted Inngest server's keys with INNGEST_BASE_URL)",
    );
  }
  need("INNGEST_EVENT_KEY", "publishes background events");
  need("INNGEST_SIGNING_KEY", "authenticates Inngest calls to /api/inngest");
  need("BAKONG_API_BASE_URL", "checks KHQR payments (https://api-bakong.nbc.gov.kh or your relay)");
  need("BAKONG_API_TOKEN", "authorises calls to the Bakong API");
  need("BAKONG_CALLBACK_SECRET", "verifies signed payment callbacks (HMAC-SHA256)");
  need("BAKONG_ACCOUNT_ID", "the Bakong account that receives subscription payments");
  need("BAKONG_MERCHANT_NAME", "the name shown in banking apps when a KHQR is scanned");
  need("BAKONG_MERCHANT_CITY", "the merchant city embedded in KHQR codes");
  if (env.BAKONG_CALLBACK_SECRET && env.BAKONG_CALLBACK_SECRET.length < 32)
    problems.push("BAKONG_CALLBACK_SECRET must be at least 32 characters");
  if (
    env.BAKONG_SIMULATOR === "1" &&
    env.BAKONG_API_BASE_URL &&
    !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(env.BAKONG_API_BASE_URL)
  ) {
    problems.push("BAKONG_SIMULATOR=1 is only allowed with a local fake Bakong API (http://127.0.0.1:<port>)");
  }
  if (!env.SENTRY_DSN && env.SENTRY_DISABLED !== "1") {
    problems.push(
      "SENTRY_DSN is required in production: server errors must reach monitoring (set SENTRY_DISABLED=1 to run without it, on purpose)",
    );
  }
  if (env.APP_ENV === "staging" && env.BAKONG_API_BASE_URL) {
    const host = new URL(env.BAKONG_API_BASE_URL).hostname.toLowerCase();
    if (host === PRODUCTION_BAKONG_HOST || host.endsWith(`.${PRODUCTION_BAKONG_HOST}`))
      problems.push(
        "BAKONG_API_BASE_URL must not be the production Bakong API in staging (APP_ENV=staging): use the fake Bakong or the sandbox",
      );
  }
  if (env.FILE_STORAGE_DIR && !/^(\/|[A-Za-z]:[\\/])/.test(env.FILE_STORAGE_DIR)) {
    problems.push("FILE_STORAGE_DIR must be an absolute path in production (a relative one moves with the working directory)");
  }
  return problems;
}

/** The file storage settings: server/files/storage.ts reads them through this schema. */
export const fileStorageSchema = baseSchema.pick({
  NODE_ENV: true,
  FILE_STORAGE_DRIVER: true,
  FILE_STORAGE_DIR: true,
  S3_BUCKET: true,
  S3_REGION: true,
  S3_ENDPOINT: true,
  S3_FORCE_PATH_STYLE: true,
});
export type FileStorageSettings = z.infer<typeof fileStorageSchema>;

/**
 * File storage settings that cannot work, in every environment (a store that is not the one the
 * operator meant loses uploads). Credentials come from the AWS SDK's chain: both static keys or
 * neither (an instance or task role); their values are never echoed.
 */
export function fileStorageConfigProblems(env: FileStorageSettings, source: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.FILE_STORAGE_DRIVER === "s3") {
    if (!env.S3_BUCKET)
      problems.push("S3_BUCKET is required with FILE_STORAGE_DRIVER=s3: the private bucket that holds every uploaded file");
    if (!env.S3_REGION && !source.AWS_REGION?.trim() && !env.S3_ENDPOINT)
      problems.push("S3_REGION (or AWS_REGION) is required with FILE_STORAGE_DRIVER=s3: the bucket's region, such as ap-southeast-1");
    const hasKey = Boolean(source.AWS_ACCESS_KEY_ID?.trim());
    if (hasKey !== Boolean(source.AWS_SECRET_ACCESS_KEY?.trim()))
      problems.push(
        `${hasKey ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} is missing: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (an instance or task role)`,
      );
    if (env.NODE_ENV === "production" && env.S3_ENDPOINT) {
      const url = new URL(env.S3_ENDPOINT);
      if (url.protocol !== "https:" && !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname))
        problems.push(
          "S3_ENDPOINT must be https in production: ID and contract scans and the credentials' signatures would cross the network in clear",
        );
    }
  } else if (env.NODE_ENV === "production") {
    const stray = (["S3_BUCKET", "S3_ENDPOINT"] as const).filter((k) => env[k]);
    if (stray.length > 0)
      problems.push(
        `${stray.join(" and ")} set but FILE_STORAGE_DRIVER is not s3: uploads would stay on this machine's disk (set FILE_STORAGE_DRIVER=s3)`,
      );
  }
  return problems;
}

/** Telegram settings that cannot work together, in every environment (a bot without its username or webhook secret). */
export function telegramConfigProblems(
  env: Pick<Env, "NODE_ENV" | "TELEGRAM_BOT_TOKEN" | "TELEGRAM_BOT_USERNAME" | "TELEGRAM_WEBHOOK_SECRET" | "TELEGRAM_API_ROOT">,
): string[] {
  const problems: string[] = [];
  if (env.TELEGRAM_BOT_TOKEN) {
    if (!env.TELEGRAM_BOT_USERNAME)
      problems.push("TELEGRAM_BOT_USERNAME is required with TELEGRAM_BOT_TOKEN: the renters' link is https://t.me/<username>?start=…");
    if (!env.TELEGRAM_WEBHOOK_SECRET)
      problems.push(
        "TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_BOT_TOKEN: it proves a webhook call comes from Telegram (openssl rand -hex 32)",
      );
  } else if (env.TELEGRAM_BOT_USERNAME || env.TELEGRAM_WEBHOOK_SECRET) {
    problems.push("TELEGRAM_BOT_TOKEN is missing: TELEGRAM_BOT_USERNAME / TELEGRAM_WEBHOOK_SECRET do nothing without the bot's token");
  }
  if (env.NODE_ENV === "production" && env.TELEGRAM_API_ROOT) {
    const url = new URL(env.TELEGRAM_API_ROOT);
    if (url.protocol !== "https:" && !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname))
      problems.push("TELEGRAM_API_ROOT must be https in production: the bot token travels in every request's path");
  }
  return problems;
}

let cached: Env | undefined;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = baseSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}\nSee the Configuration table in README.md.`);
  }
  const env = result.data;
  if (source.NEXT_PHASE !== "phase-production-build") {
    const storage = [...fileStorageConfigProblems(env, source), ...telegramConfigProblems(env)];
    if (storage.length > 0) {
      throw new Error(`Invalid configuration:\n${storage.map((p) => `  - ${p}`).join("\n")}\nSee the Configuration table in README.md.`);
    }
  }
  if (source.NEXT_PHASE !== "phase-production-build") {
    const exposed = exposureProblems(env);
    if (env.NODE_ENV !== "production" && exposed.length > 0) {
      throw new Error(`Invalid configuration:\n${exposed.map((p) => `  - ${p}`).join("\n")}\nSee the Configuration table in README.md.`);
    }
  }
  if (env.NODE_ENV === "production" && source.NEXT_PHASE !== "phase-production-build") {
    const problems = [...productionProblems(env), ...exposureProblems(env)];
    if (problems.length > 0) {
      throw new Error(
        `Invalid production configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee the Configuration table in README.md.`,
      );
    }
  }
  return {
    ...env,
    APP_PROTOCOL: env.APP_PROTOCOL ?? (env.NODE_ENV === "production" && env.APP_ROOT_DOMAIN !== "localhost" ? "https" : "http"),
  };
}

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function validateEnv(): Env {
  cached = undefined;
  return getEnv();
}

/** The port that appears in links we build (emails, redirects to a tenant subdomain). */
export function publicPort(env: Env = getEnv()): string {
  return env.APP_PUBLIC_PORT ?? String(env.PORT);
}
