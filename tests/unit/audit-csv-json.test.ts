import { describe, expect, it } from "vitest";
import { compactJsonbText } from "@/server/audit/audit-query";

// The audit CSV's metadata column is PostgreSQL's jsonb text made compact in one pass: it must be
// exactly what JSON.stringify writes for the parsed value (the export's format before the change).

/** jsonb's text output for a JSON value: ", " and ": " between items, no other white space outside strings. */
function jsonbText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${jsonbText(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}

describe("compactJsonbText", () => {
  const cases: unknown[] = [
    { before: { role: "viewer" }, after: { role: "manager" }, note: "needle" },
    { text: 'a, "b"' },
    { "key: with, separators": "value: with, separators", "": "" },
    { quote: '\\", ' + '"', backslash: "\\", tail: "ends with a backslash \\" },
    { lines: "one\ntwo\r\nthree\ttab\u0001ctl", khmer: "ផ្ទះ, ជួល: ១" },
    { nested: [1, 2.5, -3, [true, false, null], { a: [] }, {}], n: 0 },
    ["a, b", ": c", 'd"e', 1],
    "a top-level string, with: separators",
    42,
    null,
  ];
  it.each(cases.map((c) => [jsonbText(c), c]))("%s", (text, value) => {
    expect(compactJsonbText(text)).toBe(JSON.stringify(value));
  });

  it("matches PostgreSQL's own output for the shapes the app writes", () => {
    // literal jsonb::text outputs (PostgreSQL sorts keys by length, then bytes)
    expect(compactJsonbText('{"after": {"role": "manager"}, "before": {"role": "viewer"}}')).toBe(
      '{"after":{"role":"manager"},"before":{"role":"viewer"}}',
    );
    expect(compactJsonbText('{"text": "a, \\"b\\""}')).toBe('{"text":"a, \\"b\\""}');
  });
});
