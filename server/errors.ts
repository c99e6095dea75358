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

/** Prisma known request errors → AppError; anything else is returned untouched. */
export function fromPrismaError(e: unknown): unknown {
  const code = prismaCode(e);
  if (code === "P2002") return new AppError("CONFLICT", "errors.conflict");
  if (code === "P2025") return new AppError("NOT_FOUND", "errors.notFound");
  return e;
}
