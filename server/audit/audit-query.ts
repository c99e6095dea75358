import "server-only";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";
import { encodeAuditCursor, parseAuditCursor, type AuditCursor, type AuditFilters } from "@/lib/schemas/audit";
import { logger } from "@/server/core/observability/logger";
import { CSV_BOM, csvLine } from "@/lib/csv";

// Reading the audit log, shared by the workspace (AuditService, tenant handle) and the admin
// console (AdminAuditService, platform handle). One SQL query serves the page and the CSV
// batches: keyset paging on (createdAt, id) in the requested direction, every filter in SQL,
// the impersonator's email (and, for the console, the tenant's slug) joined in. Raw SQL
// because the free text also searches `metadata::text`; the tenant filter is written
// explicitly (the first wall does not rewrite raw queries) and row-level security backs it.

/** `ctx.db.run` or `platformDb.run`. */
export type RunInTx = <T>(fn: (tx: DbTx) => Promise<T>) => Promise<T>;

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

/** Rows per CSV batch: one query, one transaction, one chunk of text at a time. */
export const CSV_BATCH_SIZE = 1_000;

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

async function selectRows(
  tx: DbTx,
  scope: AuditReadScope,
  f: AuditFilters,
  page: { after?: AuditCursor; asOf?: Date; limit: number },
): Promise<RawRow[]> {
  const dir = Prisma.raw(f.sort === "asc" ? "ASC" : "DESC");
  const tenantJoin = scope.kind === "platform" ? Prisma.sql`LEFT JOIN "Tenant" t ON t.id = a."tenantId"` : Prisma.empty;
  const tenantSlug = scope.kind === "platform" ? Prisma.sql`t.slug` : Prisma.sql`NULL::text`;
  return tx.$queryRaw<RawRow[]>`
    SELECT a.id::text AS "id", a."createdAt", a."tenantId"::text AS "tenantId", ${tenantSlug} AS "tenantSlug",
           a."actorUserId"::text AS "actorUserId", a."actorEmail", a."impersonatorUserId"::text AS "impersonatorUserId",
           u.email AS "impersonatorEmail", a.action, a."targetType", a."targetId", a.ip, a."userAgent", a."requestId", a.metadata
    FROM "AuditLog" a
    LEFT JOIN "User" u ON u.id = a."impersonatorUserId"
    ${tenantJoin}
    ${whereOf(scope, f, page)}
    ORDER BY a."createdAt" ${dir}, a.id ${dir}
    LIMIT ${page.limit}::int`;
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
  run: RunInTx,
  scope: AuditReadScope,
  f: AuditFilters & { cursor?: string; limit: number },
): Promise<AuditPage<AdminAuditRow>> {
  const after = f.cursor ? (parseAuditCursor(f.cursor) ?? undefined) : undefined;
  const rows = await run((tx) => selectRows(tx, scope, f, { after, limit: f.limit + 1 }));
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

function csvRow(r: RawRow, withTenant: boolean): string {
  return csvLine([
    r.createdAt.toISOString(),
    ...(withTenant ? [r.tenantSlug ?? ""] : []),
    r.actorEmail ?? r.actorUserId,
    r.impersonatorUserId ? (r.impersonatorEmail ?? r.impersonatorUserId) : null,
    r.action,
    r.targetType,
    r.targetId,
    r.ip,
    r.requestId,
    r.metadata === null ? null : JSON.stringify(r.metadata),
  ]);
}

/**
 * The CSV text of every matching row up to `asOf`, produced in keyset batches: at most one
 * batch of rows (and its text) is in memory, and the next batch is read only when the
 * consumer asks for more (a pull-based stream applies backpressure).
 */
export async function* auditCsvChunks(
  run: RunInTx,
  scope: AuditReadScope,
  f: AuditFilters,
  opts: { asOf: Date; batchSize?: number },
): AsyncGenerator<string, void, undefined> {
  const withTenant = scope.kind === "platform";
  const batchSize = opts.batchSize ?? CSV_BATCH_SIZE;
  yield CSV_BOM + auditCsvHeader(withTenant);
  let after: AuditCursor | undefined;
  for (;;) {
    const { text, count, last } = await run(async (tx) => {
      const rows = await selectRows(tx, scope, f, { after, asOf: opts.asOf, limit: batchSize });
      let text = "";
      for (const r of rows) text += csvRow(r, withTenant);
      const tail = rows[rows.length - 1];
      return { text, count: rows.length, last: tail ? { createdAt: tail.createdAt, id: tail.id } : undefined };
    });
    // only this batch's text is held while the consumer reads it; its rows are already garbage
    if (count > 0) yield text;
    if (count < batchSize || !last) return;
    after = last;
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
