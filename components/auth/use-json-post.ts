"use client";
import { useState } from "react";
import type { z } from "zod";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";

export interface PostState {
  pending: boolean;
  error: string | null;
  fieldErrors: Record<string, string>;
}

/** The outcome of a post made before the page hydrated, rendered by the server from `?error=`. */
export interface FormInitial {
  error: string | null;
  fieldErrors: Record<string, string>;
}

/**
 * Client-side validation with the server's own zod schema, then a JSON POST to a session
 * route; server field errors and messages arrive already translated.
 */
export function useJsonPost<S extends z.ZodType>(url: string, schema: S, initial?: FormInitial) {
  const { t } = useI18n();
  const [state, setState] = useState<PostState>({
    pending: false,
    error: initial?.error ?? null,
    fieldErrors: initial?.fieldErrors ?? {},
  });

  async function submit(values: unknown): Promise<Record<string, unknown> | null> {
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".")] ??= t(issue.message as MessageKey);
      setState({ pending: false, error: null, fieldErrors });
      return null;
    }
    setState({ pending: true, error: null, fieldErrors: {} });
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(parsed.data),
        credentials: "same-origin",
      });
      const body = (await res.json().catch(() => ({}))) as { error?: { message?: string; fieldErrors?: Record<string, string> | null } };
      if (!res.ok) {
        setState({ pending: false, error: body.error?.message ?? t("errors.errorBody"), fieldErrors: body.error?.fieldErrors ?? {} });
        return null;
      }
      setState({ pending: false, error: null, fieldErrors: {} });
      return body as Record<string, unknown>;
    } catch {
      setState({ pending: false, error: t("errors.network"), fieldErrors: {} });
      return null;
    }
  }

  /** Form handler: validate, post, then follow the server's `redirectTo` with a full load (new cookies). */
  function submitAndFollow(extra: Record<string, string> = {}) {
    return async (e: React.FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const result = await submit({ ...formValues(e.currentTarget), ...extra });
      if (result && typeof result.redirectTo === "string") window.location.href = result.redirectTo;
    };
  }

  // the form's method and action: before hydration (or without JavaScript) the browser posts the
  // same fields to the same route, which answers with a redirect; a secret never goes in a URL
  return { ...state, submit, submitAndFollow, formProps: { method: "post", action: url } as const };
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
}
