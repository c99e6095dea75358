import "server-only";

// What every storage driver offers (server/files/storage.ts picks one from the configuration):
// the local-disk driver (storage-local.ts) and the S3-compatible one (storage-s3.ts). Keys are
// relative, forward-slash paths; the app only ever makes `<tenantId>/<fileId>` (storageKeyFor),
// backups and restores carry whatever the store holds (isSafeKey).

export interface StoredObject {
  key: string;
  size: number;
  /** when the bytes were written (file mtime / S3 LastModified): the unused-upload sweep's grace */
  modifiedAt: Date;
}

export interface StoredStream {
  body: ReadableStream<Uint8Array>;
  size: number;
}

export interface FileStore {
  /** what an operator recognises: `FILE_STORAGE_DIR (/srv/files)` or `S3 bucket phteah-files (https://…)`; never a secret */
  readonly label: string;
  readonly driver: "local" | "s3";
  /** writes the whole object; a reader never sees half of it */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** the whole object, or null when there is none */
  get(key: string): Promise<Buffer | null>;
  /** the object as a stream with its size, or null when there is none */
  open(key: string): Promise<StoredStream | null>;
  stat(key: string): Promise<{ size: number; modifiedAt: Date } | null>;
  /** removes the object; nothing happens when there is none */
  delete(key: string): Promise<void>;
  /** removes every object under `prefix` (which ends with "/"); returns how many there were */
  deletePrefix(prefix: string): Promise<number>;
  /** every object (under `prefix`, which ends with "/"), in key order, read page by page */
  list(prefix?: string): AsyncGenerator<StoredObject>;
  /** whether the store holds nothing at all (a restore's target must be empty) */
  isEmpty(): Promise<boolean>;
  /** removes everything in the store (restore --replace) */
  clear(): Promise<void>;
  /** the start-up check: what an operator must fix, in words they can act on; empty when all is well */
  problems(cwd: string): Promise<string[]>;
}

/**
 * The storage could not be used (refused credentials, a missing bucket, an unreachable endpoint,
 * a full disk): an operator's problem, not the request's. The message names the store and the
 * provider's error code, never a credential; the file routes answer 503 with a translated message.
 */
export class StorageUnavailableError extends Error {
  override name = "StorageUnavailableError";
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A relative key of plain segments (no "..", no empty or hidden segment, no backslash): safe as a path and as an object key. */
export function isSafeKey(key: string): boolean {
  return key.length > 0 && key.length <= 512 && key.split("/").every((s) => SEGMENT.test(s) && s !== "..");
}

export function assertSafeKey(key: string): void {
  if (!isSafeKey(key)) throw new Error("invalid storage key");
}

/** A prefix for deletePrefix/list: safe segments ending with "/". */
export function assertSafePrefix(prefix: string): void {
  if (!prefix.endsWith("/") || !isSafeKey(prefix.slice(0, -1))) throw new Error("invalid storage prefix");
}
