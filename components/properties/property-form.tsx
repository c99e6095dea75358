"use client";
import { PROPERTY_TYPES, propertyInputSchema, type PropertyType } from "@/lib/schemas/properties";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { SelectField, TextAreaField } from "./fields";

export interface PropertyFormValues {
  name: string;
  address: string;
  type: PropertyType;
  notes: string;
}

/** Create (no `propertyId`) or edit a property; the server's schema checks the fields here first. */
export function PropertyForm({
  propertyId,
  initial,
  onDone,
  onCancel,
}: {
  propertyId?: string;
  initial?: PropertyFormValues;
  onDone: (saved: { id: string; name: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const form = useZodForm(propertyInputSchema, initial ?? { name: "", address: "", type: "apartment_building", notes: "" });
  const { errors } = form.formState;
  const behaviour = { invalidate: [trpc.properties.pathKey()], codeFields: { CONFLICT: "name" }, onSuccess: onDone };
  const create = useFormMutation(form, trpc.properties.create.mutationOptions(), {
    ...behaviour,
    successToast: (p) => t("properties.created_toast", { name: p.name }),
  });
  const update = useFormMutation(form, trpc.properties.update.mutationOptions(), {
    ...behaviour,
    successToast: (p) => t("properties.updated_toast", { name: p.name }),
  });
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit((data) => {
    if (propertyId) update.mutate({ ...data, propertyId });
    else create.mutate(data);
  });

  const idp = propertyId ? `property-${propertyId}` : "property-new";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="property-form">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${idp}-name`}
          label={t("properties.name")}
          {...form.register("name")}
          error={errors.name?.message}
          maxLength={120}
          required
        />
        <SelectField id={`${idp}-type`} label={t("properties.type")} {...form.register("type")} error={errors.type?.message}>
          {PROPERTY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`properties.types.${type}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <Field
        id={`${idp}-address`}
        label={t("properties.address")}
        {...form.register("address")}
        error={errors.address?.message}
        maxLength={300}
      />
      <TextAreaField
        id={`${idp}-notes`}
        label={t("properties.notes")}
        {...form.register("notes")}
        error={errors.notes?.message}
        maxLength={2000}
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? t("properties.saving") : propertyId ? t("properties.save") : t("properties.create")}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel} disabled={pending}>
          {t("properties.cancel")}
        </Button>
      </div>
    </form>
  );
}
