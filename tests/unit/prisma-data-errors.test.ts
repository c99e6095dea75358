// A value PostgreSQL refuses as data (SQLSTATE class 22: a NUL byte in text, a malformed uuid,
// an int4 overflow, a date out of range, a string too long for its column) is the caller's bad
// input, not a server fault: fromPrismaError makes it a VALIDATION AppError (→ 400 with the
// translated errors.invalidInput message), never a 500. Shapes as Prisma 7 with the pg adapter
// throws them (found by tests/integration/input-fuzz.test.ts).
import { describe, expect, it } from "vitest";
import { AppError, fromPrismaError } from "@/server/core/errors";

/** What @prisma/adapter-pg + the Prisma 7 client throw for a driver error. */
function prismaError(prismaCode: string, sqlState: string, kind = "postgres") {
  return Object.assign(new Error(`Database error. Code: \`${sqlState}\`.`), {
    name: "PrismaClientKnownRequestError",
    code: prismaCode,
    meta: { driverAdapterError: Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind, originalCode: sqlState } }) },
  });
}

describe("fromPrismaError: data exceptions are bad input", () => {
  it.each([
    ["P2039", "22021", "postgres"], // NUL byte in text: invalid byte sequence for encoding "UTF8": 0x00
    ["P2039", "22008", "postgres"], // date/time field value out of range
    ["P2039", "22007", "postgres"], // invalid datetime format
    ["P2007", "22P02", "InvalidInputValue"], // invalid input syntax for type uuid
    ["P2020", "22003", "ValueOutOfRange"], // integer out of range
    ["P2000", "22001", "LengthMismatch"], // value too long for the column
    ["P2010", "22021", "postgres"], // the same through $queryRaw
  ])("%s (SQLSTATE %s) → VALIDATION", (code, sqlState, kind) => {
    const mapped = fromPrismaError(prismaError(code, sqlState, kind));
    expect(mapped).toBeInstanceOf(AppError);
    expect((mapped as AppError).code).toBe("VALIDATION");
    expect((mapped as AppError).key).toBe("errors.invalidInput");
  });

  it("maps a bare pg driver error of class 22 too", () => {
    const pg = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: "22021", severity: "ERROR" });
    expect((fromPrismaError(pg) as AppError).code).toBe("VALIDATION");
  });

  it("leaves other database errors alone (they stay 500s: they are our bugs, not the caller's)", () => {
    const deadlock = prismaError("P2039", "40P01");
    expect(fromPrismaError(deadlock)).toBe(deadlock);
    const missing = prismaError("P2010", "42P01");
    expect(fromPrismaError(missing)).toBe(missing);
    const fk = Object.assign(new Error("fk"), { code: "P2003" });
    expect(fromPrismaError(fk)).toBe(fk);
  });
});
