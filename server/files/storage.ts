import "server-only";
import path from "node:path";
import { fileStorageConfigProblems, fileStorageSchema } from "@/env";
import { StorageUnavailableError, type FileStore, type StoredObject, type StoredStream } from "./file-store";
import { localFileStore } from "./storage-local";
import type { S3StoreConfig } from "./storage-s3";

// Uploaded bytes live under a key the server makes up (`<tenantId>/<fileId>`): no path ever comes
// from user input, and nothing is served except through the file routes, which check visibility
// and permissions. Where they live is configuration (FILE_STORAGE_DRIVER): on this machine's disk
// outside public/ (FILE_STORAGE_DIR, default .data/files), or in an S3-compatible bucket that
// several app instances share (S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_FORCE_PATH_STYLE, the AWS
// credential chain). Every caller goes through the functions below; docs/OPERATIONS.md, "File storage".

export { StorageUnavailableError, type FileStore, type StoredObject, type StoredStream } from "./file-store";

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}$/;
const TENANT = /^[0-9a-f-]{36}$/;

type Source = Record<string, string | undefined>;
type StorageSettings = { driver: "local"; dir: string } | { driver: "s3"; s3: S3StoreConfig };

export function fileStorageDir(source: Source = process.env): string {
  return path.resolve(source.FILE_STORAGE_DIR?.trim() || ".data/files");
}

/** The configured store's settings; throws StorageUnavailableError naming what to fix (never a secret). */
export function fileStorageSettings(source: Source = process.env): StorageSettings {
  const parsed = fileStorageSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new StorageUnavailableError(`Invalid file storage configuration: ${lines.join("; ")}`);
  }
  const problems = fileStorageConfigProblems(parsed.data, source);
  if (problems.length > 0) throw new StorageUnavailableError(`Invalid file storage configuration: ${problems.join("; ")}`);
  const env = parsed.data;
  if (env.FILE_STORAGE_DRIVER === "local") return { driver: "local", dir: fileStorageDir(source) };
  const accessKeyId = source.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = source.AWS_SECRET_ACCESS_KEY?.trim();
  const sessionToken = source.AWS_SESSION_TOKEN?.trim() || undefined;
  return {
    driver: "s3",
    s3: {
      bucket: env.S3_BUCKET!,
      region: env.S3_REGION ?? (source.AWS_REGION?.trim() || "us-east-1"),
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === "1" || env.S3_FORCE_PATH_STYLE === "true",
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : undefined,
    },
  };
}

// one store (one S3 client, one connection pool) per configuration
const stores = new Map<string, Promise<FileStore>>();

/** The store the configuration names (FILE_STORAGE_DRIVER): the local disk or the S3 bucket. */
export function fileStore(source: Source = process.env): Promise<FileStore> {
  let settings: StorageSettings;
  try {
    settings = fileStorageSettings(source);
  } catch (e) {
    return Promise.reject(e);
  }
  const id = JSON.stringify(settings);
  let store = stores.get(id);
  if (!store) {
    store =
      settings.driver === "local"
        ? Promise.resolve(localFileStore(settings.dir))
        : import("./storage-s3").then(({ s3FileStore }) => s3FileStore(settings.s3));
    stores.set(id, store);
  }
  return store;
}

export function storageKeyFor(tenantId: string, fileId: string): string {
  const key = `${tenantId}/${fileId}`;
  if (!KEY.test(key)) throw new Error("invalid storage key");
  return key;
}

function checked(key: string): string {
  if (!KEY.test(key)) throw new Error("invalid storage key");
  return key;
}

/** Writes the whole file (a reader never sees half of it). */
export async function writeStoredFile(key: string, bytes: Uint8Array): Promise<void> {
  await (await fileStore()).put(checked(key), bytes);
}

export async function readStoredFile(key: string): Promise<Buffer | null> {
  return (await fileStore()).get(checked(key));
}

/** The stored bytes as a stream with their size (the file routes send it on as it arrives), or null. */
export async function openStoredFile(key: string): Promise<StoredStream | null> {
  return (await fileStore()).open(checked(key));
}

export async function statStoredFile(key: string): Promise<{ size: number; modifiedAt: Date } | null> {
  return (await fileStore()).stat(checked(key));
}

export async function deleteStoredFile(key: string): Promise<void> {
  await (await fileStore()).delete(checked(key));
}

/** Deletes every stored file of a tenant (keys `<tenantId>/…`): a workspace's hard delete. Returns how many there were. */
export async function deleteStoredPrefix(tenantId: string): Promise<number> {
  if (!TENANT.test(tenantId)) throw new Error("invalid storage prefix");
  return (await fileStore()).deletePrefix(`${tenantId}/`);
}

/** Every stored file (of one tenant, or of all), in key order, read page by page: the unused-upload sweep and exports. */
export async function* listStoredFiles(tenantId?: string): AsyncGenerator<StoredObject> {
  if (tenantId !== undefined && !TENANT.test(tenantId)) throw new Error("invalid storage prefix");
  const store = await fileStore();
  for await (const object of store.list(tenantId === undefined ? undefined : `${tenantId}/`)) if (KEY.test(object.key)) yield object;
}

/**
 * Start-up check of the configured store: the settings agree, a local directory is not inside the
 * project's public/ (whose files are served to anyone) and is writable, a bucket exists and the
 * credentials may write, read, list and delete in it. Returns the problems, in words an operator
 * can act on (never a credential); empty when all is well.
 */
export async function fileStorageProblems(cwd: string = process.cwd(), source: Source = process.env): Promise<string[]> {
  let store: FileStore;
  try {
    store = await fileStore(source);
  } catch (e) {
    return [(e as Error).message];
  }
  return store.problems(cwd);
}
