"use client";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { MANUAL_UNIT_STATUSES, RENT_CURRENCIES, createUnitSchema, unitInputSchema, type RentCurrency } from "@/lib/schemas/properties";
import { minorToDecimal, parseMoney } from "@/lib/money";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import type { RouterOutputs } from "@/lib/trpc/client";
import { SelectField } from "./fields";

type UnitRow = RouterOutputs["properties"]["unit"];

/** Create a unit (in `propertyId`, or a property picked here) or edit `unit`. */
export function UnitForm({
  unit,
  propertyId,
  onDone,
  onCancel,
}: {
  unit?: UnitRow;
  propertyId?: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const pickProperty = !unit && !propertyId;
  const options = useQuery({ ...trpc.properties.options.queryOptions(), enabled: pickProperty });
  const form = useZodForm(
    // without a property given, the picked one is checked with the rest (required)
    (pickProperty ? createUnitSchema : unitInputSchema) as z.ZodType<z.output<typeof unitInputSchema> & { propertyId?: string }, unknown>,
    {
      propertyId: unit?.propertyId ?? propertyId ?? "",
      code: unit?.code ?? "",
      floor: unit?.floor === null || unit?.floor === undefined ? "" : String(unit.floor),
      sizeSqm: unit?.sizeSqm === null || unit?.sizeSqm === undefined ? "" : String(unit.sizeSqm),
      rent: unit ? minorToDecimal(unit.baseRent, unit.currency) : "",
      currency: (unit?.currency ?? "USD") as RentCurrency,
      status: unit?.status === "maintenance" ? "maintenance" : "vacant",
    },
    {
      // what people type → the schema's numbers; the form's rent field is the schema's baseRent
      toInput: (values) => {
        const rent = parseMoney(values.rent, values.currency);
        const floor = values.floor.trim() === "" ? null : Number(values.floor);
        const sizeSqm = values.sizeSqm.trim() === "" ? null : Number(values.sizeSqm.replace(",", "."));
        return {
          ...(pickProperty ? { propertyId: values.propertyId } : {}),
          code: values.code,
          floor: Number.isNaN(floor) ? -999 : floor,
          sizeSqm: Number.isNaN(sizeSqm) ? -1 : sizeSqm,
          baseRent: rent ?? -1,
          currency: values.currency,
          status: values.status,
        };
      },
      errorPaths: { baseRent: "rent" },
    },
  );
  const { errors } = form.formState;
  const behaviour = {
    invalidate: [trpc.properties.pathKey()],
    codeFields: { CONFLICT: "code" },
    errorPaths: { baseRent: "rent" },
    onSuccess: onDone,
  };
  const create = useFormMutation(form, trpc.properties.createUnit.mutationOptions(), {
    ...behaviour,
    successToast: (u) => t("properties.unit.created_toast", { code: u.code }),
  });
  const update = useFormMutation(form, trpc.properties.updateUnit.mutationOptions(), {
    ...behaviour,
    successToast: (u) => t("properties.unit.updated_toast", { code: u.code }),
  });
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit((data) => {
    if (unit) update.mutate({ ...data, unitId: unit.id });
    else create.mutate({ ...data, propertyId: form.getValues("propertyId") });
  });

  const idp = unit ? `unit-${unit.id}` : "unit-new";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="unit-form">
      {!unit && !propertyId ? (
        <SelectField
          id={`${idp}-property`}
          label={t("properties.unit.property")}
          {...form.register("propertyId")}
          error={errors.propertyId?.message}
        >
          <option value="">{t("properties.unit.chooseProperty")}</option>
          {(options.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          id={`${idp}-code`}
          label={t("properties.unit.code")}
          help={t("properties.unit.codeHelp")}
          {...form.register("code")}
          error={errors.code?.message}
          maxLength={40}
          required
        />
        <Field
          id={`${idp}-floor`}
          inputMode="numeric"
          label={t("properties.unit.floor")}
          {...form.register("floor")}
          error={errors.floor?.message}
        />
        <Field
          id={`${idp}-size`}
          inputMode="decimal"
          label={t("properties.unit.size")}
          {...form.register("sizeSqm")}
          error={errors.sizeSqm?.message}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          id={`${idp}-rent`}
          inputMode="decimal"
          label={t("properties.unit.rent")}
          help={t("properties.unit.rentHelp")}
          {...form.register("rent")}
          error={errors.rent?.message}
          required
        />
        <SelectField id={`${idp}-currency`} label={t("properties.unit.currency")} {...form.register("currency")}>
          {RENT_CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        {unit?.status === "occupied" ? (
          <Field
            id={`${idp}-status`}
            label={t("properties.unit.status")}
            value={t("properties.unit.statuses.occupied")}
            help={t("properties.unit.statusHelpOccupied")}
            readOnly
          />
        ) : (
          <SelectField id={`${idp}-status`} label={t("properties.unit.status")} {...form.register("status")}>
            {MANUAL_UNIT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`properties.unit.statuses.${s}`)}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? t("properties.saving") : unit ? t("properties.save") : t("properties.create")}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel} disabled={pending}>
          {t("properties.cancel")}
        </Button>
      </div>
    </form>
  );
}
