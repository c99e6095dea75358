import "server-only";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { AuditLogger } from "@/server/audit/audit-logger";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { toByteStream } from "@/server/audit/audit-query";
import { CSV_BOM, csvLine, type CsvCell } from "@/lib/csv";
import { addDaysToDay, dayIn, startOfDayIn } from "@/lib/dates";
import { ADMIN_BILLING_TIMEZONE } from "@/lib/schemas/billing";

// What the console's billing views share (platform handle): the acting admin, keyset pages,
// tenant look-ups for the list searches, day filters in the console's time zone and the one
// streaming CSV export (keyset batches, audited before the first byte).

export interface AdminActor {
  userId: string;
  email: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows per CSV batch: one query and one chunk of text at a time. */
export const BILLING_CSV_BATCH = 1_000;

/** Tenants whose slug or name matches (for the list searches); bounded, the search is a filter, not a report. */
const TENANT_MATCH_LIMIT = 1_000;

export function dayRange(from: string | undefined, to: string | undefined): { gte?: Date; lt?: Date } | undefined {
  if (!from && !to) return undefined;
  return {
    ...(from ? { gte: startOfDayIn(from, ADMIN_BILLING_TIMEZONE) } : {}),
    ...(to ? { lt: startOfDayIn(addDaysToDay(to, 1), ADMIN_BILLING_TIMEZONE) } : {}),
  };
}

export async function matchingTenantIds(tx: DbTx, search: string): Promise<string[]> {
  const rows = await tx.tenant.findMany({
    where: { OR: [{ slug: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] },
    select: { id: true },
    take: TENANT_MATCH_LIMIT,
  });
  return rows.map((r) => r.id);
}

export async function tenantSlugs(tx: DbTx, ids: string[]): Promise<Map<string, { slug: string; name: string }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.tenant.findMany({ where: { id: { in: unique } }, select: { id: true, slug: true, name: true } });
  return new Map(rows.map((r) => [r.id, { slug: r.slug, name: r.name }]));
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Runs a console list's keyset statement with sorting discouraged, then restores the setting.
 * Across workspaces the row-level-security policy (`tenantId = app_current_tenant() OR
 * app_is_platform()`) makes the planner expect almost no rows to pass, so it reads every row of an
 * equality filter through a bitmap and sorts them instead of walking the `(filter, key, id)` index
 * in order and stopping after a page. Without a sort the ordered index is the only plan left.
 */
export async function keysetRows<T>(tx: DbTx, query: Prisma.Sql): Promise<T[]> {
  await tx.$executeRaw`SELECT set_config('enable_sort', 'off', true)`;
  const rows = await tx.$queryRaw<T[]>(query);
  await tx.$executeRaw`SELECT set_config('enable_sort', 'on', true)`;
  return rows;
}

/** One keyset batch: Prisma's `take` / `cursor` / `skip` for the next rows after the last one seen. */
export interface KeysetBatch {
  take: number;
  cursor?: { id: string };
  skip?: number;
}

/**
 * A CSV file as text chunks: the header (with a BOM for spreadsheets), then one chunk per keyset
 * batch, each read in its own short transaction, so one batch is in memory at a time.
 * `readBatch` returns the batch's rows as cells and the id of its last row.
 */
export async function* keysetCsv(
  header: readonly string[],
  batchSize: number,
  readBatch: (tx: DbTx, batch: KeysetBatch) => Promise<{ lines: CsvCell[][]; lastId: string | undefined }>,
): AsyncGenerator<string, void, undefined> {
  yield CSV_BOM + csvLine([...header]);
  let cursor: string | undefined;
  for (;;) {
    const { text, count, last } = await platformDb.run(async (tx) => {
      const { lines, lastId } = await readBatch(tx, { take: batchSize, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
      let text = "";
      for (const line of lines) text += csvLine(line);
      return { text, count: lines.length, last: lastId };
    });
    if (count > 0) yield text;
    if (count < batchSize || !last) return;
    cursor = last;
  }
}

export interface CsvDownload {
  filename: string;
  stream: ReadableStream<Uint8Array>;
}

/** A console billing service: who acts, the request (audit rows) and the clock. */
export abstract class BillingConsoleService {
  constructor(
    protected readonly admin: AdminActor,
    protected readonly meta: RequestMeta,
    protected readonly clock: Clock = systemClock,
  ) {}

  /**
   * Records the export (who, which filters, as of when), then streams the file as of that moment
   * (file name in the console's time zone).
   */
  protected async csvDownload(
    kind: "invoices" | "payments",
    filters: object,
    csv: (asOf: Date) => AsyncGenerator<string, void, undefined>,
  ): Promise<CsvDownload> {
    const asOf = this.clock();
    await platformDb.run((tx) =>
      new AuditLogger(this.meta).log(tx, null, {
        action: "admin.billing.exported",
        actorUserId: this.admin.userId,
        actorEmail: this.admin.email,
        targetType: kind,
        metadata: { filters: JSON.parse(JSON.stringify(filters)), asOf: asOf.toISOString() },
      }),
    );
    return {
      filename: `${kind}-${dayIn(asOf, ADMIN_BILLING_TIMEZONE)}.csv`,
      stream: toByteStream(csv(asOf), { export: kind, requestId: this.meta.requestId }),
    };
  }
}
