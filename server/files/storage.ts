import "server-only";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
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

/**
 * Start-up check of the storage directory: it must not be inside the project's public/ (whose
 * files are served to anyone) and the server must be able to create, write and remove files in
 * it. Returns the problems, in words an operator can act on; empty when all is well.
 */
export async function fileStorageProblems(cwd: string = process.cwd()): Promise<string[]> {
  const root = fileStorageDir();
  const publicDir = path.resolve(cwd, "public");
  if (root === publicDir || root.startsWith(publicDir + path.sep)) {
    return [`FILE_STORAGE_DIR (${root}) is inside public/: private scans would be served without a permission check`];
  }
  const probe = path.join(root, `.write-check-${randomUUID()}`);
  try {
    await mkdir(root, { recursive: true });
    await writeFile(probe, "ok", { flag: "wx" });
    await rm(probe, { force: true });
    await readdir(root);
    return [];
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    return [`FILE_STORAGE_DIR (${root}) is not a writable directory (${code}): uploads would fail`];
  }
}
