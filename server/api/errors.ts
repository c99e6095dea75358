import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { AppError, fromPrismaError, type AppErrorCode } from "@/server/core/errors";
import { isDatabaseOverload } from "@/server/core/overload";
import { createTranslator, type Locale, type MessageKey } from "@/lib/i18n";

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  CONFLICT: "CONFLICT",
  LIMIT_EXCEEDED: "FORBIDDEN",
  INVALID_STATE: "PRECONDITION_FAILED",
  VALIDATION: "BAD_REQUEST",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 403,
  INVALID_STATE: 409,
  VALIDATION: 400,
  TOO_MANY_REQUESTS: 429,
};

/**
 * The one mapping of business errors to tRPC; an overloaded database → SERVICE_UNAVAILABLE (503,
 * Retry-After); unknown errors pass through (→ 500, generic message).
 */
export function toTRPCError(error: unknown): TRPCError {
  const inner = error instanceof TRPCError && error.cause ? error.cause : error;
  if (error instanceof TRPCError && error.code === "SERVICE_UNAVAILABLE") return error;
  if (isDatabaseOverload(inner)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "errors.overloaded", cause: inner instanceof Error ? inner : undefined });
  }
  const mapped = fromPrismaError(inner);
  if (mapped instanceof AppError) return new TRPCError({ code: TRPC_CODE[mapped.code], message: mapped.key, cause: mapped });
  if (error instanceof TRPCError) return error;
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error instanceof Error ? error : undefined });
}

export interface SafeError {
  message: string;
  appCode: AppErrorCode | null;
  ref: string | null;
  fieldErrors: Record<string, string> | null;
}

/** What the user may see: a short message in their language, a reference id for support. */
export function safeError(error: TRPCError, locale: Locale, requestId: string | null): SafeError {
  const t = createTranslator(locale);
  const cause = error.cause;
  if (cause instanceof AppError) {
    return { message: t(cause.key, cause.params), appCode: cause.code, ref: null, fieldErrors: null };
  }
  if (cause instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of cause.issues) {
      const field = issue.path.join(".");
      fieldErrors[field] ??= t(issue.message as MessageKey);
    }
    return { message: t("errors.validation"), appCode: "VALIDATION", ref: null, fieldErrors };
  }
  switch (error.code) {
    case "NOT_FOUND":
      return { message: t("errors.notFound"), appCode: "NOT_FOUND", ref: null, fieldErrors: null };
    case "UNAUTHORIZED":
      return { message: t("errors.unauthorized"), appCode: "UNAUTHORIZED", ref: null, fieldErrors: null };
    case "FORBIDDEN":
      return { message: t("errors.forbidden"), appCode: "FORBIDDEN", ref: null, fieldErrors: null };
    case "TOO_MANY_REQUESTS":
      return { message: t("errors.tooManyRequests"), appCode: "TOO_MANY_REQUESTS", ref: null, fieldErrors: null };
    case "SERVICE_UNAVAILABLE":
      return { message: t("errors.overloaded"), appCode: null, ref: null, fieldErrors: null };
    case "BAD_REQUEST":
    case "PARSE_ERROR":
      return { message: t("errors.validation"), appCode: "VALIDATION", ref: null, fieldErrors: null };
    default:
      // a refusal of the request itself (405 query sent as POST, 413, 422, …): nothing broke on our side
      if (getHTTPStatusCodeFromError(error) < 500) return { message: t("errors.errorBody"), appCode: null, ref: null, fieldErrors: null };
      return { message: t("errors.internal", { ref: requestId ?? "-" }), appCode: null, ref: requestId, fieldErrors: null };
  }
}
