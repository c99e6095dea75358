// A local S3-compatible server for the tests: npm s3rver in a child process on a random port with
// a temporary data directory, driven through the real AWS SDK (the driver under test and a raw
// client that checks what is really in the bucket, independently of the driver).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";

/** s3rver's only account */
export const S3RVER_KEY = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface LocalS3 {
  endpoint: string;
  /** the environment that points the app's S3 driver at `bucket` on this server */
  env(bucket: string): Record<string, string>;
  /** a client of our own, to look into (and prepare) the bucket without the driver under test */
  raw: S3Client;
  createBucket(name: string): Promise<void>;
  /** object keys under a prefix, straight from the server */
  keys(bucket: string, prefix?: string): Promise<string[]>;
  bytes(bucket: string, key: string): Promise<Buffer | null>;
  put(bucket: string, key: string, bytes: Uint8Array): Promise<void>;
  stop(): Promise<void>;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "s3rver-child.mjs");

export async function startLocalS3(buckets: string[] = []): Promise<LocalS3> {
  const dir = await mkdtemp(path.join(tmpdir(), "phteah-s3rver-"));
  const child: ChildProcess = spawn(process.execPath, ["--openssl-legacy-provider", CHILD, dir, ...buckets], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code}) before it listened`)));
    child.once("error", reject);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const config: S3ClientConfig = {
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: S3RVER_KEY,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
  const raw = new S3Client(config);
  return {
    endpoint,
    raw,
    env: (bucket) => ({
      FILE_STORAGE_DRIVER: "s3",
      S3_BUCKET: bucket,
      S3_REGION: "us-east-1",
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: "1",
      AWS_ACCESS_KEY_ID: S3RVER_KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_KEY.secretAccessKey,
    }),
    createBucket: async (name) => {
      await raw.send(new CreateBucketCommand({ Bucket: name }));
    },
    keys: async (bucket, prefix) => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        out.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    bytes: async (bucket, key) => {
      try {
        const o = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await o.Body!.transformToByteArray());
      } catch (e) {
        if ((e as Error).name === "NoSuchKey") return null;
        throw e;
      }
    },
    put: async (bucket, key, bytes) => {
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    stop: async () => {
      raw.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Sets `vars` in process.env and returns the function that puts the previous values back. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
