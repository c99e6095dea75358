"use client";
import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createFlagSchema, updateFlagSchema } from "@/lib/schemas/flags";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { dateInputInDays, dateInputValue, expiryFromDateInput } from "./dates";

type Values = { key: string; description: string; owner: string; expiresAt: string; defaultEnabled: boolean };
type Errors = Partial<Record<keyof Values, string>>;

export interface FlagFormInitial {
  key: string;
  description: string;
  owner: string;
  expiresAt: Date;
  defaultEnabled: boolean;
}

/** The server's inline errors (zod issues, translated) and its error code, from a tRPC error. */
function serverDetails(e: unknown): { fieldErrors: Record<string, string> | null; appCode: string | null } {
  const data = (e as { data?: { fieldErrors?: Record<string, string> | null; appCode?: string | null } } | null)?.data;
  return { fieldErrors: data?.fieldErrors ?? null, appCode: data?.appCode ?? null };
}

/**
 * Create (no `initial`) or edit a flag. Validates with the same zod schema as the procedure
 * and shows errors next to the fields; the key is fixed once the flag exists.
 */
export function FlagForm({
  initial,
  onDone,
  onCancel,
}: {
  initial?: FlagFormInitial;
  onDone?: (key: string) => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const editing = Boolean(initial);
  const [values, setValues] = useState<Values>(() => ({
    key: initial?.key ?? "",
    description: initial?.description ?? "",
    owner: initial?.owner ?? "",
    expiresAt: initial ? dateInputValue(initial.expiresAt) : dateInputInDays(30),
    defaultEnabled: initial?.defaultEnabled ?? false,
  }));
  const [errors, setErrors] = useState<Errors>({});

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.admin.flags.pathKey() });
  const onError = (e: unknown) => {
    const { fieldErrors, appCode } = serverDetails(e);
    const message = errorMessage(e, t("errors.errorBody"));
    if (fieldErrors) setErrors(fieldErrors as Errors);
    else if (appCode === "CONFLICT") setErrors({ key: message });
    toast.error(message);
  };
  const create = useMutation(
    trpc.admin.flags.create.mutationOptions({
      onSuccess: (flag) => {
        toast.success(t("flags.created", { key: flag.key }));
        void invalidate();
        onDone?.(flag.key);
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.admin.flags.update.mutationOptions({
      onSuccess: (flag) => {
        toast.success(t("flags.updated", { key: flag.key }));
        void invalidate();
        onDone?.(flag.key);
      },
      onError,
    }),
  );
  const pending = create.isPending || update.isPending;

  function set<K extends keyof Values>(name: K, value: Values[K]) {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = { ...values, expiresAt: expiryFromDateInput(values.expiresAt) };
    const parsed = editing ? updateFlagSchema.safeParse(candidate) : createFlagSchema.safeParse(candidate);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as keyof Values | undefined;
        if (field && !next[field]) next[field] = t(issue.message as MessageKey);
      }
      setErrors(next);
      return;
    }
    setErrors({});
    if (editing) update.mutate(updateFlagSchema.parse(candidate));
    else create.mutate(createFlagSchema.parse(candidate));
  }

  const id = (name: string) => `flag-${editing ? "edit" : "new"}-${name}`;
  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-4"
      aria-busy={pending}
      data-testid={editing ? "flag-edit-form" : "flag-create-form"}
    >
      <Field
        id={id("key")}
        label={t("flags.key")}
        value={values.key}
        onChange={(e) => set("key", e.target.value)}
        error={errors.key}
        help={t("flags.keyHelp")}
        readOnly={editing}
        disabled={editing}
        autoCapitalize="none"
        spellCheck={false}
        required
      />
      <Field
        id={id("description")}
        label={t("flags.description")}
        value={values.description}
        onChange={(e) => set("description", e.target.value)}
        error={errors.description}
        help={t("flags.descriptionHelp")}
        maxLength={500}
        required
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={id("owner")}
          label={t("flags.owner")}
          value={values.owner}
          onChange={(e) => set("owner", e.target.value)}
          error={errors.owner}
          help={t("flags.ownerHelp")}
          maxLength={100}
          required
        />
        <Field
          id={id("expiresAt")}
          type="date"
          label={t("flags.expiresAt")}
          value={values.expiresAt}
          onChange={(e) => set("expiresAt", e.target.value)}
          error={errors.expiresAt}
          help={t("flags.expiresHelp")}
          required
        />
      </div>
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input
          type="checkbox"
          checked={values.defaultEnabled}
          onChange={(e) => set("defaultEnabled", e.target.checked)}
          className="h-4 w-4 rounded border-slate-300"
        />
        {t("flags.defaultEnabled")}
      </label>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? t("flags.saving") : editing ? t("common.save") : t("flags.create")}
        </Button>
        {onCancel ? (
          <Button type="button" variant="secondary" onClick={onCancel} disabled={pending}>
            {t("flags.cancel")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}
