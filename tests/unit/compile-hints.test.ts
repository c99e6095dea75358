// Issue 17, fast on phones: the chunks every page runs on load are marked for V8's eager compilation
// after the production compile (next.config.ts → scripts/lib/compile-hints.ts).
import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addCompileHints, COMPILE_HINT } from "../../scripts/lib/compile-hints";
import { readSource } from "../support/imports";

async function dist(rootMainFiles: string[] | undefined) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "phteah-hints-"));
  await mkdir(path.join(dir, "static/chunks"), { recursive: true });
  await writeFile(path.join(dir, "build-manifest.json"), JSON.stringify({ pages: {}, ...(rootMainFiles ? { rootMainFiles } : {}) }));
  for (const name of ["framework.js", "router.js", "page.js"])
    await writeFile(path.join(dir, "static/chunks", name), `(globalThis.TURBOPACK||[]).push(["${name}"]);`);
  await writeFile(path.join(dir, "static/chunks/router.js.map"), JSON.stringify({ version: 3, mappings: "AAAA,CAAC", sources: ["r.ts"] }));
  return dir;
}
const read = (dir: string, name: string) => readFile(path.join(dir, "static/chunks", name), "utf8");

describe("compile hints on the framework chunks", () => {
  it("marks the build manifest's rootMainFiles once, leaves a page's own chunks and shifts a source map by the added line", async () => {
    const dir = await dist(["static/chunks/framework.js", "static/chunks/router.js", "static/css/app.css"]);
    expect(await addCompileHints(dir)).toEqual(["static/chunks/framework.js", "static/chunks/router.js"]);
    expect(await read(dir, "framework.js")).toBe(`${COMPILE_HINT}(globalThis.TURBOPACK||[]).push(["framework.js"]);`);
    expect((await read(dir, "router.js")).startsWith(COMPILE_HINT)).toBe(true);
    expect(await read(dir, "page.js")).toBe(`(globalThis.TURBOPACK||[]).push(["page.js"]);`);
    expect(JSON.parse(await read(dir, "router.js.map")).mappings).toBe(";AAAA,CAAC");
    // a second run (next build runs the hook once; a rerun must not stack comments or shift maps twice)
    expect(await addCompileHints(dir)).toEqual([]);
    expect((await read(dir, "framework.js")).split(COMPILE_HINT)).toHaveLength(2);
    expect(JSON.parse(await read(dir, "router.js.map")).mappings).toBe(";AAAA,CAAC");
  });

  it("the hint is V8's: the first line of the script, a line comment", () => {
    expect(COMPILE_HINT).toBe("//# allFunctionsCalledOnLoad\n");
  });

  it("fails the build when the manifest names no framework chunk (a Next upgrade renamed it)", async () => {
    await expect(addCompileHints(await dist(undefined))).rejects.toThrow(/rootMainFiles/);
    await expect(addCompileHints(await dist([]))).rejects.toThrow(/rootMainFiles/);
  });

  it("runs after every production compile", () => {
    expect(readSource("next.config.ts")).toMatch(
      /runAfterProductionCompile: async \(\{ distDir \}\) => \{\s*await addCompileHints\(distDir\);/,
    );
  });
});
