// server/core/keyset.ts: opaque cursors (round trip, refusal of forged, truncated, other-list or
// other-sort cursors as a VALIDATION error), the row comparison and order it builds, and pageOf.
import { describe, expect, it } from "vitest";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import {
  afterCursor,
  decodeCursor,
  decodeOptionalCursor,
  encodeCursor,
  keysetOrder,
  MAX_CURSOR_LENGTH,
  pageOf,
  type KeysetSpec,
} from "@/server/core/keyset";

const ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const byDue: KeysetSpec = { tag: "test.invoices.dueDate", kinds: ["date"], desc: true };
const byPaid: KeysetSpec = { tag: "test.payments.paidAt", kinds: ["timestamp"], desc: false };
const mixed: KeysetSpec = { tag: "test.mixed", kinds: ["int", "text", "timestamp", "date"], desc: true };

function expectInvalid(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("VALIDATION");
    expect((e as AppError).key).toBe("errors.invalidCursor");
    return;
  }
  throw new Error("expected an invalid cursor error");
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8").toString("base64url");

describe("encodeCursor / decodeCursor", () => {
  it("round-trips every kind of key and the id, in an opaque url-safe string", () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    const c = encodeCursor(mixed, [-42, "R-2026-000123 ស", at, "2026-02-28"], ID.toUpperCase());
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(c).not.toContain("R-2026");
    const back = decodeCursor(mixed, c);
    expect(back.id).toBe(ID);
    expect(back.keys).toEqual([-42, "R-2026-000123 ស", at, "2026-02-28"]);
  });

  it("carries a date key given as a Date (a @db.Date column) as its UTC day", () => {
    const c = encodeCursor(byDue, [new Date("2026-02-28T00:00:00.000Z")], ID);
    expect(decodeCursor(byDue, c).keys).toEqual(["2026-02-28"]);
  });

  it("refuses to encode a value that does not fit its kind (a caller bug, not input)", () => {
    expect(() => encodeCursor(byDue, ["2026-02-30"], ID)).toThrow();
    expect(() => encodeCursor(byPaid, [new Date(Number.NaN)], ID)).toThrow();
    expect(() => encodeCursor(mixed, [1.5, "x", new Date(), "2026-01-01"], ID)).toThrow();
    expect(() => encodeCursor(byDue, [], ID)).toThrow();
    expect(() => encodeCursor(byDue, ["2026-01-01"], "not-a-uuid")).toThrow();
  });

  it("refuses a cursor of another list, another sort or another direction", () => {
    const c = encodeCursor(byDue, ["2026-01-31"], ID);
    expectInvalid(() => decodeCursor({ ...byDue, tag: "test.invoices.issuedAt" }, c));
    expectInvalid(() => decodeCursor({ ...byDue, desc: false }, c));
    expectInvalid(() => decodeCursor({ ...byDue, kinds: ["timestamp"] }, c));
  });

  it("refuses forged, truncated, oversized and non-base64url cursors with a VALIDATION error, never a crash", () => {
    const good = encodeCursor(byDue, ["2026-01-31"], ID);
    const forged = [
      "",
      ID, // the old id-only cursor
      good.slice(0, -3),
      `${good}!`,
      "a".repeat(MAX_CURSOR_LENGTH + 1),
      "%%%",
      b64("just a string"),
      b64(null),
      b64([1, "test.invoices.dueDate:desc", ["2026-01-31"]]),
      b64([2, "test.invoices.dueDate:desc", ["2026-01-31"], ID]),
      b64([1, "test.invoices.dueDate:desc", ["2026-02-30"], ID]),
      b64([1, "test.invoices.dueDate:desc", ["2026-1-3"], ID]),
      b64([1, "test.invoices.dueDate:desc", [20260131], ID]),
      b64([1, "test.invoices.dueDate:desc", ["2026-01-31", "extra"], ID]),
      b64([1, "test.invoices.dueDate:desc", ["2026-01-31"], "x' OR 1=1 --"]),
      b64([1, "test.invoices.dueDate:desc", ["2026-01-31"], ID.toUpperCase()]),
      b64({ tag: "test.invoices.dueDate:desc" }),
    ];
    for (const c of forged) expectInvalid(() => decodeCursor(byDue, c));
    expectInvalid(() => decodeCursor(byPaid, b64([1, "test.payments.paidAt:asc", ["2026-01-31T00:00:00Z"], ID])));
    expectInvalid(() => decodeCursor(byPaid, b64([1, "test.payments.paidAt:asc", ["2026-02-31T00:00:00.000Z"], ID])));
    const ints: KeysetSpec = { tag: "t", kinds: ["int"], desc: true };
    expectInvalid(() => decodeCursor(ints, b64([1, "t:desc", [1e300], ID])));
    expectInvalid(() => decodeCursor(ints, b64([1, "t:desc", ["5"], ID])));
    const texts: KeysetSpec = { tag: "t", kinds: ["text"], desc: true };
    expectInvalid(() => decodeCursor(texts, b64([1, "t:desc", ["a".repeat(201)], ID])));
    expectInvalid(() => decodeCursor(texts, b64([1, "t:desc", ["a\u0000"], ID])));
  });

  it("decodeOptionalCursor: no cursor is the first page", () => {
    expect(decodeOptionalCursor(byDue, undefined)).toBeUndefined();
    expect(decodeOptionalCursor(byDue, null)).toBeUndefined();
    expect(decodeOptionalCursor(byDue, "")).toBeUndefined();
    expect(decodeOptionalCursor(byDue, encodeCursor(byDue, ["2026-01-31"], ID))?.id).toBe(ID);
  });
});

describe("afterCursor / keysetOrder", () => {
  const col = Prisma.sql`r."dueDate"`;
  const id = Prisma.sql`r.id`;

  it("builds one row comparison, < for a descending list and > for an ascending one, with typed parameters", () => {
    const cur = decodeCursor(byDue, encodeCursor(byDue, ["2026-01-31"], ID));
    const desc = afterCursor(byDue, [col], id, cur);
    expect(desc.sql).toBe(`(r."dueDate", r.id) < (?::date, ?::uuid)`);
    expect(desc.values).toEqual(["2026-01-31", ID]);

    const asc = afterCursor({ ...byDue, desc: false }, [col], id, cur);
    expect(asc.sql).toBe(`(r."dueDate", r.id) > (?::date, ?::uuid)`);
  });

  it("compares timestamps as UTC timestamp(3) values and keeps several keys in one comparison", () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    const cur = decodeCursor(mixed, encodeCursor(mixed, [7, "a", at, "2026-01-01"], ID));
    const cond = afterCursor(mixed, [Prisma.sql`a`, Prisma.sql`b`, Prisma.sql`c`, Prisma.sql`d`], id, cur);
    expect(cond.sql).toBe(`(a, b, c, d, r.id) < (?::int, ?::text, (?::timestamptz AT TIME ZONE 'UTC'), ?::date, ?::uuid)`);
    expect(cond.values).toEqual([7, "a", at.toISOString(), "2026-01-01", ID]);
  });

  it("refuses columns that do not match the kinds", () => {
    const cur = decodeCursor(byDue, encodeCursor(byDue, ["2026-01-31"], ID));
    expect(() => afterCursor(byDue, [col, col], id, cur)).toThrow();
  });

  it("orders every key and the id in the list's direction", () => {
    expect(keysetOrder(byDue, [col], id).sql).toBe(`r."dueDate" DESC, r.id DESC`);
    expect(keysetOrder(byPaid, [Prisma.sql`p."paidAt"`], id).sql).toBe(`p."paidAt" ASC, r.id ASC`);
  });
});

describe("pageOf", () => {
  const rows = [1, 2, 3].map((n) => ({ id: `0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5${n}`, due: `2026-01-0${n}` }));
  const keyOf = (r: (typeof rows)[number]) => ({ keys: [r.due], id: r.id });

  it("keeps limit rows and gives the cursor of the last one when one more row came back", () => {
    const p = pageOf(byDue, rows, 2, keyOf);
    expect(p.rows).toEqual(rows.slice(0, 2));
    expect(decodeCursor(byDue, p.nextCursor!)).toEqual({ keys: ["2026-01-02"], id: rows[1]!.id });
  });

  it("has no next cursor on the last page", () => {
    expect(pageOf(byDue, rows, 3, keyOf).nextCursor).toBeNull();
    expect(pageOf(byDue, [], 3, keyOf)).toEqual({ rows: [], nextCursor: null });
  });
});
