"use client";
import { RENTER_LOCALES, renterInputSchema, type RenterLocale } from "@/lib/schemas/renters";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { SelectField, TextAreaField } from "@/components/properties/fields";

export interface RenterFormValues {
  nameKm: string;
  nameLatin: string;
  phone: string;
  email: string;
  telegram: string;
  emergencyName: string;
  emergencyPhone: string;
  notes: string;
  locale: RenterLocale;
}

export const EMPTY_RENTER: RenterFormValues = {
  nameKm: "",
  nameLatin: "",
  phone: "",
  email: "",
  telegram: "",
  emergencyName: "",
  emergencyPhone: "",
  notes: "",
  locale: "km",
};

/** Create (no `renterId`) or edit a renter; the server's schema checks the fields here first (phones normalised to +855…). */
export function RenterForm({
  renterId,
  initial,
  onDone,
  onCancel,
}: {
  renterId?: string;
  initial?: RenterFormValues;
  onDone: (saved: { id: string; name: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const form = useZodForm(renterInputSchema, initial ?? EMPTY_RENTER);
  const { errors } = form.formState;
  const behaviour = { invalidate: [trpc.renters.pathKey()], codeFields: { CONFLICT: "phone" }, onSuccess: onDone };
  const create = useFormMutation(form, trpc.renters.create.mutationOptions(), {
    ...behaviour,
    successToast: (r) => t("renters.createdToast", { name: r.name }),
  });
  const update = useFormMutation(form, trpc.renters.update.mutationOptions(), {
    ...behaviour,
    successToast: (r) => t("renters.updatedToast", { name: r.name }),
  });
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit(() => {
    // send what was typed: the server normalises (and checks) again
    const values = form.getValues();
    if (renterId) update.mutate({ ...values, renterId });
    else create.mutate(values);
  });

  const idp = renterId ? `renter-${renterId}` : "renter-new";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="renter-form">
      <p className="text-sm text-slate-600">{t("renters.nameHelp")}</p>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${idp}-nameKm`}
          lang="km"
          label={t("renters.nameKm")}
          {...form.register("nameKm")}
          error={errors.nameKm?.message}
          maxLength={120}
        />
        <Field
          id={`${idp}-nameLatin`}
          label={t("renters.nameLatin")}
          {...form.register("nameLatin")}
          error={errors.nameLatin?.message}
          maxLength={120}
          autoComplete="off"
        />
        <Field
          id={`${idp}-phone`}
          type="tel"
          inputMode="tel"
          label={t("renters.phone")}
          help={t("renters.phoneHelp")}
          {...form.register("phone")}
          error={errors.phone?.message}
          maxLength={30}
          required
        />
        <Field
          id={`${idp}-email`}
          type="email"
          label={t("renters.email")}
          help={t("renters.emailHelp")}
          {...form.register("email")}
          error={errors.email?.message}
          maxLength={254}
        />
        <Field
          id={`${idp}-telegram`}
          label={t("renters.telegram")}
          help={t("renters.telegramHelp")}
          {...form.register("telegram")}
          error={errors.telegram?.message}
          maxLength={64}
        />
        <SelectField id={`${idp}-locale`} label={t("renters.locale")} {...form.register("locale")} error={errors.locale?.message}>
          {RENTER_LOCALES.map((l) => (
            <option key={l} value={l}>
              {t(`renters.locales.${l}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">{t("renters.emergency")}</legend>
        <Field
          id={`${idp}-emergencyName`}
          label={t("renters.emergencyName")}
          {...form.register("emergencyName")}
          error={errors.emergencyName?.message}
          maxLength={120}
        />
        <Field
          id={`${idp}-emergencyPhone`}
          type="tel"
          inputMode="tel"
          label={t("renters.emergencyPhone")}
          {...form.register("emergencyPhone")}
          error={errors.emergencyPhone?.message}
          maxLength={30}
        />
      </fieldset>
      <TextAreaField
        id={`${idp}-notes`}
        label={t("renters.notes")}
        {...form.register("notes")}
        error={errors.notes?.message}
        maxLength={2000}
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? t("renters.saving") : renterId ? t("renters.save") : t("renters.create")}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel} disabled={pending}>
          {t("renters.cancel")}
        </Button>
      </div>
    </form>
  );
}
