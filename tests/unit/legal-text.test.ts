// The legal texts' Markdown subset (lib/legal-text.ts): title, the version line (which must name the
// file's own version), headings, paragraphs, lists. Every current version's texts exist in English
// and Khmer and parse (docs/legal/, lib/legal.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLegalMarkdown } from "@/lib/legal-text";
import { CURRENT_VERSIONS } from "@/lib/legal";

describe("parseLegalMarkdown", () => {
  it("reads the title, skips the version line and gives headings, paragraphs and lists", () => {
    const doc = parseLegalMarkdown(
      "# Terms\n\nVersion 2030-01-01\n\nIntro line one\nline two.\n\n## Part\n\n- a\n- **b**\n\nEnd.\n",
      "2030-01-01",
    );
    expect(doc.title).toBe("Terms");
    expect(doc.blocks).toEqual([
      { kind: "p", text: "Intro line one line two." },
      { kind: "h2", text: "Part" },
      { kind: "ul", items: ["a", "**b**"] },
      { kind: "p", text: "End." },
    ]);
  });

  it("refuses a text whose version line names another version, or that has none", () => {
    expect(() => parseLegalMarkdown("# Terms\n\nVersion 2029-01-01\n\nBody.\n", "2030-01-01")).toThrow(/version 2030-01-01/);
    expect(() => parseLegalMarkdown("Body only.\n", "2030-01-01")).toThrow();
  });

  it.each(Object.entries(CURRENT_VERSIONS).flatMap(([doc, v]) => ["en", "km"].map((l) => [doc, v, l] as const)))(
    "the %s text, version %s, in %s exists under docs/legal and parses",
    (doc, version, locale) => {
      const source = readFileSync(path.join(process.cwd(), "docs/legal", `${doc}-${version}.${locale}.md`), "utf8");
      const parsed = parseLegalMarkdown(source, version);
      expect(parsed.blocks.filter((b) => b.kind === "h2").length).toBeGreaterThanOrEqual(3);
    },
  );
});
