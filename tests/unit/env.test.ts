// env.ts: configuration is validated up front; production refuses to start without its secrets.
import { describe, expect, it } from "vitest";
import { LOCAL_BAKONG_CALLBACK_SECRET, parseEnv, parseMailAllowList, publicPort, usesLocalBakongSecret } from "@/env";

const PROD_OK = {
  NODE_ENV: "production",
  APP_ROOT_DOMAIN: "phteah.com",
  DATABASE_URL: "postgresql://phteah_app:x@db:5432/phteah",
  AUTH_SECRET: "s".repeat(32),
  RESEND_API_KEY: "re_test",
  RESEND_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  INNGEST_EVENT_KEY: "evt",
  INNGEST_SIGNING_KEY: "signkey-prod-abc",
  BAKONG_API_BASE_URL: "https://api-bakong.nbc.gov.kh",
  BAKONG_API_TOKEN: "bakong-token",
  BAKONG_CALLBACK_SECRET: "c".repeat(32),
  BAKONG_ACCOUNT_ID: "phteah@aclb",
  BAKONG_MERCHANT_NAME: "Phteah",
  BAKONG_MERCHANT_CITY: "Phnom Penh",
  SENTRY_DSN: "https://public@o1.ingest.sentry.io/1",
};

const REQUIRED = [
  "DATABASE_URL",
  "AUTH_SECRET",
  "RESEND_API_KEY",
  "INNGEST_EVENT_KEY",
  "INNGEST_SIGNING_KEY",
  "BAKONG_API_BASE_URL",
  "BAKONG_API_TOKEN",
  "BAKONG_CALLBACK_SECRET",
  "BAKONG_ACCOUNT_ID",
  "BAKONG_MERCHANT_NAME",
  "BAKONG_MERCHANT_CITY",
];

function errorOf(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("parseEnv accepted the configuration");
}

describe("parseEnv in development and tests", () => {
  it("needs nothing and picks local defaults", () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe("development");
    expect(env.APP_ROOT_DOMAIN).toBe("localhost");
    expect(env.PORT).toBe(3000);
    expect(env.APP_PROTOCOL).toBe("http");
    expect(env.LOG_LEVEL).toBe("info");
    expect(publicPort(env)).toBe("3000");
  });

  it("falls back to the public local Bakong callback secret only on localhost", () => {
    expect(usesLocalBakongSecret(parseEnv({}))).toBe(true);
    expect(usesLocalBakongSecret(parseEnv({ NODE_ENV: "test", APP_ROOT_DOMAIN: "phteah.localhost" }))).toBe(true);
    expect(usesLocalBakongSecret(parseEnv({ BAKONG_CALLBACK_SECRET: "c".repeat(32) }))).toBe(false);
    // a development or test server on a real domain is reachable from outside: it needs a real secret
    for (const domain of ["staging.phteah.com", "192.168.1.20", "lvh.me"]) {
      const message = errorOf({ NODE_ENV: "development", APP_ROOT_DOMAIN: domain });
      expect(message).toMatch(/^Invalid configuration/);
      expect(message).toContain("BAKONG_CALLBACK_SECRET is required when APP_ROOT_DOMAIN is not localhost");
      expect(errorOf({ NODE_ENV: "test", APP_ROOT_DOMAIN: domain, BAKONG_CALLBACK_SECRET: LOCAL_BAKONG_CALLBACK_SECRET })).toContain(
        "BAKONG_CALLBACK_SECRET must not be the public local default",
      );
      const env = parseEnv({ NODE_ENV: "development", APP_ROOT_DOMAIN: domain, BAKONG_CALLBACK_SECRET: "c".repeat(32) });
      expect(usesLocalBakongSecret(env)).toBe(false);
    }
  });

  it("treats empty optional URLs as unset", () => {
    expect(parseEnv({ SENTRY_DSN: "", RESEND_BASE_URL: "" }).SENTRY_DSN).toBeUndefined();
  });

  it("honours APP_PUBLIC_PORT over PORT for links", () => {
    expect(publicPort(parseEnv({ PORT: "3100", APP_PUBLIC_PORT: "" }))).toBe("");
    expect(publicPort(parseEnv({ PORT: "3100" }))).toBe("3100");
  });
});

describe("parseEnv in production", () => {
  it("accepts a complete configuration and defaults to https on a real domain", () => {
    const env = parseEnv(PROD_OK);
    expect(env.APP_PROTOCOL).toBe("https");
    expect(parseEnv({ ...PROD_OK, APP_ROOT_DOMAIN: "localhost" }).APP_PROTOCOL).toBe("http");
  });

  it("names every missing secret in one message", () => {
    const message = errorOf({ NODE_ENV: "production" });
    expect(message).toMatch(/^Invalid production configuration/);
    for (const key of REQUIRED) {
      expect(message).toContain(`${key} is required in production`);
    }
  });

  it.each(REQUIRED)("refuses to start without %s alone", (key) => {
    const message = errorOf({ ...PROD_OK, [key]: undefined });
    expect(message).toContain(`${key} is required in production`);
    expect(message.match(/is required in production/g)).toHaveLength(1);
  });

  it("refuses INNGEST_DEV in production (it turns off the signature checks on /api/inngest) and needs the Inngest keys", () => {
    for (const value of ["1", "true", "http://127.0.0.1:8288"]) {
      const message = errorOf({ ...PROD_OK, INNGEST_DEV: value });
      expect(message).toMatch(/^Invalid production configuration/);
      expect(message).toContain("INNGEST_DEV must not be set in production");
      expect(message).toContain("INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY");
    }
    const message = errorOf({ ...PROD_OK, INNGEST_EVENT_KEY: undefined, INNGEST_SIGNING_KEY: undefined, INNGEST_DEV: "1" });
    expect(message).toContain("INNGEST_EVENT_KEY is required in production");
    expect(message).toContain("INNGEST_SIGNING_KEY is required in production");
    // an empty INNGEST_DEV is unset
    expect(() => parseEnv({ ...PROD_OK, INNGEST_DEV: "" })).not.toThrow();
  });

  it("refuses the public local Bakong callback secret in production", () => {
    expect(errorOf({ ...PROD_OK, BAKONG_CALLBACK_SECRET: LOCAL_BAKONG_CALLBACK_SECRET })).toContain(
      "BAKONG_CALLBACK_SECRET must not be the public local default",
    );
  });

  it("skips the production checks while `next build` collects pages", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-server" })).toThrow(/DATABASE_URL/);
  });

  it("refuses a short callback secret, and the payment simulator with a real Bakong URL", () => {
    expect(errorOf({ ...PROD_OK, BAKONG_CALLBACK_SECRET: "short" })).toContain("BAKONG_CALLBACK_SECRET must be at least 32 characters");
    expect(errorOf({ ...PROD_OK, BAKONG_SIMULATOR: "1" })).toContain("BAKONG_SIMULATOR=1 is only allowed with a local fake Bakong API");
    expect(() => parseEnv({ ...PROD_OK, BAKONG_SIMULATOR: "1", BAKONG_API_BASE_URL: "http://127.0.0.1:3198" })).not.toThrow();
  });

  it("needs the Resend webhook secret (whsec_<base64>) when Resend sends the mail", () => {
    const message = errorOf({ ...PROD_OK, RESEND_WEBHOOK_SECRET: undefined });
    expect(message).toContain("RESEND_WEBHOOK_SECRET is required in production");
    expect(message.match(/is required in production/g)).toHaveLength(1);
    // without Resend there is nothing to verify (RESEND_API_KEY is the one reported missing)
    expect(errorOf({ ...PROD_OK, RESEND_API_KEY: undefined, RESEND_WEBHOOK_SECRET: undefined })).not.toContain("RESEND_WEBHOOK_SECRET");
    for (const bad of ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!"]) {
      expect(errorOf({ ...PROD_OK, RESEND_WEBHOOK_SECRET: bad })).toContain("RESEND_WEBHOOK_SECRET");
    }
  });

  it("wants an absolute FILE_STORAGE_DIR in production, any directory in development", () => {
    expect(errorOf({ ...PROD_OK, FILE_STORAGE_DIR: "data/files" })).toContain("FILE_STORAGE_DIR must be an absolute path in production");
    expect(errorOf({ ...PROD_OK, FILE_STORAGE_DIR: "./files" })).toContain("FILE_STORAGE_DIR");
    expect(parseEnv({ ...PROD_OK, FILE_STORAGE_DIR: "/var/lib/phteah/files" }).FILE_STORAGE_DIR).toBe("/var/lib/phteah/files");
    expect(() => parseEnv(PROD_OK)).not.toThrow(); // unset: the default directory, checked for writing at start-up
    expect(parseEnv({ NODE_ENV: "development", FILE_STORAGE_DIR: "tmp/files" }).FILE_STORAGE_DIR).toBe("tmp/files");
  });

  it("validates the Bakong account and merchant lengths KHQR allows", () => {
    expect(errorOf({ ...PROD_OK, BAKONG_ACCOUNT_ID: "no-at-sign" })).toContain("BAKONG_ACCOUNT_ID");
    expect(errorOf({ ...PROD_OK, BAKONG_MERCHANT_NAME: "x".repeat(26) })).toContain("BAKONG_MERCHANT_NAME");
    expect(errorOf({ ...PROD_OK, BAKONG_MERCHANT_CITY: "x".repeat(16) })).toContain("BAKONG_MERCHANT_CITY");
  });
});

describe("parseEnv rejects malformed values", () => {
  it.each(["https://phteah.com", "phteah.com:443", "phteah.com/app", "Phteah.com", "phteah com", ""])("APP_ROOT_DOMAIN=%j", (value) => {
    const message = errorOf({ APP_ROOT_DOMAIN: value });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toContain("APP_ROOT_DOMAIN");
  });

  it("rejects a short AUTH_SECRET, a non-PostgreSQL DATABASE_URL and a bad port, naming each", () => {
    const message = errorOf({ AUTH_SECRET: "short", DATABASE_URL: "mysql://x", PORT: "70000" });
    expect(message).toContain("AUTH_SECRET");
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("PORT");
  });

  it("rejects an unknown NODE_ENV, LOG_LEVEL and a malformed SENTRY_DSN", () => {
    expect(errorOf({ NODE_ENV: "staging" })).toContain("NODE_ENV");
    expect(errorOf({ LOG_LEVEL: "verbose" })).toContain("LOG_LEVEL");
    expect(errorOf({ SENTRY_DSN: "not a url" })).toContain("SENTRY_DSN");
  });

  it("does not echo secret values into the error", () => {
    const message = errorOf({ NODE_ENV: "production", AUTH_SECRET: "tiny-secret-value", DATABASE_URL: "postgresql://u:pw@h/db" });
    expect(message).not.toContain("tiny-secret-value");
    expect(message).not.toContain("pw@h");
  });
});

describe("monitoring and staging in production", () => {
  it("refuses a production server without SENTRY_DSN unless monitoring is turned off on purpose", () => {
    const message = errorOf({ ...PROD_OK, SENTRY_DSN: undefined });
    expect(message).toContain("SENTRY_DSN is required in production");
    expect(message).toContain("SENTRY_DISABLED=1");
    expect(() => parseEnv({ ...PROD_OK, SENTRY_DSN: undefined, SENTRY_DISABLED: "1" })).not.toThrow();
    expect(errorOf({ ...PROD_OK, SENTRY_DSN: undefined, SENTRY_DISABLED: "0" })).toContain("SENTRY_DSN is required in production");
  });

  it("runs staging with the production checks and never against the production Bakong API", () => {
    expect(parseEnv({ ...PROD_OK, APP_ENV: "staging", BAKONG_API_BASE_URL: "https://sit-api-bakong.nbc.gov.kh" }).APP_ENV).toBe("staging");
    expect(errorOf({ ...PROD_OK, APP_ENV: "staging" })).toContain("must not be the production Bakong API in staging");
    expect(errorOf({ ...PROD_OK, APP_ENV: "staging", AUTH_SECRET: undefined })).toContain("AUTH_SECRET is required in production");
    expect(parseEnv(PROD_OK).APP_ENV).toBe("production");
    expect(errorOf({ APP_ENV: "preview" })).toContain("APP_ENV");
  });

  it("reads the staging mail allow-list as addresses and domains, and refuses a malformed entry", () => {
    expect(parseMailAllowList(" QA@Example.com, @team.example.org ,staff.example.net,")).toEqual([
      "qa@example.com",
      "team.example.org",
      "staff.example.net",
    ]);
    expect(parseMailAllowList(undefined)).toEqual([]);
    expect(errorOf({ STAGING_MAIL_ALLOWLIST: "qa@example.com, not an address" })).toContain("STAGING_MAIL_ALLOWLIST");
  });
});
