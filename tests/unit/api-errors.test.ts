// The one mapping of errors to what the client sees (server/api/errors.ts): business errors
// keep their code and become a translated message; anything unexpected becomes a generic
// message with a reference id and no internals.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HTTP_STATUS, safeError, toTRPCError } from "@/server/api/errors";
import { AppError, fromPrismaError, type AppErrorCode } from "@/server/core/errors";
import { en } from "@/lib/i18n/messages/en";
import { km } from "@/lib/i18n/messages/km";

describe("toTRPCError", () => {
  it.each<[AppErrorCode, string]>([
    ["NOT_FOUND", "NOT_FOUND"],
    ["FORBIDDEN", "FORBIDDEN"],
    ["UNAUTHORIZED", "UNAUTHORIZED"],
    ["CONFLICT", "CONFLICT"],
    ["LIMIT_EXCEEDED", "FORBIDDEN"],
    ["INVALID_STATE", "PRECONDITION_FAILED"],
    ["VALIDATION", "BAD_REQUEST"],
    ["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"],
  ])("AppError %s → tRPC %s, keeping the AppError as cause", (code, trpcCode) => {
    const appError = new AppError(code, "errors.conflict");
    const e = toTRPCError(appError);
    expect(e).toBeInstanceOf(TRPCError);
    expect(e.code).toBe(trpcCode);
    expect(e.cause).toBe(appError);
  });

  it("unwraps an AppError that tRPC already wrapped", () => {
    const appError = new AppError("INVALID_STATE", "errors.lastOwner");
    const e = toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: appError }));
    expect(e.code).toBe("PRECONDITION_FAILED");
    expect(e.cause).toBe(appError);
  });

  it("maps Prisma P2002 to CONFLICT and P2025 to NOT_FOUND, also when wrapped", () => {
    const p2002 = Object.assign(new Error("Unique constraint failed on the fields: (`slug`)"), { code: "P2002" });
    const p2025 = Object.assign(new Error("Record to update not found."), { code: "P2025" });
    expect(toTRPCError(p2002).code).toBe("CONFLICT");
    expect(toTRPCError(p2025).code).toBe("NOT_FOUND");
    expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: p2002 })).code).toBe("CONFLICT");
    expect(fromPrismaError(Object.assign(new Error("x"), { code: "P2003" }))).toBeInstanceOf(Error);
  });

  it("passes a TRPCError without an AppError cause through untouched", () => {
    const original = new TRPCError({ code: "BAD_REQUEST", message: "bad" });
    expect(toTRPCError(original)).toBe(original);
  });

  it("turns anything else into INTERNAL_SERVER_ERROR", () => {
    const boom = new Error('relation "Secret" does not exist');
    const e = toTRPCError(boom);
    expect(e.code).toBe("INTERNAL_SERVER_ERROR");
    expect(e.cause).toBe(boom);
    expect(toTRPCError("a string").code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("has an HTTP status for every AppError code", () => {
    expect(HTTP_STATUS).toEqual({
      NOT_FOUND: 404,
      FORBIDDEN: 403,
      UNAUTHORIZED: 401,
      CONFLICT: 409,
      LIMIT_EXCEEDED: 403,
      INVALID_STATE: 409,
      VALIDATION: 400,
      TOO_MANY_REQUESTS: 429,
    });
  });
});

describe("safeError", () => {
  it("translates an AppError with its params into the user's language", () => {
    const e = toTRPCError(new AppError("FORBIDDEN", "errors.missingPermission", { permission: "members.manage" }));
    const safe = safeError(e, "en", "req-1");
    expect(safe).toEqual({
      message: "You do not have permission to do that (needs “members.manage”). Ask an owner or admin.",
      appCode: "FORBIDDEN",
      ref: null,
      fieldErrors: null,
    });
    const kmSafe = safeError(e, "km", "req-1");
    expect(kmSafe.message).toBe(km.errors.missingPermission.replace("{permission}", "members.manage"));
    expect(kmSafe.message).not.toBe(safe.message);
  });

  it("gives a generic message with the request id for unknown errors, and no internals", () => {
    const internal = new Error("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2 at PrismaClient");
    const e = toTRPCError(internal);
    const safe = safeError(e, "en", "req-42");
    expect(safe).toEqual({
      message: "Something went wrong on our side. Reference: req-42",
      appCode: null,
      ref: "req-42",
      fieldErrors: null,
    });
    expect(JSON.stringify(safe)).not.toMatch(/ECONNREFUSED|hunter2|Prisma|10\.0\.0\.5/);
    expect(safeError(e, "km", "req-42").message).toBe(km.errors.internal.replace("{ref}", "req-42"));
    expect(safeError(e, "en", null).message).toBe("Something went wrong on our side. Reference: -");
  });

  it("does not leak the message of a TRPCError thrown with internal text", () => {
    const safe = safeError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: 'SELECT * FROM "User" failed' }), "en", "r");
    expect(safe.message).not.toContain("SELECT");
  });

  it("maps zod errors to translated field errors", () => {
    const schema = z.object({
      email: z.string().email({ message: "validation.email" }),
      name: z.string().min(1, { message: "validation.required" }),
    });
    const parsed = schema.safeParse({ email: "nope", name: "" });
    expect(parsed.success).toBe(false);
    const e = new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
    expect(safeError(e, "en", "r")).toEqual({
      message: en.errors.validation,
      appCode: "VALIDATION",
      ref: null,
      fieldErrors: { email: en.validation.email, name: en.validation.required },
    });
  });

  it.each([
    ["NOT_FOUND", en.errors.notFound, "NOT_FOUND"],
    ["UNAUTHORIZED", en.errors.unauthorized, "UNAUTHORIZED"],
    ["FORBIDDEN", en.errors.forbidden, "FORBIDDEN"],
    ["TOO_MANY_REQUESTS", en.errors.tooManyRequests, "TOO_MANY_REQUESTS"],
    ["BAD_REQUEST", en.errors.validation, "VALIDATION"],
    ["PARSE_ERROR", en.errors.validation, "VALIDATION"],
  ] as const)("a bare TRPCError %s gets a generic translated message", (code, message, appCode) => {
    expect(safeError(new TRPCError({ code, message: "internal detail" }), "en", "r")).toEqual({
      message,
      appCode,
      ref: null,
      fieldErrors: null,
    });
  });
});
