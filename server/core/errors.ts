// One error type for business rules. Services throw AppError; server/api/errors.ts maps it to
// tRPC/HTTP in one place. `key` is a message key in lib/i18n so the user sees it in their language.
import type { MessageKey } from "@/lib/i18n";

export type AppErrorCode =
  "NOT_FOUND" | "FORBIDDEN" | "UNAUTHORIZED" | "CONFLICT" | "LIMIT_EXCEEDED" | "INVALID_STATE" | "VALIDATION" | "TOO_MANY_REQUESTS";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${key}`);
    this.name = "AppError";
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

function prismaCode(e: unknown): unknown {
  return typeof e === "object" && e !== null && "code" in e ? (e as { code: unknown }).code : undefined;
}

/** A unique constraint refused the write (Prisma P2002): a concurrent writer got there first. */
export function isUniqueViolation(e: unknown): boolean {
  return prismaCode(e) === "P2002";
}

/** Prisma's codes for a value the column refuses: too long, bad syntax (malformed uuid), out of range. */
const PRISMA_DATA_CODES = new Set(["P2000", "P2007", "P2020"]);

/**
 * The PostgreSQL SQLSTATE behind an error: Prisma 7 keeps the driver adapter's error in
 * meta.driverAdapterError (its cause holds `originalCode`); a bare pg error carries it as `code`.
 */
function sqlState(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const meta = (e as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const original = meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === "string") return original;
  const code = prismaCode(e);
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("P") ? code : undefined;
}

/**
 * Prisma known request errors → AppError; anything else is returned untouched. A data exception
 * (SQLSTATE class 22: a NUL byte in text, a malformed uuid, an int4 overflow, a date out of range,
 * a string too long for its column) means the input was bad, so it is a VALIDATION error (400),
 * not a 500. Other database errors stay unknown: they are our bugs.
 */
export function fromPrismaError(e: unknown): unknown {
  const code = prismaCode(e);
  if (code === "P2002") return new AppError("CONFLICT", "errors.conflict");
  if (code === "P2025") return new AppError("NOT_FOUND", "errors.notFound");
  if ((typeof code === "string" && PRISMA_DATA_CODES.has(code)) || sqlState(e)?.startsWith("22")) {
    return new AppError("VALIDATION", "errors.invalidInput");
  }
  return e;
}
