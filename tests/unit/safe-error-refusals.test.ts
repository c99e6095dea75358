// A request the endpoint refuses (a query sent as a POST, a body too large, …) answers 4xx with a
// plain "could not complete that" message, not "something went wrong on our side" with a
// reference: nothing broke on our side (found by tests/integration/input-fuzz.test.ts).
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { safeError } from "@/server/api/errors";
import { en } from "@/lib/i18n/messages/en";

describe("safeError for refusals without an AppError", () => {
  it.each(["METHOD_NOT_SUPPORTED", "PAYLOAD_TOO_LARGE", "UNPROCESSABLE_CONTENT", "CONFLICT", "PRECONDITION_FAILED"] as const)(
    "%s → a plain message, no reference",
    (code) => {
      const safe = safeError(new TRPCError({ code, message: "internal detail" }), "en", "req-1");
      expect(safe.message).toBe(en.errors.errorBody);
      expect(safe.ref).toBeNull();
    },
  );

  it("keeps the reference for real server errors", () => {
    const safe = safeError(new TRPCError({ code: "INTERNAL_SERVER_ERROR" }), "en", "req-2");
    expect(safe.message).toContain("req-2");
    expect(safe.ref).toBe("req-2");
  });
});
