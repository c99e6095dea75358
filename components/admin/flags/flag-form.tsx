"use client";
import { createFlagSchema, updateFlagSchema } from "@/lib/schemas/flags";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { dateInputInDays, dateInputValue, expiryFromDateInput } from "./dates";

type Values = { key: string; description: string; owner: string; expiresAt: string; defaultEnabled: boolean };

export interface FlagFormInitial {
  key: string;
  description: string;
  owner: string;
  expiresAt: Date;
  defaultEnabled: boolean;
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
  const { t } = useI18n();
  const editing = Boolean(initial);
  const form = useZodForm(
    editing ? updateFlagSchema : createFlagSchema,
    {
      key: initial?.key ?? "",
      description: initial?.description ?? "",
      owner: initial?.owner ?? "",
      expiresAt: initial ? dateInputValue(initial.expiresAt) : dateInputInDays(30),
      defaultEnabled: initial?.defaultEnabled ?? false,
    } as Values,
    { toInput: (values) => ({ ...values, expiresAt: expiryFromDateInput(values.expiresAt) }) },
  );
  const { errors } = form.formState;
  // a field's error goes as soon as it is changed
  const field = (name: keyof Values) => form.register(name, { onChange: () => form.clearErrors(name) });

  const behaviour = {
    invalidate: [trpc.admin.flags.pathKey()],
    codeFields: { CONFLICT: "key" },
    onSuccess: (flag: { key: string }) => onDone?.(flag.key),
  };
  const create = useFormMutation(form, trpc.admin.flags.create.mutationOptions(), {
    ...behaviour,
    successToast: (flag) => t("flags.created", { key: flag.key }),
  });
  const update = useFormMutation(form, trpc.admin.flags.update.mutationOptions(), {
    ...behaviour,
    successToast: (flag) => t("flags.updated", { key: flag.key }),
  });
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit((data) => {
    if (editing) update.mutate(data);
    else create.mutate(data);
  });

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
        {...field("key")}
        error={errors.key?.message}
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
        {...field("description")}
        error={errors.description?.message}
        help={t("flags.descriptionHelp")}
        maxLength={500}
        required
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={id("owner")}
          label={t("flags.owner")}
          {...field("owner")}
          error={errors.owner?.message}
          help={t("flags.ownerHelp")}
          maxLength={100}
          required
        />
        <Field
          id={id("expiresAt")}
          type="date"
          label={t("flags.expiresAt")}
          {...field("expiresAt")}
          error={errors.expiresAt?.message}
          help={t("flags.expiresHelp")}
          required
        />
      </div>
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" {...field("defaultEnabled")} className="h-4 w-4 rounded border-slate-300" />
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
