import "server-only";
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { assertSafeKey, assertSafePrefix, StorageUnavailableError, type FileStore, type StoredObject } from "./file-store";

// The local-disk driver: one file per key under a directory outside public/ (FILE_STORAGE_DIR,
// default .data/files). Right for one instance; several instances need the S3 driver (or a shared
// file system mounted at the same path on each).

const TEMP = /\.tmp$/;

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Disk errors other than "no such file": the operator's problem (full disk, permissions), never the request's. */
function unavailable(label: string, e: unknown): StorageUnavailableError {
  return new StorageUnavailableError(`${label}: ${(e as NodeJS.ErrnoException).code ?? "error"}`, { cause: e });
}

export function localFileStore(dir: string): FileStore {
  const root = path.resolve(dir);
  const label = `FILE_STORAGE_DIR (${root})`;

  const pathOf = (key: string): string => {
    assertSafeKey(key);
    const full = path.resolve(root, ...key.split("/"));
    if (!full.startsWith(root + path.sep)) throw new Error("storage key escapes the storage directory");
    return full;
  };

  async function* walk(dir: string, prefix: string): AsyncGenerator<StoredObject> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw unavailable(label, e);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) yield* walk(full, `${prefix}${e.name}/`);
      else if (e.isFile() && !TEMP.test(e.name) && !e.name.startsWith(".")) {
        const s = await stat(full).catch(() => null); // removed meanwhile
        if (s) yield { key: `${prefix}${e.name}`, size: s.size, modifiedAt: s.mtime };
      }
    }
  }

  const store: FileStore = {
    label,
    driver: "local",

    /** Writes atomically (temp file + rename): a reader never sees half a file. */
    async put(key, bytes) {
      const full = pathOf(key);
      const temp = `${full}.${randomUUID()}.tmp`;
      try {
        await mkdir(path.dirname(full), { recursive: true });
        await writeFile(temp, bytes, { flag: "wx" });
        await rename(temp, full);
      } catch (e) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw unavailable(label, e);
      }
    },

    async get(key) {
      const full = pathOf(key);
      try {
        return await readFile(full);
      } catch (e) {
        if (isMissing(e)) return null;
        throw unavailable(label, e);
      }
    },

    async open(key) {
      const full = pathOf(key);
      let handle;
      try {
        handle = await open(full, "r");
      } catch (e) {
        if (isMissing(e)) return null;
        throw unavailable(label, e);
      }
      try {
        const { size } = await handle.stat();
        const body = Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
        return { body, size };
      } catch (e) {
        await handle.close().catch(() => undefined);
        throw unavailable(label, e);
      }
    },

    async stat(key) {
      try {
        const s = await stat(pathOf(key));
        return s.isFile() ? { size: s.size, modifiedAt: s.mtime } : null;
      } catch (e) {
        if (isMissing(e)) return null;
        throw unavailable(label, e);
      }
    },

    async delete(key) {
      try {
        await rm(pathOf(key), { force: true });
      } catch (e) {
        throw unavailable(label, e);
      }
    },

    async deletePrefix(prefix) {
      assertSafePrefix(prefix);
      let count = 0;
      for await (const object of walk(path.join(root, ...prefix.slice(0, -1).split("/")), prefix)) if (object) count++;
      try {
        await rm(path.join(root, ...prefix.slice(0, -1).split("/")), { recursive: true, force: true });
      } catch (e) {
        throw unavailable(label, e);
      }
      return count;
    },

    list(prefix) {
      if (prefix === undefined) return walk(root, "");
      assertSafePrefix(prefix);
      return walk(path.join(root, ...prefix.slice(0, -1).split("/")), prefix);
    },

    /** no file in it (empty directories a deleted prefix leaves behind do not count) */
    async isEmpty() {
      for await (const object of walk(root, "")) if (object) return false;
      return true;
    },

    async clear() {
      for (const e of await readdir(root).catch(() => [] as string[])) await rm(path.join(root, e), { recursive: true, force: true });
    },

    /**
     * The directory must not be inside the project's public/ (whose files are served to anyone) and
     * the server must be able to create, write and remove files in it.
     */
    async problems(cwd) {
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
    },
  };
  return store;
}
