"use client";
import { TRPCClientError } from "@trpc/client";
import type { z } from "zod";
import type { MessageKey } from "@/lib/i18n";

/** Client-side check with the server's own schema: field → translated message. */
export function clientFieldErrors(error: z.ZodError, t: (key: MessageKey) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.join(".")] ??= t(issue.message as MessageKey);
  return out;
}

/** The server's safe error shape (server/api/trpc.ts errorFormatter): app code and translated field errors. */
export function serverError(error: unknown): { appCode: string | null; fieldErrors: Record<string, string> } {
  if (!(error instanceof TRPCClientError)) return { appCode: null, fieldErrors: {} };
  const data = (error.data ?? {}) as { appCode?: string | null; fieldErrors?: Record<string, string> | null };
  return { appCode: data.appCode ?? null, fieldErrors: data.fieldErrors ?? {} };
}
