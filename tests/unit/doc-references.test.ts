// Code comments cite the project's own documents ("docs/BAKONG.md §4"). A comment that points at a
// document outside the repository, at a file that does not exist, or at a section a document does not
// have sends the next reader nowhere; this walks every source file and checks each citation.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => /\.(ts|tsx|mjs|mts|sh|md|prisma)$/.test(f) && !f.startsWith("server/db/generated/") && existsSync(f));

const citations = files.flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/(?<![\w/.-])((?:docs\/)?[A-Z][A-Z_]+\.md|[a-z-]+\.md)(?![\w])(?:\s*§\s*(\d+))?/g)].map((m) => ({
    file,
    doc: m[1]!,
    section: m[2],
  })),
);

describe("documents cited in the code", () => {
  it("finds citations to check", () => {
    expect(citations.filter((c) => c.doc.startsWith("docs/")).length).toBeGreaterThan(10);
  });

  it("every cited document is in the repository", () => {
    const missing = citations
      .filter(
        (c) => !existsSync(c.doc) && !existsSync(`docs/${c.doc}`) && !/^(README|CONTRIBUTING|CHANGELOG|SKILL|AGENTS)\.md$/.test(c.doc),
      )
      .map((c) => `${c.file}: ${c.doc}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("nothing points outside the repository", () => {
    const outside = files.filter(
      (f) => f !== "tests/unit/doc-references.test.ts" && /\.\.\/shared\/|\/work\/shared/.test(readFileSync(f, "utf8")),
    );
    expect(outside).toEqual([]);
  });

  it("every cited section exists", () => {
    const bad = citations
      .filter((c) => c.section && existsSync(c.doc))
      .filter((c) => !new RegExp(`^#+\\s*${c.section}\\.`, "m").test(readFileSync(c.doc, "utf8")))
      .map((c) => `${c.file}: ${c.doc} §${c.section}`);
    expect([...new Set(bad)]).toEqual([]);
  });
});
