"use client";
import { TRPCClientError } from "@trpc/client";

/** The server's safe error shape (server/api/trpc.ts errorFormatter): app code and translated field errors. */
export function serverError(error: unknown): { appCode: string | null; fieldErrors: Record<string, string> } {
  if (!(error instanceof TRPCClientError)) return { appCode: null, fieldErrors: {} };
  const data = (error.data ?? {}) as { appCode?: string | null; fieldErrors?: Record<string, string> | null };
  return { appCode: data.appCode ?? null, fieldErrors: data.fieldErrors ?? {} };
}
