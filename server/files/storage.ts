import "server-only";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";

// Uploaded bytes live on disk outside public/ (FILE_STORAGE_DIR, default .data/files), under a
// key the server makes up (`<tenantId>/<fileId>`): no path ever comes from user input, and
// nothing is served except through the file routes, which check visibility and permissions.

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

export function fileStorageDir(): string {
  return path.resolve(process.env.FILE_STORAGE_DIR || ".data/files");
}

export function storageKeyFor(tenantId: string, fileId: string): string {
  const key = `${tenantId}/${fileId}`;
  if (!KEY.test(key)) throw new Error("invalid storage key");
  return key;
}

function pathOf(key: string): string {
  if (!KEY.test(key)) throw new Error("invalid storage key");
  const root = fileStorageDir();
  const full = path.resolve(root, key);
  if (!full.startsWith(root + path.sep)) throw new Error("storage key escapes the storage directory");
  return full;
}

/** Writes atomically (temp file + rename): a reader never sees half a file. */
export async function writeStoredFile(key: string, bytes: Uint8Array): Promise<void> {
  const full = pathOf(key);
  await mkdir(path.dirname(full), { recursive: true });
  const temp = `${full}.${randomUUID()}.tmp`;
  await writeFile(temp, bytes, { flag: "wx" });
  await rename(temp, full);
}

export async function readStoredFile(key: string): Promise<Buffer | null> {
  try {
    return await readFile(pathOf(key));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

export async function deleteStoredFile(key: string): Promise<void> {
  await rm(pathOf(key), { force: true });
}
