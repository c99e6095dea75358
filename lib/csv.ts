// The one CSV reader and writer (RFC 4180, no dependency): quoted fields with commas, line breaks
// and doubled quotes (""), CRLF / LF / CR record ends, a UTF-8 byte-order mark at the start (Excel
// writes one), and the delimiter of the header line (comma; tab when pasted from a spreadsheet;
// semicolon from European-locale Excel). Errors name the line they start on.
//
// Every CSV the product writes (audit and billing exports, import templates) goes through
// csvField, which guards against spreadsheet formulas: a cell starting with = + - @ tab or CR gets
// a leading apostrophe, so a value someone else controls (a target id, a renter's note, a
// reference) cannot run as a formula in the reader's Excel. The reader drops that apostrophe
// again, so a file we wrote (a template, an export) reads back as the values we put in.

export type CsvDelimiter = "," | "\t" | ";";

export interface CsvRecord {
  /** 1-based line of the file where the record starts (quoted fields may span lines) */
  line: number;
  fields: string[];
}

export type CsvErrorCode = "unterminatedQuote" | "quoteInUnquotedField" | "textAfterQuote";

export interface CsvError {
  line: number;
  code: CsvErrorCode;
}

export interface CsvParseResult {
  records: CsvRecord[];
  errors: CsvError[];
  delimiter: CsvDelimiter;
}

const BOM = "\uFEFF";

/** UTF-8 byte-order mark: Excel reads a CSV as UTF-8 (Khmer text) only with it. */
export const CSV_BOM = BOM;

/** A cell a spreadsheet would run as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell csvField guarded: the apostrophe it added, then a formula start. */
const GUARDED = /^'[=+\-@\t\r]/;

/** The delimiter of the first line outside quotes: a comma unless the line has none and has tabs or semicolons. */
export function detectDelimiter(text: string): CsvDelimiter {
  let inQuotes = false;
  const counts = { ",": 0, "\t": 0, ";": 0 };
  for (const ch of text.startsWith(BOM) ? text.slice(1) : text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) break;
    else if (!inQuotes && (ch === "," || ch === "\t" || ch === ";")) counts[ch] += 1;
  }
  if (counts[","] > 0) return ",";
  if (counts["\t"] > 0 && counts["\t"] >= counts[";"]) return "\t";
  if (counts[";"] > 0) return ";";
  return ",";
}

/**
 * Parses CSV text into records. Lines that are completely empty are skipped (a trailing newline
 * or blank lines in a pasted block are not records). A malformed record is reported with its
 * line and left out; parsing goes on at the next record.
 */
export function parseCsv(input: string, options: { delimiter?: CsvDelimiter } = {}): CsvParseResult {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];

  let line = 1;
  let i = 0;
  const n = text.length;

  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let error: CsvErrorCode | null = null;
    let endOfRecord = false;

    while (!endOfRecord) {
      let field = "";
      if (text[i] === '"') {
        // quoted field: runs to the next quote that is not doubled
        i += 1;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (ch === "\r") {
            // CRLF inside quotes is one line break, kept as written
            line += 1;
            if (text[i + 1] === "\n") {
              field += "\r\n";
              i += 2;
              continue;
            }
          } else if (ch === "\n") {
            line += 1;
          }
          field += ch;
          i += 1;
        }
        if (!closed) {
          error ??= "unterminatedQuote";
          fields.push(field);
          break;
        }
        // after the closing quote: a delimiter, a record end or the end of the text
        if (i < n && text[i] !== delimiter && text[i] !== "\r" && text[i] !== "\n") {
          error ??= "textAfterQuote";
          while (i < n && text[i] !== delimiter && text[i] !== "\r" && text[i] !== "\n") i += 1;
        }
      } else {
        while (i < n && text[i] !== delimiter && text[i] !== "\r" && text[i] !== "\n") {
          if (text[i] === '"') error ??= "quoteInUnquotedField";
          field += text[i];
          i += 1;
        }
      }
      fields.push(GUARDED.test(field) ? field.slice(1) : field);

      if (i >= n) {
        endOfRecord = true;
      } else if (text[i] === delimiter) {
        i += 1;
        // a delimiter at the very end of the text still opens one last (empty) field
        if (i >= n) {
          fields.push("");
          endOfRecord = true;
        }
      } else {
        // \r\n, \n or a lone \r ends the record
        if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
        else i += 1;
        line += 1;
        endOfRecord = true;
      }
    }

    if (error) {
      errors.push({ line: recordLine, code: error });
      continue;
    }
    const blank = fields.length === 1 && fields[0] === "";
    if (!blank) records.push({ line: recordLine, fields });
  }

  return { records, errors, delimiter };
}

export type CsvCell = string | null | undefined;

/**
 * One field as CSV: null and undefined are empty; a formula start (= + - @ tab CR) gets a leading
 * apostrophe; the field is quoted (quotes doubled) when it holds the delimiter, a quote, a line
 * break or edge spaces.
 */
export function csvField(value: CsvCell, delimiter: CsvDelimiter = ","): string {
  if (value === null || value === undefined || value === "") return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return needsQuotes(safe, delimiter) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The delimiter, a quote, CR or LF anywhere, or white space at either end (what `trim` removes).
 * One pass over char codes: exports call this for every cell of every row.
 */
function needsQuotes(s: string, delimiter: CsvDelimiter): boolean {
  const d = delimiter.charCodeAt(0);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === d || c === 34 || c === 13 || c === 10) return true;
  }
  // printable ASCII at both ends cannot be white space; anything else asks trim itself
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (first > 32 && first < 127 && last > 32 && last < 127) return false;
  return s !== s.trim();
}

/** One record with its CRLF line end (RFC 4180): the unit of a streamed export. */
export function csvLine(cells: readonly CsvCell[], delimiter: CsvDelimiter = ","): string {
  let line = cells.length > 0 ? csvField(cells[0], delimiter) : "";
  for (let i = 1; i < cells.length; i++) line += delimiter + csvField(cells[i], delimiter);
  return `${line}\r\n`;
}

/** Rows → CSV text with CRLF line ends. */
export function toCsv(rows: readonly (readonly CsvCell[])[], delimiter: CsvDelimiter = ","): string {
  return rows.map((row) => csvLine(row, delimiter)).join("");
}
