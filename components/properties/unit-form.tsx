"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  MANUAL_UNIT_STATUSES,
  RENT_CURRENCIES,
  moneyInputValue,
  parseMoneyInput,
  unitInputSchema,
  type RentCurrency,
} from "@/lib/schemas/properties";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { clientFieldErrors } from "@/components/account/form-errors";
import { useFormFields } from "@/components/ui/use-form-fields";
import type { UnitRow } from "@/server/services/tenant/property-service";
import { SelectField } from "./fields";

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
  const queryClient = useQueryClient();
  const options = useQuery({ ...trpc.properties.options.queryOptions(), enabled: !unit && !propertyId });
  const { values, set, errors, setErrors, onError } = useFormFields(
    {
      propertyId: unit?.propertyId ?? propertyId ?? "",
      code: unit?.code ?? "",
      floor: unit?.floor === null || unit?.floor === undefined ? "" : String(unit.floor),
      sizeSqm: unit?.sizeSqm === null || unit?.sizeSqm === undefined ? "" : String(unit.sizeSqm),
      rent: unit ? moneyInputValue(unit.baseRent, unit.currency) : "",
      currency: (unit?.currency ?? "USD") as RentCurrency,
      status: unit?.status === "maintenance" ? "maintenance" : "vacant",
    },
    // the form's rent field is the schema's baseRent
    { conflictField: "code", mapServerErrors: (fieldErrors) => ({ ...fieldErrors, rent: fieldErrors.baseRent ?? "" }) },
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
  const create = useMutation(
    trpc.properties.createUnit.mutationOptions({
      onSuccess: (u) => {
        toast.success(t("properties.unit.created_toast", { code: u.code }));
        void invalidate();
        onDone();
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.properties.updateUnit.mutationOptions({
      onSuccess: (u) => {
        toast.success(t("properties.unit.updated_toast", { code: u.code }));
        void invalidate();
        onDone();
      },
      onError,
    }),
  );
  const pending = create.isPending || update.isPending;

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const rent = parseMoneyInput(values.rent, values.currency);
    const floor = values.floor.trim() === "" ? null : Number(values.floor);
    const sizeSqm = values.sizeSqm.trim() === "" ? null : Number(values.sizeSqm.replace(",", "."));
    const parsed = unitInputSchema.safeParse({
      code: values.code,
      floor: Number.isNaN(floor) ? -999 : floor,
      sizeSqm: Number.isNaN(sizeSqm) ? -1 : sizeSqm,
      baseRent: rent ?? -1,
      currency: values.currency,
      status: values.status,
    });
    const next: Record<string, string> = parsed.success ? {} : clientFieldErrors(parsed.error, t);
    if (next.baseRent) next.rent = next.baseRent;
    if (!unit && !values.propertyId) next.propertyId = t("validation.required");
    if (!parsed.success || next.propertyId) return setErrors(next);
    setErrors({});
    if (unit) update.mutate({ ...parsed.data, unitId: unit.id });
    else create.mutate({ ...parsed.data, propertyId: values.propertyId });
  }

  const idp = unit ? `unit-${unit.id}` : "unit-new";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="unit-form">
      {!unit && !propertyId ? (
        <SelectField
          id={`${idp}-property`}
          label={t("properties.unit.property")}
          value={values.propertyId}
          onChange={set("propertyId")}
          error={errors.propertyId}
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
          name="code"
          label={t("properties.unit.code")}
          help={t("properties.unit.codeHelp")}
          value={values.code}
          onChange={set("code")}
          error={errors.code}
          maxLength={40}
          required
        />
        <Field
          id={`${idp}-floor`}
          name="floor"
          inputMode="numeric"
          label={t("properties.unit.floor")}
          value={values.floor}
          onChange={set("floor")}
          error={errors.floor}
        />
        <Field
          id={`${idp}-size`}
          name="sizeSqm"
          inputMode="decimal"
          label={t("properties.unit.size")}
          value={values.sizeSqm}
          onChange={set("sizeSqm")}
          error={errors.sizeSqm}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          id={`${idp}-rent`}
          name="rent"
          inputMode="decimal"
          label={t("properties.unit.rent")}
          help={t("properties.unit.rentHelp")}
          value={values.rent}
          onChange={set("rent")}
          error={errors.rent || undefined}
          required
        />
        <SelectField
          id={`${idp}-currency`}
          name="currency"
          label={t("properties.unit.currency")}
          value={values.currency}
          onChange={set("currency")}
        >
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
          <SelectField
            id={`${idp}-status`}
            name="status"
            label={t("properties.unit.status")}
            value={values.status}
            onChange={set("status")}
          >
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
