// Reading the project's own source in tests: resolve a file's local imports and walk the modules a
// set of entry files loads. Used by the tests that check what a page ships to the browser (the pay
// page's island, the workspace home's message scopes).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");

/** A project file's text, by its path from the project root. */
export const readSource = (file: string): string => readFileSync(path.join(ROOT, file), "utf8");

/** A local import (`@/…` or relative) of `from`, as a project file from the root; null when not local. */
export function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("@/")
    ? path.join(ROOT, spec.slice(2))
    : spec.startsWith(".")
      ? path.resolve(path.dirname(path.join(ROOT, from)), spec)
      : null;
  if (!base) return null;
  for (const ext of [".ts", ".tsx", "/index.ts", "/index.tsx"]) if (existsSync(base + ext)) return path.relative(ROOT, base + ext);
  return null;
}

const IMPORTS = /^import\s+(?!type\s)[^;]*?from\s+"([^"]+)";/gms;
const IMPORTS_AND_REEXPORTS = /^(?:import|export)\s+(?!type\s)[^;]*?from\s+"([^"]+)";/gms;

export interface ClosureOptions {
  /** follow `export … from` as well as `import … from` */
  reExports?: boolean;
  /** whether a reached project file belongs in the result (default: all) */
  keep?: (file: string) => boolean;
  /** whether a kept file's own imports are followed (default: all) */
  follow?: (file: string) => boolean;
  /** also put in the result the specifiers that are not project files, and every `@/…` one */
  specifiers?: boolean;
}

/**
 * The project files the entries load, transitively through value imports (type-only imports are
 * erased and not followed).
 */
export function importClosure(entries: readonly string[], options: ClosureOptions = {}): Set<string> {
  const { reExports = false, keep = () => true, follow = () => true, specifiers = false } = options;
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file) || !keep(file)) continue;
    seen.add(file);
    if (!follow(file)) continue;
    for (const m of readSource(file).matchAll(reExports ? IMPORTS_AND_REEXPORTS : IMPORTS)) {
      const spec = m[1]!;
      const local = resolveLocal(file, spec);
      if (local) stack.push(local);
      if (specifiers && (!local || spec.startsWith("@/"))) seen.add(spec);
    }
  }
  return seen;
}

/** The value at a dotted key of a messages catalog (undefined where there is none). */
export const messageAt = (messages: unknown, key: string): unknown =>
  key
    .split(".")
    .reduce<unknown>(
      (node, part) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[part] : undefined),
      messages,
    );
