"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PROPERTY_TYPES, propertyInputSchema, type PropertyType } from "@/lib/schemas/properties";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { clientFieldErrors } from "@/components/account/form-errors";
import { useFormFields } from "@/components/ui/use-form-fields";
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
  const queryClient = useQueryClient();
  const { values, set, errors, setErrors, onError } = useFormFields<PropertyFormValues>(
    initial ?? { name: "", address: "", type: "apartment_building", notes: "" },
    { conflictField: "name" },
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
  const create = useMutation(
    trpc.properties.create.mutationOptions({
      onSuccess: (p) => {
        toast.success(t("properties.created_toast", { name: p.name }));
        void invalidate();
        onDone(p);
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.properties.update.mutationOptions({
      onSuccess: (p) => {
        toast.success(t("properties.updated_toast", { name: p.name }));
        void invalidate();
        onDone(p);
      },
      onError,
    }),
  );
  const pending = create.isPending || update.isPending;

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = propertyInputSchema.safeParse(values);
    if (!parsed.success) return setErrors(clientFieldErrors(parsed.error, t));
    setErrors({});
    if (propertyId) update.mutate({ ...parsed.data, propertyId });
    else create.mutate(parsed.data);
  }

  const idp = propertyId ? `property-${propertyId}` : "property-new";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="property-form">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${idp}-name`}
          name="name"
          label={t("properties.name")}
          value={values.name}
          onChange={set("name")}
          error={errors.name}
          maxLength={120}
          required
        />
        <SelectField
          id={`${idp}-type`}
          name="type"
          label={t("properties.type")}
          value={values.type}
          onChange={set("type")}
          error={errors.type}
        >
          {PROPERTY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`properties.types.${type}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <Field
        id={`${idp}-address`}
        name="address"
        label={t("properties.address")}
        value={values.address}
        onChange={set("address")}
        error={errors.address}
        maxLength={300}
      />
      <TextAreaField
        id={`${idp}-notes`}
        name="notes"
        label={t("properties.notes")}
        value={values.notes}
        onChange={set("notes")}
        error={errors.notes}
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
