// docs/REQUIREMENTS.md names, for every acceptance criterion, the test that proves it
// (`<file> › <title>`). This fails when a named file or test title no longer exists.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const DOC = readFileSync(path.join(ROOT, "docs/REQUIREMENTS.md"), "utf8");
const REFERENCE = /`((?:tests|e2e)\/[^`]+?\.(?:test|spec)\.ts) › ([^`]+)`/g;

/** Every `file › title` reference of the document, with the line it is on. */
function references(text: string): { file: string; title: string; line: number }[] {
  const out: { file: string; title: string; line: number }[] = [];
  text.split("\n").forEach((lineText, i) => {
    for (const m of lineText.matchAll(REFERENCE)) out.push({ file: m[1]!, title: m[2]!.trim(), line: i + 1 });
  });
  return out;
}

/** Whether the test file declares a test (it/test) with exactly this title, in any quote style. */
function declares(source: string, title: string): boolean {
  return ['"', "'", "`"].some((q) => new RegExp(`\\b(?:it|test)(?:\\.\\w+)*\\(\\s*${q}${escapeRegExp(title)}${q}`).test(source));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("docs/REQUIREMENTS.md", () => {
  const refs = references(DOC);

  it("names tests for every area", () => {
    const areas = DOC.split("\n").filter((l) => l.startsWith("## "));
    expect(areas.length).toBeGreaterThanOrEqual(12);
    for (const section of DOC.split(/\n(?=## )/).slice(1)) expect(references(section).length, section.split("\n")[0]).toBeGreaterThan(2);
    expect(refs.length).toBeGreaterThan(60);
  });

  it("names only tests that exist (file and title)", () => {
    const missing: string[] = [];
    const sources = new Map<string, string | null>();
    for (const r of refs) {
      if (!sources.has(r.file)) {
        const full = path.join(ROOT, r.file);
        sources.set(r.file, existsSync(full) ? readFileSync(full, "utf8") : null);
      }
      const source = sources.get(r.file);
      if (source === null) missing.push(`line ${r.line}: ${r.file} does not exist`);
      else if (!declares(source!, r.title)) missing.push(`line ${r.line}: ${r.file} has no test titled "${r.title}"`);
    }
    expect(missing).toEqual([]);
  });

  it("finds a missing title (the check itself works)", () => {
    const source = 'it("does one thing", () => {});\ntest(`another`, () => {});';
    expect(declares(source, "does one thing")).toBe(true);
    expect(declares(source, "another")).toBe(true);
    expect(declares(source, "does one")).toBe(false);
    expect(references("- x — `tests/unit/a.test.ts › does one thing`")).toEqual([
      { file: "tests/unit/a.test.ts", title: "does one thing", line: 1 },
    ]);
  });
});
