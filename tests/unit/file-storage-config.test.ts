// env.ts and server/files/storage-s3.ts: the file storage settings are checked at start-up with
// messages an operator can act on, and the S3 driver's errors never carry a credential.
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/env";
import { describeS3Error } from "@/server/files/storage-s3";

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
const S3 = { FILE_STORAGE_DRIVER: "s3", S3_BUCKET: "phteah-files", S3_REGION: "ap-southeast-1" };

describe("file storage settings", () => {
  it("defaults to the local disk and accepts a complete S3 configuration, static keys or a role", () => {
    expect(parseEnv({}).FILE_STORAGE_DRIVER).toBe("local");
    expect(parseEnv({ ...PROD_OK, ...S3, AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "secret" })).toMatchObject(S3);
    expect(parseEnv({ ...PROD_OK, ...S3 }).S3_BUCKET).toBe("phteah-files"); // an instance or task role
    // an S3-compatible server that ignores regions
    expect(
      parseEnv({ FILE_STORAGE_DRIVER: "s3", S3_BUCKET: "files", S3_ENDPOINT: "http://127.0.0.1:9000", S3_FORCE_PATH_STYLE: "1" }),
    ).toMatchObject({ S3_ENDPOINT: "http://127.0.0.1:9000" });
  });

  it("names what the s3 driver lacks, in every environment, without echoing a secret", () => {
    expect(() => parseEnv({ FILE_STORAGE_DRIVER: "s3" })).toThrow(
      /S3_BUCKET is required with FILE_STORAGE_DRIVER=s3[\s\S]*S3_REGION \(or AWS_REGION\) is required/,
    );
    expect(() => parseEnv({ ...S3, S3_REGION: undefined, AWS_REGION: "ap-southeast-1" })).not.toThrow();
    const err = (() => {
      try {
        parseEnv({ ...S3, AWS_SECRET_ACCESS_KEY: "very-secret-value" });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(err).toContain("AWS_ACCESS_KEY_ID is missing: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither");
    expect(err).not.toContain("very-secret-value");
  });

  it("refuses malformed values, naming the variable", () => {
    expect(() => parseEnv({ FILE_STORAGE_DRIVER: "gcs" })).toThrow(/FILE_STORAGE_DRIVER: must be "local" or "s3"/);
    expect(() => parseEnv({ ...S3, S3_BUCKET: "Bad_Bucket" })).toThrow(/S3_BUCKET: must be a bucket name/);
    expect(() => parseEnv({ ...S3, S3_ENDPOINT: "not a url" })).toThrow(/S3_ENDPOINT/);
    expect(() => parseEnv({ ...S3, S3_FORCE_PATH_STYLE: "yes" })).toThrow(/S3_FORCE_PATH_STYLE: must be "1" or "0"/);
  });

  it("in production: an https endpoint (loopback aside), and S3 settings without the s3 driver are a mistake", () => {
    expect(() => parseEnv({ ...PROD_OK, ...S3, S3_ENDPOINT: "http://minio.internal:9000" })).toThrow(
      /S3_ENDPOINT must be https in production/,
    );
    expect(() => parseEnv({ ...PROD_OK, ...S3, S3_ENDPOINT: "https://minio.internal" })).not.toThrow();
    expect(() => parseEnv({ ...PROD_OK, S3_BUCKET: "phteah-files" })).toThrow(/S3_BUCKET set but FILE_STORAGE_DRIVER is not s3/);
    expect(() => parseEnv({ S3_BUCKET: "phteah-files" })).not.toThrow(); // development: only production insists
  });
});

describe("describeS3Error", () => {
  const config = { bucket: "phteah-files", region: "ap-southeast-1", endpoint: undefined };
  const s3Error = (name: string, status: number) =>
    Object.assign(new Error("provider text"), { name, $metadata: { httpStatusCode: status } });

  it("turns the provider's codes into what to fix", () => {
    expect(describeS3Error(s3Error("NoSuchBucket", 404), config)).toBe(
      'the bucket "phteah-files" does not exist at AWS region ap-southeast-1 (NoSuchBucket (HTTP 404)): create it, or fix S3_BUCKET',
    );
    for (const name of ["SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "ExpiredToken"])
      expect(describeS3Error(s3Error(name, 403), config)).toMatch(/refused the credentials for bucket "phteah-files".*AWS_ACCESS_KEY_ID/);
    expect(describeS3Error(s3Error("PermanentRedirect", 301), config)).toMatch(/not in region ap-southeast-1.*fix S3_REGION/);
    expect(describeS3Error(Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }), config)).toMatch(
      /no S3 credentials were found/,
    );
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(describeS3Error(refused, { ...config, endpoint: "http://minio:9000" })).toBe(
      "http://minio:9000 cannot be reached (ECONNREFUSED): check S3_ENDPOINT and the network",
    );
  });
});
