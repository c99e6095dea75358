import "server-only";
import { randomUUID } from "node:crypto";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { assertSafeKey, assertSafePrefix, isSafeKey, StorageUnavailableError, type FileStore, type StoredObject } from "./file-store";

// The S3-compatible driver (AWS S3, MinIO, Cloudflare R2, Backblaze B2, s3rver in the tests): one
// private object per key in one bucket that every app instance shares. Objects are never public:
// private files are streamed through the authorising route after its checks, public ones (photos,
// logos) through the public route with long-lived caching (docs/OPERATIONS.md, "File storage").

export interface S3StoreConfig {
  bucket: string;
  region: string;
  /** an S3-compatible server's URL (MinIO, R2, s3rver); AWS itself when absent */
  endpoint?: string;
  /** bucket in the path (http://host/bucket/key) instead of the host name; most S3-compatible servers want it */
  forcePathStyle: boolean;
  /** static keys (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); absent: the SDK's default chain (instance or task role, profile, web identity) */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface S3StoreOptions {
  /** objects per list request (S3's maximum is 1000; the tests use a small one to walk pages) */
  pageSize?: number;
}

const NOT_FOUND = new Set(["NoSuchKey", "NotFound"]);
const REFUSED = new Set([
  "AccessDenied",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidToken",
  "ExpiredToken",
  "TokenRefreshRequired",
  "AllAccessDisabled",
  "AccountProblem",
]);
const NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && NOT_FOUND.has(e.name) && statusOf(e) === 404;
}

/** An operator-facing account of what went wrong: the provider's error code and a hint, never a credential. */
export function describeS3Error(e: unknown, config: Pick<S3StoreConfig, "bucket" | "region" | "endpoint">): string {
  const err = e as Error & { code?: string; Code?: string };
  const name = err?.name ?? "Error";
  const status = statusOf(e);
  const code = err?.code ?? (err?.cause as { code?: string } | undefined)?.code;
  const where = config.endpoint ?? `AWS region ${config.region}`;
  const what = `${name}${status ? ` (HTTP ${status})` : ""}`;
  if (name === "NoSuchBucket") return `the bucket "${config.bucket}" does not exist at ${where} (${what}): create it, or fix S3_BUCKET`;
  if (REFUSED.has(name) || status === 403)
    return `${where} refused the credentials for bucket "${config.bucket}" (${what}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and that they may read, write, list and delete in the bucket`;
  if (name === "CredentialsProviderError")
    return "no S3 credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an instance or task role";
  if (name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed" || status === 301)
    return `the bucket "${config.bucket}" is not in region ${config.region} (${what}): fix S3_REGION`;
  if ((code && NETWORK.has(code)) || name === "TimeoutError" || name === "RequestTimeout")
    return `${where} cannot be reached (${code ?? name}): check S3_ENDPOINT and the network`;
  if (e instanceof S3ServiceException || status) return `${where} answered ${what} for bucket "${config.bucket}"`;
  return `${where}: ${code ?? name}`;
}

export function s3FileStore(config: S3StoreConfig, options: S3StoreOptions = {}): FileStore {
  const pageSize = options.pageSize ?? 1000;
  const label = `S3 bucket ${config.bucket} (${config.endpoint ?? `AWS ${config.region}`})`;
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    maxAttempts: 3,
    // an unreachable endpoint fails a request in seconds, not minutes
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    // our own sha256 of every file is in its row and in the backup manifest; the SDK's extra
    // checksums only where the API demands them (many S3-compatible servers reject the rest)
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = config.bucket;
  const fail = (e: unknown) => new StorageUnavailableError(`${label}: ${describeS3Error(e, config)}`, { cause: e });

  async function* pages(prefix: string | undefined, max = pageSize): AsyncGenerator<StoredObject[]> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: max, ContinuationToken: token }));
      } catch (e) {
        throw fail(e);
      }
      yield (page.Contents ?? []).map((o) => ({ key: o.Key!, size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async function deleteKeys(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    let out;
    try {
      out = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    } catch (e) {
      throw fail(e);
    }
    const failed = out.Errors ?? [];
    if (failed.length > 0)
      throw new StorageUnavailableError(`${label}: ${failed.length} object(s) could not be deleted (${failed[0]!.Code ?? "error"})`);
  }

  /** every object under prefix (all when undefined) deleted, page by page (a page is at most 1000: one DeleteObjects) */
  async function deleteAll(prefix: string | undefined): Promise<number> {
    let count = 0;
    // deleting while listing: each round lists from the start again, so no continuation token goes stale
    for (;;) {
      const first = await pages(prefix, Math.min(pageSize, 1000)).next();
      const keys = first.done ? [] : first.value.map((o) => o.key);
      if (keys.length === 0) return count;
      await deleteKeys(keys);
      count += keys.length;
    }
  }

  return {
    label,
    driver: "s3",

    async put(key, bytes) {
      assertSafeKey(key);
      try {
        await client.send(
          new PutObjectCommand({
            Bucket,
            Key: key,
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: "application/octet-stream",
          }),
        );
      } catch (e) {
        throw fail(e);
      }
    },

    async get(key) {
      assertSafeKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (e) {
        if (isNotFound(e)) return null;
        throw fail(e);
      }
    },

    async open(key) {
      assertSafeKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return { body: out.Body!.transformToWebStream() as ReadableStream<Uint8Array>, size: out.ContentLength ?? 0 };
      } catch (e) {
        if (isNotFound(e)) return null;
        throw fail(e);
      }
    },

    async stat(key) {
      assertSafeKey(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
      } catch (e) {
        if (isNotFound(e)) return null;
        throw fail(e);
      }
    },

    async delete(key) {
      assertSafeKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (e) {
        throw fail(e);
      }
    },

    async deletePrefix(prefix) {
      assertSafePrefix(prefix);
      return deleteAll(prefix);
    },

    list(prefix) {
      if (prefix !== undefined) assertSafePrefix(prefix);
      return (async function* () {
        for await (const page of pages(prefix)) for (const o of page) if (isSafeKey(o.key)) yield o;
      })();
    },

    async isEmpty() {
      const first = await pages(undefined, 1).next();
      return first.done || first.value.length === 0;
    },

    async clear() {
      await deleteAll(undefined);
    },

    /** The bucket must exist and these credentials must be able to write, read, list and delete in it. */
    async problems() {
      const probe = `.write-check-${randomUUID()}`;
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: probe, Body: "ok", ContentLength: 2 }));
        await client.send(new GetObjectCommand({ Bucket, Key: probe })).then((o) => o.Body?.transformToString());
        await client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }));
        await client.send(new DeleteObjectCommand({ Bucket, Key: probe }));
        return [];
      } catch (e) {
        return [`${label}: ${describeS3Error(e, config)}: uploads would fail`];
      }
    },
  };
}
