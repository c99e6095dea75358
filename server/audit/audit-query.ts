import "server-only";
import { Prisma } from "@/server/db/generated/client";
import { encodeAuditCursor, parseAuditCursor, type AuditCursor, type AuditFilters } from "@/lib/schemas/audit";
import { logger } from "@/server/core/observability/logger";
import { CSV_BOM, csvLine, type CsvCell } from "@/lib/csv";
import { createTranslator, type Locale, type Translator } from "@/lib/i18n";
import { auditWords, targetReference, type AuditWords } from "@/lib/audit-details";
import { timeZoneLabel } from "@/lib/time-zone-label";

// Reading the audit log, shared by the workspace (AuditService, tenant handle) and the admin
// console (AdminAuditService, platform handle). One SQL query serves the page and the CSV
// batches: keyset paging on (createdAt, id) in the requested direction, every filter in SQL,
// the impersonator's email (and, for the console, the tenant's slug) joined in. Raw SQL
// because the free text also searches `metadata::text`; the tenant filter is written
// explicitly (the first wall does not rewrite raw queries) and row-level security backs it.

/** `ctx.db.run` or `platformDb.run`. */
/**
 * Runs one read statement in the scope's own read-only transaction (TenantDb.read or
 * platformDb.read: node-postgres without Prisma, the same binding and row-level security).
 */
export type ReadSql = <T extends object>(query: Prisma.Sql) => Promise<T[]>;

/** Whose rows a reader may see. `timezone` reads the from/to days. */
export type AuditReadScope =
  | { kind: "tenant"; tenantId: string; timezone: string }
  | { kind: "platform"; timezone: string; tenantSlug?: string; platformOnly?: boolean };

export interface AuditRow {
  id: string;
  /** UTC */
  createdAt: Date;
  actorUserId: string | null;
  actorEmail: string | null;
  /** the platform admin who acted as the actor (impersonation) */
  impersonator: { userId: string; email: string | null } | null;
  /** "ops@phteah.test as owner@acme.test" under impersonation, else the actor; null for the system */
  actorDisplay: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Prisma.JsonValue | null;
}

export interface AdminAuditRow extends AuditRow {
  /** null for platform events */
  tenant: { id: string; slug: string } | null;
}

interface RawRow {
  id: string;
  createdAt: Date;
  tenantId: string | null;
  tenantSlug: string | null;
  actorUserId: string | null;
  actorEmail: string | null;
  impersonatorUserId: string | null;
  impersonatorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Prisma.JsonValue | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Rows per CSV batch: one query, one short transaction, one chunk of text at a time (~1.3 MB of
 * CSV). Large enough that the per-batch transaction and query overhead is small beside the rows,
 * small enough that one batch's rows and text stay a few MB.
 */
export const CSV_BATCH_SIZE = 5_000;

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `membership.` or `membership.role*` → the prefix to match; an exact action → null. */
export function actionPrefix(action: string): string | null {
  if (action.endsWith("*")) return action.slice(0, -1);
  if (action.endsWith(".")) return action;
  return null;
}

/** A timestamp parameter compared with the `timestamp(3)` (UTC) column, whatever the session's TimeZone. */
const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
/** The first instant of a calendar day in `timezone`, as a UTC timestamp. */
const dayStart = (day: string, timezone: string, plusDays = 0) =>
  Prisma.sql`((${day}::date + ${plusDays}::int)::timestamp AT TIME ZONE ${timezone}::text AT TIME ZONE 'UTC')`;

function whereOf(scope: AuditReadScope, f: AuditFilters, page: { after?: AuditCursor; asOf?: Date }): Prisma.Sql {
  const c: Prisma.Sql[] = [];
  if (scope.kind === "tenant") c.push(Prisma.sql`a."tenantId" = ${scope.tenantId}::uuid`);
  else if (scope.platformOnly) c.push(Prisma.sql`a."tenantId" IS NULL`);
  else if (scope.tenantSlug) c.push(Prisma.sql`a."tenantId" = (SELECT t2.id FROM "Tenant" t2 WHERE t2.slug = ${scope.tenantSlug})`);

  if (f.actor) {
    c.push(
      UUID.test(f.actor)
        ? Prisma.sql`(a."actorUserId" = ${f.actor}::uuid OR a."impersonatorUserId" = ${f.actor}::uuid)`
        : Prisma.sql`a."actorEmail" ILIKE ${`%${escapeLike(f.actor)}%`}`,
    );
  }
  if (f.action) {
    const prefix = actionPrefix(f.action);
    c.push(prefix === null ? Prisma.sql`a.action = ${f.action}` : Prisma.sql`a.action LIKE ${`${escapeLike(prefix)}%`}`);
  }
  if (f.targetType) c.push(Prisma.sql`a."targetType" = ${f.targetType}`);
  if (f.targetId) c.push(Prisma.sql`a."targetId" = ${f.targetId}`);
  if (f.from) c.push(Prisma.sql`a."createdAt" >= ${dayStart(f.from, scope.timezone)}`);
  if (f.to) c.push(Prisma.sql`a."createdAt" < ${dayStart(f.to, scope.timezone, 1)}`);
  if (f.q) {
    const p = `%${escapeLike(f.q)}%`;
    c.push(
      Prisma.sql`(a.action ILIKE ${p} OR a."actorEmail" ILIKE ${p} OR a."targetType" ILIKE ${p} OR a."targetId" ILIKE ${p} OR a.metadata::text ILIKE ${p})`,
    );
  }
  if (page.asOf) c.push(Prisma.sql`a."createdAt" <= ${utc(page.asOf)}`);
  if (page.after) {
    const key = Prisma.sql`(${utc(page.after.createdAt)}, ${page.after.id}::uuid)`;
    c.push(f.sort === "asc" ? Prisma.sql`(a."createdAt", a.id) > ${key}` : Prisma.sql`(a."createdAt", a.id) < ${key}`);
  }
  return c.length ? Prisma.sql`WHERE ${Prisma.join(c, " AND ")}` : Prisma.empty;
}

function selectRows(
  read: ReadSql,
  scope: AuditReadScope,
  f: AuditFilters,
  page: { after?: AuditCursor; asOf?: Date; limit: number },
): Promise<RawRow[]> {
  const dir = Prisma.raw(f.sort === "asc" ? "ASC" : "DESC");
  const tenantJoin = scope.kind === "platform" ? Prisma.sql`LEFT JOIN "Tenant" t ON t.id = a."tenantId"` : Prisma.empty;
  const tenantSlug = scope.kind === "platform" ? Prisma.sql`t.slug` : Prisma.sql`NULL::text`;
  return read<RawRow>(Prisma.sql`
    SELECT a.id::text AS "id", a."createdAt", a."tenantId"::text AS "tenantId", ${tenantSlug} AS "tenantSlug",
           a."actorUserId"::text AS "actorUserId", a."actorEmail", a."impersonatorUserId"::text AS "impersonatorUserId",
           u.email AS "impersonatorEmail", a.action, a."targetType", a."targetId", a.ip, a."userAgent", a."requestId", a.metadata
    FROM "AuditLog" a
    LEFT JOIN "User" u ON u.id = a."impersonatorUserId"
    ${tenantJoin}
    ${whereOf(scope, f, page)}
    ORDER BY a."createdAt" ${dir}, a.id ${dir}
    LIMIT ${page.limit}::int`);
}

function toRow(r: RawRow): AuditRow {
  const actor = r.actorEmail ?? r.actorUserId;
  const impersonator = r.impersonatorUserId ? { userId: r.impersonatorUserId, email: r.impersonatorEmail } : null;
  const impersonatorName = impersonator ? (impersonator.email ?? impersonator.userId) : null;
  return {
    id: r.id,
    createdAt: r.createdAt,
    actorUserId: r.actorUserId,
    actorEmail: r.actorEmail,
    impersonator,
    actorDisplay: impersonatorName ? `${impersonatorName} as ${actor ?? "?"}` : actor,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
    metadata: r.metadata,
  };
}

function toAdminRow(r: RawRow): AdminAuditRow {
  return { ...toRow(r), tenant: r.tenantId ? { id: r.tenantId, slug: r.tenantSlug ?? r.tenantId } : null };
}

export interface AuditPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** One page (keyset) of rows. */
export async function listAuditPage(
  read: ReadSql,
  scope: AuditReadScope,
  f: AuditFilters & { cursor?: string; limit: number },
): Promise<AuditPage<AdminAuditRow>> {
  const after = f.cursor ? (parseAuditCursor(f.cursor) ?? undefined) : undefined;
  const rows = await selectRows(read, scope, f, { after, limit: f.limit + 1 });
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toAdminRow),
    nextCursor: rows.length > f.limit && last ? encodeAuditCursor(last) : null,
  };
}

export function stripTenant({ tenant: _tenant, ...row }: AdminAuditRow): AuditRow {
  return row;
}

// CSV: the one writer of lib/csv.ts (RFC 4180 quoting and the spreadsheet-formula guard), so an
// actor-controlled value such as a target id or a metadata string cannot execute in the reader's Excel.

export function auditCsvHeader(withTenant: boolean): string {
  return csvLine([
    "time",
    ...(withTenant ? ["tenant"] : []),
    "actor",
    "impersonator",
    "action",
    "target_type",
    "target_id",
    "ip",
    "request_id",
    "metadata",
  ]);
}

/**
 * The workspace's CSV (issue 17) is for the people who run the rentals: headers in the reader's
 * language, the time in the workspace's clock, labels instead of action keys and table names, the
 * change in words ("Role: viewer → manager"), the device as "Chrome on Android"; no record ids, no
 * user-agent strings, no JSON. The console's CSV (platform staff) keeps the raw columns.
 */
export function workspaceCsvHeader(t: Translator, timezone: string, locale: Locale): string {
  return csvLine([
    t("audit.csv.time", { timezone: timeZoneLabel(timezone, locale) }),
    t("audit.csv.who"),
    t("audit.csv.support"),
    t("audit.csv.action"),
    t("audit.csv.what"),
    t("audit.csv.reference"),
    t("audit.csv.ip"),
    t("audit.csv.device"),
    t("audit.csv.changes"),
  ]);
}

/** The workspace file's fixed words, formatted once per export. */
interface WorkspaceCsvWords extends AuditWords {
  formerMember: string;
  system: string;
  supportStaff: string;
}

function workspaceCsvWords(t: Translator): WorkspaceCsvWords {
  return { ...auditWords(t), formerMember: t("audit.formerMember"), system: t("audit.system"), supportStaff: t("audit.supportStaff") };
}

function workspaceCsvRow(r: CsvRawRow, w: WorkspaceCsvWords): string {
  return csvLine([
    r.localTime,
    r.actorEmail ?? (r.hasActor ? w.formerMember : w.system),
    r.hasImpersonator ? (r.impersonatorEmail ?? w.supportStaff) : null,
    w.action(r.action),
    w.target(r.targetType),
    targetReference(r.targetId),
    r.ip,
    w.device(r.userAgent),
    w.changes(r.details),
  ]);
}

/** A CSV batch's row: only the file's columns, the display values resolved in SQL. */
interface CsvRawRow {
  id: string;
  /** `toISOString()` of the UTC timestamp, written by PostgreSQL */
  createdAt: string;
  /** "YYYY-MM-DD HH:MM:SS" in the scope's time zone (the workspace's clock) */
  localTime: string;
  actorEmail: string | null;
  hasActor: boolean;
  impersonatorEmail: string | null;
  hasImpersonator: boolean;
  userAgent: string | null;
  tenantSlug: string | null;
  actor: string | null;
  impersonator: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  /** jsonb's text output (`{"a": 1, "b": [2, 3]}`): the console's file */
  metadata: string | null;
  /** the metadata as the driver parsed it (jsonb): the workspace's file, which reads it in words */
  details: unknown;
}

/**
 * PostgreSQL's text output of a jsonb value as compact JSON, the text `JSON.stringify` writes for
 * the parsed value: jsonb writes `", "` and `": "` between items and no other white space outside
 * strings, escapes strings as JSON does, and keeps its key order (what JSON.parse would keep too).
 * One pass over char codes (about 3× faster than parsing and serialising an object per row).
 */
export function compactJsonbText(text: string): string {
  let out = "";
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character (a quote among them)
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if ((c === 44 || c === 58) && text.charCodeAt(i + 1) === 32) {
      out += text.slice(start, i + 1);
      start = i + 2;
      i++;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/**
 * One batch of CSV rows: the page query's filters, order and keyset, but only the columns the
 * file has, with the time already as ISO text and actor / impersonator display values resolved
 * (no Date or row object per value to build and collect for hundreds of thousands of rows).
 */
function selectCsvRows(
  read: ReadSql,
  scope: AuditReadScope,
  f: AuditFilters,
  page: { after?: AuditCursor; asOf: Date; limit: number },
): Promise<CsvRawRow[]> {
  const dir = Prisma.raw(f.sort === "asc" ? "ASC" : "DESC");
  const platform = scope.kind === "platform";
  return read<CsvRawRow>(Prisma.sql`
    SELECT a.id::text AS "id", to_char(a."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
           to_char((a."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${scope.timezone}::text, 'YYYY-MM-DD HH24:MI:SS') AS "localTime",
           a."actorEmail", (a."actorUserId" IS NOT NULL) AS "hasActor",
           (a."impersonatorUserId" IS NOT NULL) AS "hasImpersonator",
           (SELECT u.email FROM "User" u WHERE u.id = a."impersonatorUserId") AS "impersonatorEmail",
           a."userAgent",
           ${platform ? Prisma.sql`(SELECT t.slug FROM "Tenant" t WHERE t.id = a."tenantId")` : Prisma.sql`NULL::text`} AS "tenantSlug",
           COALESCE(a."actorEmail", a."actorUserId"::text) AS "actor",
           CASE WHEN a."impersonatorUserId" IS NULL THEN NULL
                ELSE COALESCE((SELECT u.email FROM "User" u WHERE u.id = a."impersonatorUserId"), a."impersonatorUserId"::text) END AS "impersonator",
           a.action, a."targetType", a."targetId", a.ip, a."requestId", ${platform ? Prisma.sql`a.metadata::text AS "metadata", NULL::jsonb AS "details"` : Prisma.sql`NULL::text AS "metadata", a.metadata AS "details"`}
    FROM "AuditLog" a
    ${whereOf(scope, f, page)}
    ORDER BY a."createdAt" ${dir}, a.id ${dir}
    LIMIT ${page.limit}::int`);
}

function csvRow(r: CsvRawRow, withTenant: boolean): string {
  const cells: CsvCell[] = [r.createdAt];
  if (withTenant) cells.push(r.tenantSlug ?? "");
  cells.push(
    r.actor,
    r.impersonator,
    r.action,
    r.targetType,
    r.targetId,
    r.ip,
    r.requestId,
    r.metadata === null ? null : compactJsonbText(r.metadata),
  );
  return csvLine(cells);
}

/**
 * The CSV text of every matching row up to `asOf`, produced in keyset batches. Each batch is one
 * short transaction (no connection is held while the client downloads). While a batch's text is
 * built and handed to the consumer, the query of the next batch already runs (its cursor is the
 * batch's last row), so the database and the CSV writing overlap instead of taking turns. Memory
 * stays bounded: at most the current batch's text and the next batch's rows, and nothing further is
 * read until the consumer asks for more (a pull-based stream applies backpressure).
 */
export async function* auditCsvChunks(
  read: ReadSql,
  scope: AuditReadScope,
  f: AuditFilters,
  opts: { asOf: Date; batchSize?: number; locale?: Locale },
): AsyncGenerator<string, void, undefined> {
  const withTenant = scope.kind === "platform";
  // the workspace's file in words, in the reader's language; the console's with raw columns
  const locale = opts.locale ?? "en";
  const t = scope.kind === "tenant" ? createTranslator(locale) : null;
  // labels, devices and field names formatted once per distinct value, not once per row
  const words = t ? workspaceCsvWords(t) : null;
  const batchSize = opts.batchSize ?? CSV_BATCH_SIZE;
  const batch = (after: AuditCursor | undefined) => {
    const rows = selectCsvRows(read, scope, f, { after, asOf: opts.asOf, limit: batchSize });
    // a read that fails while the consumer still holds the previous chunk (or after it cancelled)
    // is no unhandled rejection: the loop's `await` rethrows it, or nobody needs it any more
    rows.catch(() => undefined);
    return rows;
  };
  yield CSV_BOM + (t ? workspaceCsvHeader(t, scope.timezone, locale) : auditCsvHeader(withTenant));
  let next: Promise<CsvRawRow[]> | null = batch(undefined);
  while (next) {
    let rows: CsvRawRow[] | null = await next;
    const count: number = rows.length;
    const tail: CsvRawRow | undefined = rows[count - 1];
    // a short batch is the last one; a full one may be followed by an empty read
    next = count === batchSize && tail ? batch({ createdAt: new Date(tail.createdAt), id: tail.id }) : null;
    let text = "";
    if (words) for (const r of rows) text += workspaceCsvRow(r, words);
    else for (const r of rows) text += csvRow(r, withTenant);
    rows = null; // only the text is held while the consumer reads it
    if (count > 0) yield text;
  }
}

/** A byte stream for a Response body that pulls one chunk at a time from `chunks`. */
export function toByteStream(
  chunks: AsyncGenerator<string, void, undefined>,
  context: Record<string, unknown> = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // the 200 and the first rows are already sent: the download ends early, the log says why
        logger.error({ err: error, ...context }, "audit csv export failed mid-stream");
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** The filters as recorded in an `*.exported` audit row: only the ones that were set. */
export function filtersForAudit(f: Record<string, unknown>): Prisma.InputJsonObject {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== false && v !== "")) as Prisma.InputJsonObject;
}
