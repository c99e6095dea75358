"use client";
import type { z } from "zod";
import type { MessageKey } from "@/lib/i18n";

/** Validates one code field with the server's schema: the cleaned code, or the message key of the first problem. */
export function parseCode(schema: z.ZodType<string, string>, raw: FormDataEntryValue | null): { code: string } | { error: MessageKey } {
  const parsed = schema.safeParse(typeof raw === "string" ? raw : "");
  if (parsed.success) return { code: parsed.data };
  return { error: (parsed.error.issues[0]?.message ?? "validation.required") as MessageKey };
}
