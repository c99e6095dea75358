import "server-only";
import type { MessageKey } from "@/lib/i18n";
import { parseCsv, type CsvErrorCode } from "@/lib/csv";
import type { RenterInput } from "@/lib/schemas/renters";
import type { RentCurrency } from "@/lib/schemas/properties";
import {
  IMPORT_COLUMNS,
  MAX_IMPORT_CHARS,
  MAX_IMPORT_ROWS,
  REQUIRED_COLUMNS,
  type ImportIssue,
  type ImportKind,
  type ImportPreview,
  type ImportPreviewRow,
} from "@/lib/schemas/imports";

// The uploaded CSV as a sheet (header names normalised, required columns checked, size limits) and
// the per-row pieces of a preview (zod issues mapped to the file's column names). No database:
// import-service.ts checks the rows against the workspace and writes them.

const CSV_ERROR_KEYS: Record<CsvErrorCode, MessageKey> = {
  unterminatedQuote: "imports.errors.unterminatedQuote",
  quoteInUnquotedField: "imports.errors.quoteInUnquotedField",
  textAfterQuote: "imports.errors.textAfterQuote",
};

/** "Name KM", "name-km", " NAME_KM " → "name_km". */
function normalizeHeader(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

export interface Sheet {
  columns: string[];
  rows: Array<{ line: number; cells: Record<string, string>; issues: ImportIssue[] }>;
  fileIssues: ImportIssue[];
}

/** CSV text → header-checked rows of trimmed cells by column name; problems of the file and of each row. */
export function readSheet(kind: ImportKind, csv: string): Sheet {
  const fileIssues: ImportIssue[] = [];
  if (csv.length > MAX_IMPORT_CHARS)
    return { columns: [], rows: [], fileIssues: [{ line: null, column: null, key: "imports.errors.tooLarge" }] };
  const parsed = parseCsv(csv);
  for (const e of parsed.errors) fileIssues.push({ line: e.line, column: null, key: CSV_ERROR_KEYS[e.code] });
  const [header, ...body] = parsed.records;
  if (!header) {
    if (fileIssues.length === 0) fileIssues.push({ line: null, column: null, key: "imports.errors.empty" });
    return { columns: [], rows: [], fileIssues };
  }
  const known: readonly string[] = IMPORT_COLUMNS[kind];
  const columns = header.fields.map(normalizeHeader);
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === "") continue;
    if (!known.includes(c))
      fileIssues.push({
        line: header.line,
        column: c,
        key: "imports.errors.unknownColumn",
        params: { column: c, expected: known.join(", ") },
      });
    else if (seen.has(c)) fileIssues.push({ line: header.line, column: c, key: "imports.errors.duplicateColumn", params: { column: c } });
    seen.add(c);
  }
  for (const c of REQUIRED_COLUMNS[kind]) {
    if (!seen.has(c)) fileIssues.push({ line: header.line, column: c, key: "imports.errors.missingColumn", params: { column: c } });
  }
  const rows: Sheet["rows"] = [];
  for (const record of body) {
    if (record.fields.every((f) => f.trim() === "")) continue;
    const issues: ImportIssue[] = [];
    if (record.fields.length > columns.length && record.fields.slice(columns.length).some((f) => f.trim() !== "")) {
      issues.push({
        line: record.line,
        column: null,
        key: "imports.errors.tooManyFields",
        params: { count: record.fields.length, expected: columns.length },
      });
    }
    const cells: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (c && known.includes(c)) cells[c] = (record.fields[i] ?? "").trim();
    });
    rows.push({ line: record.line, cells, issues });
  }
  if (rows.length === 0 && fileIssues.length === 0) fileIssues.push({ line: null, column: null, key: "imports.errors.noRows" });
  if (rows.length > MAX_IMPORT_ROWS)
    fileIssues.push({ line: null, column: null, key: "imports.errors.tooManyRows", params: { max: MAX_IMPORT_ROWS, count: rows.length } });
  return { columns: columns.filter((c) => known.includes(c)), rows, fileIssues };
}

/** Schema field → CSV column, for placing a zod issue on its column. */
export const RENTER_FIELD_COLUMNS: Record<string, string> = {
  nameKm: "name_km",
  nameLatin: "name_latin",
  phone: "phone",
  email: "email",
  telegram: "telegram",
  emergencyName: "emergency_name",
  emergencyPhone: "emergency_phone",
  notes: "notes",
  locale: "locale",
};
export const UNIT_FIELD_COLUMNS: Record<string, string> = {
  code: "code",
  floor: "floor",
  sizeSqm: "size_sqm",
  baseRent: "base_rent",
  currency: "currency",
  status: "status",
};

export function zodIssues(
  line: number,
  error: { issues: Array<{ path: PropertyKey[]; message: string }> },
  columnsByField: Record<string, string>,
): ImportIssue[] {
  const out: ImportIssue[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const column = columnsByField[String(issue.path[0] ?? "")] ?? null;
    const id = `${column}:${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ line, column, key: issue.message as MessageKey });
  }
  return out;
}

export interface ValidRenter {
  line: number;
  data: RenterInput;
}
export interface ValidUnit {
  line: number;
  data: {
    propertyId: string;
    code: string;
    floor: number | null;
    sizeSqm: number | null;
    baseRent: number;
    currency: RentCurrency;
    status: "vacant" | "maintenance";
  };
}

export interface Checked<T> {
  preview: ImportPreview;
  valid: T[];
}

export function finish<T>(kind: ImportKind, sheet: Sheet, rows: ImportPreviewRow[], valid: T[]): Checked<T> {
  const invalidCount = rows.filter((r) => r.issues.length > 0).length;
  return {
    preview: { kind, columns: sheet.columns, rows, fileIssues: sheet.fileIssues, validCount: rows.length - invalidCount, invalidCount },
    valid,
  };
}
