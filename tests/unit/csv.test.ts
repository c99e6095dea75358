// lib/csv.ts: RFC 4180 quoting, escaped quotes, CRLF/LF/CR, BOM, delimiters, errors with lines, and the writer.
import { describe, expect, it } from "vitest";
import { CSV_BOM, csvField, csvLine, detectDelimiter, parseCsv, toCsv } from "@/lib/csv";

const fields = (text: string) => parseCsv(text).records.map((r) => r.fields);

describe("parseCsv", () => {
  it("splits plain records on commas and CRLF", () => {
    expect(fields("a,b,c\r\n1,2,3\r\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
  });

  it("accepts LF and lone CR record ends, and no final line break", () => {
    expect(fields("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fields("a,b\r1,2\r")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("keeps delimiters, line breaks and doubled quotes inside quoted fields", () => {
    const text = 'name,notes\r\n"Sok, Dara","He said ""hi""\r\nsecond line"\r\n"",x\r\n';
    expect(fields(text)).toEqual([
      ["name", "notes"],
      ["Sok, Dara", 'He said "hi"\r\nsecond line'],
      ["", "x"],
    ]);
  });

  it("strips a UTF-8 byte-order mark and keeps Khmer text intact", () => {
    const result = parseCsv("\uFEFFname_km,phone\r\nសុខ ដារ៉ា,012 345 678\r\n");
    expect(result.records[0]!.fields).toEqual(["name_km", "phone"]);
    expect(result.records[1]!.fields).toEqual(["សុខ ដារ៉ា", "012 345 678"]);
  });

  it("keeps empty fields, including a trailing one", () => {
    expect(fields("a,,c,\r\n")).toEqual([["a", "", "c", ""]]);
    expect(fields(",")).toEqual([["", ""]]);
  });

  it("skips blank lines but reports the line each record starts on", () => {
    const r = parseCsv('h1,h2\r\n\r\n"multi\nline",x\r\nlast,y\r\n\r\n');
    expect(r.records.map((x) => [x.line, x.fields[0]])).toEqual([
      [1, "h1"],
      [3, "multi\nline"],
      [5, "last"],
    ]);
    expect(r.errors).toEqual([]);
  });

  it("reports an unterminated quote with its line", () => {
    const r = parseCsv('a,b\r\n1,"open\r\n2,3\r\n');
    expect(r.records.map((x) => x.fields)).toEqual([["a", "b"]]);
    expect(r.errors).toEqual([{ line: 2, code: "unterminatedQuote" }]);
  });

  it("reports a stray quote in an unquoted field and text after a closing quote, and goes on", () => {
    const r = parseCsv('a,b\r\n1,2"x\r\n"q"z,3\r\nok,4\r\n');
    expect(r.errors).toEqual([
      { line: 2, code: "quoteInUnquotedField" },
      { line: 3, code: "textAfterQuote" },
    ]);
    expect(r.records.map((x) => x.fields)).toEqual([
      ["a", "b"],
      ["ok", "4"],
    ]);
  });

  it("detects tab (pasted from a spreadsheet) and semicolon delimiters", () => {
    expect(detectDelimiter("a\tb\tc\n1\t2\t3")).toBe("\t");
    expect(detectDelimiter("a;b;c")).toBe(";");
    expect(detectDelimiter('"x,y";b;c')).toBe(";");
    expect(detectDelimiter("a,b;c")).toBe(",");
    expect(fields("name\tphone\r\nSok, Dara\t012 345 678\r\n")).toEqual([
      ["name", "phone"],
      ["Sok, Dara", "012 345 678"],
    ]);
    expect(fields("a;b\n1,5;2")).toEqual([
      ["a", "b"],
      ["1,5", "2"],
    ]);
  });

  it("returns nothing for empty input", () => {
    expect(parseCsv("")).toEqual({ records: [], errors: [], delimiter: "," });
    expect(parseCsv("\uFEFF").records).toEqual([]);
  });
});

describe("toCsv", () => {
  it("quotes only what needs quoting and ends records with CRLF", () => {
    expect(toCsv([["a", "b,c", 'say "hi"', "two\nlines", " padded", ""]])).toBe('a,"b,c","say ""hi""","two\nlines"," padded",\r\n');
  });

  it("round-trips through the parser", () => {
    const rows = [
      ["name_km", "name_latin", "notes"],
      ["សុខ ដារ៉ា", "Sok, Dara", 'He said "hi"\r\nand left'],
      ["", "x", ""],
    ];
    expect(fields(toCsv(rows))).toEqual(rows);
  });
});

describe("the spreadsheet-formula guard", () => {
  it("puts an apostrophe before a cell starting with = + - @ tab or CR", () => {
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("+855 12 345 678")).toBe("'+855 12 345 678");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("\rx")).toBe('"\'\rx"');
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField("=a,b")).toBe('"\'=a,b"');
  });

  it("leaves other cells alone, formula characters inside included", () => {
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("1-2")).toBe("1-2");
    expect(csvField("dara@example.com")).toBe("dara@example.com");
    expect(csvField("'quoted")).toBe("'quoted");
    expect(csvField("")).toBe("");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  it("guards with any delimiter and quotes by that delimiter", () => {
    expect(csvField("=1;2", ";")).toBe('"\'=1;2"');
    expect(csvField("a,b", ";")).toBe("a,b");
    expect(csvField("a\tb", "\t")).toBe('"a\tb"');
  });

  it("writes records with CRLF and exports start with the UTF-8 byte-order mark", () => {
    expect(csvLine(["a", null, "=x", "b c"])).toBe("a,,'=x,b c\r\n");
    expect(CSV_BOM).toBe("\uFEFF");
    const text = CSV_BOM + toCsv([["name_km"], ["សុខ"]]);
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(fields(text)).toEqual([["name_km"], ["សុខ"]]);
  });

  it("reads a guarded file back as the values written (templates and exports round-trip)", () => {
    const rows = [
      ["phone", "telegram", "note"],
      ["+855 97 123 4567", "@sokdara", "=cmd|' /C calc'!A0"],
      ["-3", "\tindented", "a=b"],
    ];
    const text = toCsv(rows);
    expect(text).toContain("'+855 97 123 4567");
    expect(text).toContain("'@sokdara");
    expect(fields(text)).toEqual(rows);
    // an apostrophe that guards nothing is data
    expect(fields("'quoted,'1\r\n")).toEqual([["'quoted", "'1"]]);
  });
});
