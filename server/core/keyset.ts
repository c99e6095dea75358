import "server-only";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";

// Keyset pagination for every list written in SQL (the pattern of server/audit/audit-query.ts, shared):
// an opaque cursor carrying the last row's sort key values and id, and the row comparison that
// continues after it. `(k1, …, id) < ($1, …, $id)` with `ORDER BY k1 DESC, …, id DESC` is an index
// condition of an index `(tenantId, [equality filters,] k1, …, id)`: the scan starts at the cursor and
// reads about a page of rows at any depth. Comparison operators on uuid, text, int, date and timestamp
// are LEAKPROOF, so the condition stays an index condition under row-level security too.
//
// Rules for callers:
// - every key column must be NOT NULL in the rows the query can return (filter the nulls out, or
//   sort by a column that is always set): a row comparison with a null never matches, rows would vanish;
// - keys and id go in one direction (all DESC or all ASC), so one row comparison covers the order;
// - the tag names the list, sort and direction: a cursor from another list or sort is refused as a
//   VALIDATION error (errors.invalidCursor), like a forged or truncated one. Never a 500.

/** How a key value is carried in the cursor and typed as a SQL parameter. */
export type KeyKind = "timestamp" | "date" | "int" | "text";
/** timestamp: Date; date: "YYYY-MM-DD" (or a Date at UTC midnight); int: safe integer; text: string. */
export type KeyValue = Date | string | number;

export interface KeysetCursor {
  /** one value per key, in the order of the kinds (timestamps as Date, dates as "YYYY-MM-DD") */
  keys: KeyValue[];
  id: string;
}

/** What a list's sort needs: a tag (list + sort + direction) and the kind of each key before the id. */
export interface KeysetSpec {
  tag: string;
  kinds: readonly KeyKind[];
  desc: boolean;
}

const VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Longest text key carried in a cursor (text sort keys are short: numbers, periods, codes). */
const MAX_TEXT_KEY = 200;
/** Longest cursor accepted: an opaque string, longer is forged. */
export const MAX_CURSOR_LENGTH = 1024;

function invalid(): AppError {
  return new AppError("VALIDATION", "errors.invalidCursor");
}

function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function validDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && dayOf(d) === s;
}

/** A key value as stored in the cursor's JSON, or null when it does not fit its kind. */
function toWire(kind: KeyKind, v: KeyValue): string | number | null {
  switch (kind) {
    case "timestamp":
      return v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : null;
    case "date":
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : dayOf(v);
      return typeof v === "string" && validDay(v) ? v : null;
    case "int":
      return typeof v === "number" && Number.isSafeInteger(v) ? v : null;
    case "text":
      return typeof v === "string" && v.length <= MAX_TEXT_KEY ? v : null;
  }
}

/** A value read back from a cursor, or undefined when it is not one `toWire` writes. */
function fromWire(kind: KeyKind, v: unknown): KeyValue | undefined {
  switch (kind) {
    case "timestamp": {
      if (typeof v !== "string" || !ISO.test(v)) return undefined;
      const d = new Date(v);
      return Number.isNaN(d.getTime()) || d.toISOString() !== v ? undefined : d;
    }
    case "date":
      return typeof v === "string" && validDay(v) ? v : undefined;
    case "int":
      return typeof v === "number" && Number.isSafeInteger(v) ? v : undefined;
    case "text":
      return typeof v === "string" && v.length <= MAX_TEXT_KEY && !v.includes("\u0000") ? v : undefined;
  }
}

/** The opaque cursor of a row: base64url of `[version, tag, [keys…], id]`. Throws on a value that does not fit its kind (a bug, not input). */
export function encodeCursor(spec: KeysetSpec, keys: readonly KeyValue[], id: string): string {
  if (keys.length !== spec.kinds.length) throw new Error(`keyset ${spec.tag}: ${keys.length} keys for ${spec.kinds.length} kinds`);
  const wire = keys.map((v, i) => {
    const w = toWire(spec.kinds[i]!, v);
    if (w === null) throw new Error(`keyset ${spec.tag}: key ${i} is not a ${spec.kinds[i]}`);
    return w;
  });
  if (!UUID.test(id.toLowerCase())) throw new Error(`keyset ${spec.tag}: id is not a uuid`);
  return Buffer.from(JSON.stringify([VERSION, tagOf(spec), wire, id.toLowerCase()]), "utf8").toString("base64url");
}

/** A cursor back into its keys and id. A forged, truncated or other list's cursor → AppError VALIDATION (errors.invalidCursor). */
export function decodeCursor(spec: KeysetSpec, cursor: string): KeysetCursor {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    const text = Buffer.from(cursor, "base64url").toString("utf8");
    // the decoder skips stray trailing characters: only the exact encoding of what it decoded is a cursor
    if (Buffer.from(text, "utf8").toString("base64url") !== cursor) throw invalid();
    parsed = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid();
  const [version, tag, wire, id] = parsed as unknown[];
  if (version !== VERSION || tag !== tagOf(spec) || !Array.isArray(wire) || wire.length !== spec.kinds.length) throw invalid();
  if (typeof id !== "string" || !UUID.test(id)) throw invalid();
  const keys: KeyValue[] = [];
  for (let i = 0; i < spec.kinds.length; i++) {
    const v = fromWire(spec.kinds[i]!, wire[i]);
    if (v === undefined) throw invalid();
    keys.push(v);
  }
  return { keys, id };
}

/** `undefined` for no cursor (the first page), else the decoded cursor (or the VALIDATION error). */
export function decodeOptionalCursor(spec: KeysetSpec, cursor: string | undefined | null): KeysetCursor | undefined {
  return cursor ? decodeCursor(spec, cursor) : undefined;
}

function tagOf(spec: KeysetSpec): string {
  return `${spec.tag}:${spec.desc ? "desc" : "asc"}`;
}

/**
 * A typed SQL parameter for a key value. Casts apply to the parameter, never to the column, so
 * the comparison keeps the column's own (leakproof) operator. Timestamps are compared with
 * `timestamp(3)` columns holding UTC, whatever the session's TimeZone.
 */
export function keyParam(kind: KeyKind, value: KeyValue): Prisma.Sql {
  const w = toWire(kind, value);
  if (w === null) throw invalid();
  switch (kind) {
    case "timestamp":
      return Prisma.sql`(${w}::timestamptz AT TIME ZONE 'UTC')`;
    case "date":
      return Prisma.sql`${w}::date`;
    case "int":
      return Prisma.sql`${w}::int`;
    case "text":
      return Prisma.sql`${w}::text`;
  }
}

/**
 * `(k1, …, id) < ($1, …, $id)` (desc) or `>` (asc): the rows after the cursor in the list's order.
 * `columns` are the key columns (one per kind, same order), `idColumn` the tie-breaker (a uuid).
 */
export function afterCursor(spec: KeysetSpec, columns: readonly Prisma.Sql[], idColumn: Prisma.Sql, cursor: KeysetCursor): Prisma.Sql {
  if (columns.length !== spec.kinds.length || cursor.keys.length !== spec.kinds.length) {
    throw new Error(`keyset ${spec.tag}: ${columns.length} columns, ${cursor.keys.length} keys for ${spec.kinds.length} kinds`);
  }
  const left = Prisma.join([...columns, idColumn], ", ");
  const right = Prisma.join([...spec.kinds.map((k, i) => keyParam(k, cursor.keys[i]!)), Prisma.sql`${cursor.id}::uuid`], ", ");
  return spec.desc ? Prisma.sql`(${left}) < (${right})` : Prisma.sql`(${left}) > (${right})`;
}

/** `k1 DESC, …, id DESC` (or ASC): the order the cursor condition continues. */
export function keysetOrder(spec: KeysetSpec, columns: readonly Prisma.Sql[], idColumn: Prisma.Sql): Prisma.Sql {
  const dir = Prisma.raw(spec.desc ? "DESC" : "ASC");
  return Prisma.join(
    [...columns, idColumn].map((c) => Prisma.sql`${c} ${dir}`),
    ", ",
  );
}

/**
 * The page of rows fetched with `LIMIT limit + 1`: the first `limit` rows, and the cursor after the
 * last of them when there was one more row (null on the last page).
 */
export function pageOf<T>(
  spec: KeysetSpec,
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => { keys: readonly KeyValue[]; id: string },
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length <= limit || last === undefined) return { rows: page, nextCursor: null };
  const k = keyOf(last);
  return { rows: page, nextCursor: encodeCursor(spec, k.keys, k.id) };
}
