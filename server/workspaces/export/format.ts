// The workspace export archive (docs/OPERATIONS.md, "Workspace export and import"): a zip holding
//   README.md             the format, for a person reading the zip
//   manifest.json         format version, app version, migration head, per-entity rows/bytes/sha256, per-file bytes/sha256
//   workspace.json        the workspace's own settings (the Tenant row)
//   users.jsonl           the platform accounts of the workspace's members (id, email, name, locale)
//   data/<Table>.jsonl    one JSON object per line per row of every table with a tenantId column, in primary-key order
//   files/<fileId>        the bytes of every uploaded file (public and private) named by a File row
// A row is PostgreSQL's own row_to_json of the row: column names as keys, money as integer minor
// units, timestamps as ISO 8601 without a zone (UTC), dates as YYYY-MM-DD. Isomorphic: no server imports.

export const EXPORT_FORMAT = "phteah-workspace-export";
export const EXPORT_VERSION = 1;

export interface ExportEntity {
  /** the table's name (Prisma model name) */
  name: string;
  /** zip entry name: data/<name>.jsonl, users.jsonl or workspace.json */
  path: string;
  columns: string[];
  primaryKey: string[];
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportFile {
  /** the File row's id; the bytes are at files/<id> */
  id: string;
  visibility: string;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  createdAt: string;
  app: { name: string; version: string };
  /** the newest migration applied when the export was taken (null when unreadable) */
  migrationHead: string | null;
  workspace: { id: string; slug: string; name: string };
  /** data/<Table>.jsonl entries, parents before children */
  entities: ExportEntity[];
  users: ExportEntity;
  settings: ExportEntity;
  /** the installation's plans (rows name them by id; an import matches them by code) */
  plans: { id: string; code: string }[];
  files: ExportFile[];
  /** File rows whose bytes were missing from storage at export time */
  missingFiles: string[];
  totals: { entities: number; rows: number; files: number; fileBytes: number };
}

export const README = `# Phteah workspace export

This zip holds every record of one Phteah workspace and every file uploaded to it.

- \`manifest.json\`: format name and version, the app version and the newest database migration it
  was taken at, and for every entry its row count, size in bytes and SHA-256 checksum.
- \`workspace.json\`: the workspace's settings (name, language, currency, time zone, ...).
- \`users.jsonl\`: the accounts of the workspace's members (id, e-mail, name, language). Passwords
  and two-factor secrets are never exported.
- \`data/<Table>.jsonl\`: one file per table that holds the workspace's rows (properties, units,
  renters, contracts, invoices, payments, messages, audit log, ...). One JSON object per line, one
  line per row, in primary-key order. Keys are the column names. Money is an integer in minor
  units with its currency (USD cents; KHR whole riel). Timestamps are UTC (ISO 8601), days are
  \`YYYY-MM-DD\` in the workspace's time zone.
- \`files/<id>\`: the bytes of each uploaded file; \`data/File.jsonl\` gives its name, type,
  visibility (public or private) and SHA-256.

Check a file: \`sha256sum data/Renter.jsonl\` must print the manifest's \`sha256\` for it.

Private files (ID documents, signed contracts) are in this zip: keep it as safe as the workspace.

An operator can import this zip into an empty workspace of a Phteah installation of the same or a
newer version: \`npm run workspace:import -- <zip> --into <slug>\`.
`;
