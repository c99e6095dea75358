"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RENTER_LOCALES, renterInputSchema, type RenterLocale } from "@/lib/schemas/renters";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { clientFieldErrors } from "@/components/account/form-errors";
import { useFormFields } from "@/components/ui/use-form-fields";
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
  const queryClient = useQueryClient();
  const { values, set, errors, setErrors, onError } = useFormFields<RenterFormValues>(initial ?? EMPTY_RENTER, { conflictField: "phone" });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.renters.pathKey() });
  const create = useMutation(
    trpc.renters.create.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("renters.createdToast", { name: r.name }));
        void invalidate();
        onDone(r);
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.renters.update.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("renters.updatedToast", { name: r.name }));
        void invalidate();
        onDone(r);
      },
      onError,
    }),
  );
  const pending = create.isPending || update.isPending;

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = renterInputSchema.safeParse(values);
    if (!parsed.success) return setErrors(clientFieldErrors(parsed.error, t));
    setErrors({});
    // send what was typed: the server normalises (and checks) again
    if (renterId) update.mutate({ ...values, renterId });
    else create.mutate(values);
  }

  const idp = renterId ? `renter-${renterId}` : "renter-new";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="renter-form">
      <p className="text-sm text-slate-600">{t("renters.nameHelp")}</p>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${idp}-nameKm`}
          name="nameKm"
          lang="km"
          label={t("renters.nameKm")}
          value={values.nameKm}
          onChange={set("nameKm")}
          error={errors.nameKm}
          maxLength={120}
        />
        <Field
          id={`${idp}-nameLatin`}
          name="nameLatin"
          label={t("renters.nameLatin")}
          value={values.nameLatin}
          onChange={set("nameLatin")}
          error={errors.nameLatin}
          maxLength={120}
          autoComplete="off"
        />
        <Field
          id={`${idp}-phone`}
          name="phone"
          type="tel"
          inputMode="tel"
          label={t("renters.phone")}
          help={t("renters.phoneHelp")}
          value={values.phone}
          onChange={set("phone")}
          error={errors.phone}
          maxLength={30}
          required
        />
        <Field
          id={`${idp}-email`}
          name="email"
          type="email"
          label={t("renters.email")}
          help={t("renters.emailHelp")}
          value={values.email}
          onChange={set("email")}
          error={errors.email}
          maxLength={254}
        />
        <Field
          id={`${idp}-telegram`}
          name="telegram"
          label={t("renters.telegram")}
          help={t("renters.telegramHelp")}
          value={values.telegram}
          onChange={set("telegram")}
          error={errors.telegram}
          maxLength={64}
        />
        <SelectField
          id={`${idp}-locale`}
          name="locale"
          label={t("renters.locale")}
          value={values.locale}
          onChange={set("locale")}
          error={errors.locale}
        >
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
          name="emergencyName"
          label={t("renters.emergencyName")}
          value={values.emergencyName}
          onChange={set("emergencyName")}
          error={errors.emergencyName}
          maxLength={120}
        />
        <Field
          id={`${idp}-emergencyPhone`}
          name="emergencyPhone"
          type="tel"
          inputMode="tel"
          label={t("renters.emergencyPhone")}
          value={values.emergencyPhone}
          onChange={set("emergencyPhone")}
          error={errors.emergencyPhone}
          maxLength={30}
        />
      </fieldset>
      <TextAreaField
        id={`${idp}-notes`}
        name="notes"
        label={t("renters.notes")}
        value={values.notes}
        onChange={set("notes")}
        error={errors.notes}
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
