import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * V8's explicit compile hint (Chromium 136 and later; other browsers read a comment): a script whose
 * first line is this comment has all its functions compiled eagerly, on the thread that streams it in,
 * instead of lazily on the main thread the first time each runs.
 */
export const COMPILE_HINT = "//# allFunctionsCalledOnLoad\n";

/**
 * Marks the chunks every App Router page runs at once on load (React DOM, Next's client router and
 * Turbopack's runtime: the build manifest's `rootMainFiles`) for eager compilation. Most of their
 * functions run while a page hydrates, so compiling them lazily on the main thread was most of the
 * first script task on a phone (issue 17: the dashboard's framework task, 90–114 ms → 27–45 ms on this
 * machine's Chromium). Runs from next.config.ts after the production compile; a chunk already marked
 * is left as it is. A chunk's source map, when there is one, is shifted by the added line.
 * Returns the chunks it marked.
 */
export async function addCompileHints(distDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles?: string[] };
  const files = (manifest.rootMainFiles ?? []).filter((f) => f.endsWith(".js"));
  if (files.length === 0) throw new Error(`${distDir}/build-manifest.json lists no rootMainFiles: the framework chunks were not found`);
  const marked: string[] = [];
  for (const file of files) {
    const full = path.join(distDir, file);
    const source = await readFile(full, "utf8");
    if (source.startsWith(COMPILE_HINT)) continue;
    await writeFile(full, COMPILE_HINT + source);
    const map = await readFile(`${full}.map`, "utf8").catch(() => null);
    if (map) {
      const parsed = JSON.parse(map) as { mappings?: string };
      if (typeof parsed.mappings === "string")
        await writeFile(`${full}.map`, JSON.stringify({ ...parsed, mappings: `;${parsed.mappings}` }));
    }
    marked.push(file);
  }
  return marked;
}
