import { z } from "zod";
import type { MessageKey } from "@/lib/i18n";
import { toCsv } from "@/lib/csv";

// CSV import of renters and units (/import): the columns of each kind, the downloadable
// templates, and the shape of a preview (per-row problems) shared by the service and the page.

export const IMPORT_KINDS = ["renters", "units"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Column names as written in the header (matched case-insensitively; spaces and hyphens count as "_"). */
export const IMPORT_COLUMNS = {
  renters: ["name_km", "name_latin", "phone", "email", "telegram", "emergency_name", "emergency_phone", "notes", "locale"],
  units: ["property", "code", "floor", "size_sqm", "base_rent", "currency", "status"],
} as const satisfies Record<ImportKind, readonly string[]>;

export type RenterColumn = (typeof IMPORT_COLUMNS.renters)[number];
export type UnitColumn = (typeof IMPORT_COLUMNS.units)[number];

/** Columns the header must have (a renter also needs a name in one script: checked per row). */
export const REQUIRED_COLUMNS: Record<ImportKind, readonly string[]> = {
  renters: ["phone"],
  units: ["property", "code", "base_rent"],
};

export const MAX_IMPORT_ROWS = 1000;
export const MAX_IMPORT_CHARS = 1_000_000;

export const importCsvSchema = z.object({
  csv: z.string().max(MAX_IMPORT_CHARS, "imports.errors.tooLarge"),
});

const TEMPLATE_ROWS: Record<ImportKind, string[][]> = {
  renters: [
    [...IMPORT_COLUMNS.renters],
    ["សុខ ដារ៉ា", "Sok Dara", "012 345 678", "dara@example.com", "@sokdara", "សុខ ម៉ាលី", "+855 97 123 4567", "Pays in cash", "km"],
    ["ចាន់ សុភា", "Chan Sophea", "+855 10 222 333", "", "", "", "", 'Second floor, has a motorbike, "quiet"', "en"],
  ],
  units: [
    [...IMPORT_COLUMNS.units],
    ["Riverside Apartments", "A-101", "1", "28", "180", "USD", "vacant"],
    ["Riverside Apartments", "A-102", "1", "32.5", "210.50", "USD", "maintenance"],
    ["Riverside Apartments", "B-201", "2", "", "800000", "KHR", "vacant"],
  ],
};

/** The template CSV of a kind: its header and example rows (UTF-8 with a byte-order mark, so Excel shows Khmer). */
export function importTemplate(kind: ImportKind): string {
  return `\uFEFF${toCsv(TEMPLATE_ROWS[kind])}`;
}

export function importTemplateName(kind: ImportKind): string {
  return `phteah-${kind}-template.csv`;
}

/** One problem: `line` of the CSV file (null: the whole file), `column` when it is one field's. */
export interface ImportIssue {
  line: number | null;
  column: string | null;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface ImportPreviewRow {
  line: number;
  /** the values as they will be stored (phones in E.164, money in the unit's currency) */
  values: Record<string, string>;
  issues: ImportIssue[];
}

export interface ImportPreview {
  kind: ImportKind;
  columns: string[];
  rows: ImportPreviewRow[];
  /** problems of the file as a whole (header, size, plan limit, unreadable lines) */
  fileIssues: ImportIssue[];
  validCount: number;
  invalidCount: number;
}

export type ImportCommitResult = { status: "imported"; kind: ImportKind; count: number } | { status: "invalid"; preview: ImportPreview };

/** Whether a preview can be imported as it is. */
export function isImportable(preview: ImportPreview): boolean {
  return preview.fileIssues.length === 0 && preview.invalidCount === 0 && preview.validCount > 0;
}
