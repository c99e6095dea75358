// Migration lint (run by `npm run db:check`): new migration SQL must not contain destructive or
// locking statements that would break the previous release still serving traffic while, or after,
// the migration runs (docs/OPERATIONS.md, "Expand, migrate data, contract"), unless the statement
// carries an explicit, reasoned marker in the comment lines right above it:
//
//   -- migration-lint: allow drop-column because the previous release no longer reads "Renter"."fax" (removed in 0.3)
//
// A marker names one or more rules (comma-separated) and MUST give a reason after "because". It
// applies to the one statement that follows it; a marker that allows nothing there is an error too
// (stale markers would hide the next real finding). `-- migration-lint: allow-all <rule> because …`
// (anywhere in the file) allows that rule for every statement of the file, e.g. a run of indexes on
// one table; it too must be used at least once.
//
// Migrations of the previous release (RELEASED_MIGRATIONS below) are not linted: they have already
// run everywhere. Everything newer is linted, and is therefore expand-only or marked.

import fs from "node:fs/promises";
import path from "node:path";
import { MIGRATIONS_DIR } from "./engine";

/**
 * The previous release: the migration set of commit eb91fb9 (2026-12-06 20:29 UTC, the last
 * landed release; before it e9f0b75 at 17:42 and baea594 at 14:15), i.e. every migration up to and
 * including this list's last entry. When a release ships, append its migrations here (and update
 * PREVIOUS_RELEASE).
 */
export const PREVIOUS_RELEASE = { commit: "eb91fb9", name: "eb91fb9 (2026-12-06 20:29 UTC)" } as const;
export const RELEASED_MIGRATIONS: readonly string[] = [
  "20261121130458_init",
  "20261121130600_row_level_security",
  "20261121132652_team_admin_console",
  "20261121153604_billing_khqr",
  "20261121165759_notifications",
  "20261121190023_rental_operations",
  "20261121190454_tenant_logo_reminders",
  "20261121200528_rent_invoice_billed_period",
  "20261206065107_admin_mfa_enrolment_token",
  "20261206115734_request_context",
  "20261206120500_workspace_list_keyset_indexes",
  "20261206120714_list_keyset_indexes",
  "20261206123500_job_runs",
  "20261206124650_enums_to_text",
  "20261206131730_console_list_keyset_indexes",
  "20261206135500_drop_contract_enddate_prefix_index",
  // released in e9f0b75 (2026-12-06 17:42 UTC)
  "20261206152809_workspace_deletion_erasure_consent",
  "20261206153050_job_leases",
  "20261206153900_invoice_payment_property",
  "20261206153901_invoice_payment_property_validate",
  "20261206153902_rent_invoice_list_property_issuedAt_idx",
  "20261206153903_rent_invoice_list_property_dueDate_idx",
  "20261206153904_rent_invoice_list_property_number_idx",
  "20261206153905_rent_invoice_list_property_total_idx",
  "20261206153906_rent_invoice_list_property_period_idx",
  "20261206153907_payment_list_property_paidAt_idx",
  "20261206153908_payment_list_property_createdAt_idx",
  "20261206153909_payment_list_property_amount_idx",
  "20261206172500_property_checks_per_statement",
  // released in eb91fb9 (2026-12-06 20:29 UTC)
  "20261206181500_telegram_channel",
  "20261206181501_renter_telegram_chat_idx",
  "20261206181600_onboarding_checklist_dismissed",
  "20261206182000_receipts_payment_instructions",
  "20261206182001_payment_receipt_number_key",
  "20261206184500_request_context_notify",
];

export const RULES = {
  "drop-table": "drops a table the previous release still reads and writes",
  "drop-column": "drops a column the previous release still reads and writes",
  "rename-table": "renames a table: the previous release's queries name the old one",
  "rename-column": "renames a column: the previous release's queries name the old one",
  truncate: "deletes every row of a table",
  "column-type": "changes a column's type: rewrites the table under an ACCESS EXCLUSIVE lock and can break the previous release's reads",
  "set-not-null":
    "SET NOT NULL on an existing table: scans it under an ACCESS EXCLUSIVE lock, fails on a NULL and the previous release may still write NULL",
  "add-column-not-null":
    "adds a NOT NULL column without a DEFAULT to an existing table: fails on a filled table and the previous release's INSERTs would fail",
  "volatile-default":
    "adds a column with a volatile default (random, uuid, clock_timestamp, nextval, serial) to an existing table: rewrites every row under an ACCESS EXCLUSIVE lock",
  "non-concurrent-index": "builds an index on an existing table without CONCURRENTLY: blocks every write to the table while it builds",
  "validating-constraint":
    "adds a CHECK or FOREIGN KEY to an existing table without NOT VALID: scans the table under lock (add it NOT VALID, then VALIDATE CONSTRAINT in a later migration)",
} as const;
export type RuleId = keyof typeof RULES;
const isRuleId = (s: string): s is RuleId => Object.hasOwn(RULES, s);

/** Not allowed by any marker: the migration would fail when applied. */
const CONCURRENTLY_ALONE =
  "CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block, and a migration file with more than one statement runs as one (scripts/db/engine.ts sends the file as one simple query): put it in a migration of its own, alone";

export interface Finding {
  file: string;
  line: number;
  rule: RuleId | "marker" | "concurrently-in-transaction";
  message: string;
  statement: string;
}

interface Statement {
  /** the statement without comments, whitespace collapsed */
  sql: string;
  /** 1-based line of its first character */
  line: number;
  /** the comment lines directly above it (after the previous statement) */
  comments: { text: string; line: number }[];
}

/** Splits SQL into statements (quotes, "identifiers", $tag$ bodies$tag$, -- and /* comments respected). */
export function splitStatements(sql: string): Statement[] {
  return parseSql(sql).statements;
}

/** The statements, and the comment lines after the last one. */
function parseSql(sql: string): { statements: Statement[]; trailing: Statement["comments"] } {
  const out: Statement[] = [];
  let buf = "";
  let line = 1;
  let start: number | null = null;
  let comments: Statement["comments"] = [];
  const flush = () => {
    const text = buf.replace(/\s+/g, " ").trim();
    if (text) out.push({ sql: text, line: start ?? line, comments });
    buf = "";
    start = null;
    comments = [];
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      if (start === null) comments.push({ text: sql.slice(i + 2, stop).trim(), line });
      i = stop;
      buf += " ";
      continue;
    }
    if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      line += (sql.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
      buf += " ";
      continue;
    }
    if (c === ";") {
      flush();
      i++;
      continue;
    }
    if (c === "\n") {
      line++;
      buf += c;
      i++;
      continue;
    }
    if (!/\s/.test(c) && start === null) start = line;
    let end = i + 1;
    if (c === "'" || c === '"') {
      end = i + 1;
      for (;;) {
        const j = sql.indexOf(c, end);
        if (j === -1) {
          end = sql.length;
          break;
        }
        if (sql[j + 1] === c) {
          end = j + 2;
          continue;
        }
        end = j + 1;
        break;
      }
    } else if (c === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        end = close === -1 ? sql.length : close + tag[0].length;
      }
    }
    const chunk = sql.slice(i, end);
    line += (chunk.match(/\n/g) ?? []).length;
    buf += chunk;
    i = end;
  }
  const trailing = buf.trim() ? [] : comments;
  flush();
  return { statements: out, trailing };
}

/** Splits at commas outside parentheses and quotes (the actions of one ALTER TABLE). */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = "";
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QUALIFIED = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;

/** `public."Tenant"` → `tenant` key for comparisons (quoted names compared as written, unquoted lower-cased). */
function tableKey(name: string): string {
  const last = name.match(new RegExp(IDENT, "g"))!.at(-1)!;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
}

const VOLATILE_DEFAULT =
  /\bDEFAULT\s+[^,]*?\b(random|gen_random_uuid|uuidv[47]|uuid_generate_v[14]\w*|clock_timestamp|timeofday|nextval|txid_current)\s*\(/i;
const SERIAL_TYPE = /^\S+\s+(small|big)?serial\d?\b/i;

type Hit = { rule: RuleId; detail?: string } | { rule: "concurrently-in-transaction" };

function hitsOf(stmt: string, createdHere: Set<string>, statementCount: number): Hit[] {
  const hits: Hit[] = [];
  const existing = (table: string) => !createdHere.has(tableKey(table));

  if (/^DROP\s+TABLE\b/i.test(stmt)) hits.push({ rule: "drop-table" });
  if (/^TRUNCATE\b/i.test(stmt)) hits.push({ rule: "truncate" });

  const index = new RegExp(
    String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${IDENT}\s+)?ON\s+(?:ONLY\s+)?${QUALIFIED}`,
    "i",
  ).exec(stmt);
  if (index) {
    if (!index[1] && existing(index[2]!)) hits.push({ rule: "non-concurrent-index" });
    if (index[1] && statementCount > 1) hits.push({ rule: "concurrently-in-transaction" });
  }
  if (/^DROP\s+INDEX\s+CONCURRENTLY\b/i.test(stmt) && statementCount > 1) hits.push({ rule: "concurrently-in-transaction" });

  const alter = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QUALIFIED}\s+(.*)$`, "is").exec(stmt);
  if (alter) {
    const table = alter[1]!;
    const old = existing(table);
    const rest = alter[2]!;
    if (/^RENAME\s+TO\b/i.test(rest)) hits.push({ rule: "rename-table" });
    else if (/^RENAME\s+(?!CONSTRAINT\b)/i.test(rest)) hits.push({ rule: "rename-column" });
    else
      for (const action of splitTopLevel(rest)) {
        if (/^DROP\s+(COLUMN\b|(?!CONSTRAINT\b)(?!IF\b)\S)/i.test(action) || /^DROP\s+IF\s+EXISTS\b/i.test(action))
          hits.push({ rule: "drop-column" });
        else if (/^ALTER\s+(COLUMN\s+)?\S+\s+(SET\s+DATA\s+)?TYPE\b/i.test(action)) {
          if (old) hits.push({ rule: "column-type" });
        } else if (/^ALTER\s+(COLUMN\s+)?\S+\s+SET\s+NOT\s+NULL\b/i.test(action)) {
          if (old) hits.push({ rule: "set-not-null" });
        } else if (/^ADD\s+CONSTRAINT\b|^ADD\s+(CHECK|FOREIGN|UNIQUE|PRIMARY|EXCLUDE)\b/i.test(action)) {
          if (old && /\b(CHECK|FOREIGN\s+KEY)\b/i.test(action) && !/\bNOT\s+VALID\b/i.test(action))
            hits.push({ rule: "validating-constraint" });
          if (old && /\b(UNIQUE|PRIMARY\s+KEY|EXCLUDE)\b/i.test(action) && !/\bUSING\s+INDEX\b/i.test(action))
            hits.push({ rule: "non-concurrent-index" });
        } else if (/^ADD\b/i.test(action) && old) {
          const column = action.replace(/^ADD\s+(COLUMN\s+)?(IF\s+NOT\s+EXISTS\s+)?/i, "");
          const hasDefault = /\bDEFAULT\b/i.test(column) || /\bGENERATED\b/i.test(column);
          if (/\bNOT\s+NULL\b/i.test(column) && !hasDefault && !SERIAL_TYPE.test(column)) hits.push({ rule: "add-column-not-null" });
          if (VOLATILE_DEFAULT.test(column) || SERIAL_TYPE.test(column)) hits.push({ rule: "volatile-default" });
        }
      }
  }
  return hits;
}

const MARKER = /^migration-lint\s*:\s*(.*)$/i;
const MARKER_BODY = /^(allow|allow-all)\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)(?:\s+because\s+(.*))?$/i;
/** a reason says why, in words: at least this many characters after "because" */
export const MIN_REASON_LENGTH = 10;

const short = (sql: string) => (sql.length > 160 ? `${sql.slice(0, 157)}...` : sql);

/** Lints one migration's SQL; `file` names it in the findings. */
export function lintMigrationSql(sql: string, file: string): Finding[] {
  const { statements, trailing } = parseSql(sql);
  const createdHere = new Set<string>();
  for (const s of statements) {
    const m = new RegExp(String.raw`^CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`, "i").exec(s.sql);
    if (m) createdHere.add(tableKey(m[1]!));
  }
  const findings: Finding[] = [];
  /** allow-all markers: rule → the marker's line, and whether a statement used it */
  const fileWide = new Map<RuleId, { line: number; used: boolean }>();
  const markersOf = (comments: Statement["comments"]) => {
    const out: { scope: "allow" | "allow-all"; rules: RuleId[]; line: number }[] = [];
    for (const c of comments) {
      const marker = MARKER.exec(c.text);
      if (!marker) continue;
      const body = MARKER_BODY.exec(marker[1]!.trim());
      const bad = (message: string) => findings.push({ file, line: c.line, rule: "marker", message, statement: `-- ${c.text}` });
      if (!body) {
        bad('a marker reads "-- migration-lint: allow <rule>[, <rule>] because <reason>" (or allow-all, for the whole file)');
        continue;
      }
      const rules = body[2]!.split(",").map((r) => r.trim().toLowerCase());
      const unknown = rules.filter((r) => !isRuleId(r));
      if (unknown.length > 0) {
        bad(`unknown rule ${unknown.join(", ")} (rules: ${Object.keys(RULES).join(", ")})`);
        continue;
      }
      const reason = (body[3] ?? "").trim();
      if (reason.length < MIN_REASON_LENGTH) {
        bad(`the marker must say why after "because" (a reason of at least ${MIN_REASON_LENGTH} characters)`);
        continue;
      }
      out.push({ scope: body[1]!.toLowerCase() as "allow" | "allow-all", rules: rules as RuleId[], line: c.line });
    }
    return out;
  };
  const perStatement = statements.map((s) => {
    const allowed = new Set<RuleId>();
    for (const m of markersOf(s.comments))
      for (const r of m.rules) {
        if (m.scope === "allow") allowed.add(r);
        else if (!fileWide.has(r)) fileWide.set(r, { line: m.line, used: false });
      }
    return allowed;
  });
  for (const m of markersOf(trailing)) {
    if (m.scope === "allow-all") {
      for (const r of m.rules) if (!fileWide.has(r)) fileWide.set(r, { line: m.line, used: false });
    } else {
      findings.push({ file, line: m.line, rule: "marker", message: "the marker is followed by no statement", statement: "" });
    }
  }

  statements.forEach((s, i) => {
    const allowed = perStatement[i]!;
    const hits = hitsOf(s.sql, createdHere, statements.length);
    const used = new Set<RuleId>();
    for (const hit of hits) {
      if (hit.rule === "concurrently-in-transaction") {
        findings.push({ file, line: s.line, rule: hit.rule, message: CONCURRENTLY_ALONE, statement: short(s.sql) });
      } else if (allowed.has(hit.rule)) {
        used.add(hit.rule);
      } else if (fileWide.has(hit.rule)) {
        fileWide.get(hit.rule)!.used = true;
      } else {
        findings.push({ file, line: s.line, rule: hit.rule, message: RULES[hit.rule], statement: short(s.sql) });
      }
    }
    for (const r of allowed)
      if (!used.has(r))
        findings.push({
          file,
          line: s.comments.at(-1)?.line ?? s.line,
          rule: "marker",
          message: `the marker allows ${r} but the statement below it does not do that (remove the stale marker)`,
          statement: short(s.sql),
        });
  });
  for (const [r, m] of fileWide)
    if (!m.used)
      findings.push({
        file,
        line: m.line,
        rule: "marker",
        message: `the marker allows ${r} for the file but no statement does that (remove the stale marker)`,
        statement: "",
      });
  return findings.sort((a, b) => a.line - b.line);
}

/** Lints every migration folder not in RELEASED_MIGRATIONS (the ones the next deploy will apply). */
export async function lintMigrations(
  migrationsDir = MIGRATIONS_DIR,
  released: readonly string[] = RELEASED_MIGRATIONS,
): Promise<{ linted: string[]; findings: Finding[] }> {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory() && !released.includes(e.name))
    .map((e) => e.name)
    .sort();
  const findings: Finding[] = [];
  for (const folder of folders) {
    const rel = path.join("prisma/migrations", folder, "migration.sql");
    const sql = await fs.readFile(path.join(migrationsDir, folder, "migration.sql"), "utf8").catch(() => null);
    if (sql === null) {
      findings.push({ file: rel, line: 1, rule: "marker", message: "the migration folder has no migration.sql", statement: "" });
      continue;
    }
    findings.push(...lintMigrationSql(sql, rel));
  }
  return { linted: folders, findings };
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}: [${f.rule}] ${f.message}\n    ${f.statement}`;
}
