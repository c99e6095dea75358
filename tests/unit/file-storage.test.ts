// server/files/storage.ts: the start-up check of FILE_STORAGE_DIR (real directories on disk).
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fileStorageProblems } from "@/server/files/storage";

let base: string;
const saved = process.env.FILE_STORAGE_DIR;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "phteah-storage-"));
});
afterEach(() => {
  if (saved === undefined) delete process.env.FILE_STORAGE_DIR;
  else process.env.FILE_STORAGE_DIR = saved;
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("fileStorageProblems", () => {
  it("creates a missing directory and leaves no probe file behind", async () => {
    process.env.FILE_STORAGE_DIR = path.join(base, "new", "files");
    expect(await fileStorageProblems(base)).toEqual([]);
    expect(await readdir(process.env.FILE_STORAGE_DIR)).toEqual([]);
  });

  it("refuses a directory inside the project's public/", async () => {
    process.env.FILE_STORAGE_DIR = path.join(base, "public", "uploads");
    const problems = await fileStorageProblems(base);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("inside public/");
    process.env.FILE_STORAGE_DIR = path.join(base, "public");
    expect(await fileStorageProblems(base)).toHaveLength(1);
    // a sibling whose name merely starts with "public" is fine
    process.env.FILE_STORAGE_DIR = path.join(base, "public-files");
    expect(await fileStorageProblems(base)).toEqual([]);
  });

  it("names a path that is a file, not a directory", async () => {
    const file = path.join(base, "a-file");
    await writeFile(file, "x");
    process.env.FILE_STORAGE_DIR = file;
    expect((await fileStorageProblems(base))[0]).toMatch(/is not a writable directory \((ENOTDIR|EEXIST)\)/);
    process.env.FILE_STORAGE_DIR = path.join(file, "below");
    expect((await fileStorageProblems(base))[0]).toMatch(/is not a writable directory \(ENOTDIR\)/);
  });
});
