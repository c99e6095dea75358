"use client";
import { useState } from "react";
import type { FieldValues, Path } from "react-hook-form";
import type { z } from "zod";
import { useI18n } from "@/lib/i18n/client";
import { useZodForm } from "@/components/forms/use-zod-form";

/** The outcome of a post made before the page hydrated, rendered by the server from `?error=`. */
export interface FormInitial {
  error: string | null;
  fieldErrors: Record<string, string>;
}

type Body = Record<string, unknown>;

/**
 * react-hook-form with the server's own zod schema, then a JSON POST to a session route; server
 * field errors and messages arrive already translated. The inputs stay uncontrolled with their
 * `name`s, so before hydration (or without JavaScript) the browser posts the same fields to the
 * same route, and what was typed before hydration is kept.
 */
export function useJsonPost<S extends z.ZodType<FieldValues, unknown>>(url: string, schema: S, initial?: FormInitial) {
  const { t } = useI18n();
  // no default values: each field starts from what its input holds
  const form = useZodForm<FieldValues, z.output<S>>(schema as unknown as z.ZodType<z.output<S>, unknown>, {});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(initial?.error ?? null);
  // the no-JS post's field errors, shown until the form is submitted here
  const [initialFieldErrors, setInitialFieldErrors] = useState<Record<string, string>>(initial?.fieldErrors ?? {});

  const fieldErrors: Record<string, string> = { ...initialFieldErrors };
  for (const [name, e] of Object.entries(form.formState.errors)) if (typeof e?.message === "string") fieldErrors[name] = e.message;

  async function post(values: z.output<S>): Promise<Body | null> {
    setPending(true);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(values),
        credentials: "same-origin",
      });
      const body = (await res.json().catch(() => ({}))) as { error?: { message?: string; fieldErrors?: Record<string, string> | null } };
      if (!res.ok) {
        setError(body.error?.message ?? t("errors.errorBody"));
        for (const [name, message] of Object.entries(body.error?.fieldErrors ?? {})) {
          form.setError(name as Path<FieldValues>, { type: "server", message });
        }
        return null;
      }
      return body as Body;
    } catch {
      setError(t("errors.network"));
      return null;
    } finally {
      setPending(false);
    }
  }

  /** Form handler: validate, post, then `onDone` with the answer (default: follow its `redirectTo` with a full load, new cookies). */
  function onSubmit(extra: Record<string, string> = {}, onDone: (body: Body) => void = followRedirect) {
    return (e: React.FormEvent<HTMLFormElement>) => {
      for (const [name, value] of Object.entries(extra)) form.setValue(name, value);
      setError(null);
      setInitialFieldErrors({});
      return form.handleSubmit(async (values) => {
        const body = await post(values);
        if (body) onDone(body);
      })(e);
    };
  }

  return {
    pending,
    error,
    fieldErrors,
    register: form.register,
    onSubmit,
    submitAndFollow: (extra: Record<string, string> = {}) => onSubmit(extra),
    // the form's method and action: a secret never goes in a URL
    formProps: { method: "post", action: url } as const,
  };
}

function followRedirect(body: Body) {
  if (typeof body.redirectTo === "string") window.location.href = body.redirectTo;
}
