"use client";
import { useDeferredValue, useState } from "react";
import { useFieldArray } from "react-hook-form";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { minorToDecimal, parseMoney } from "@/lib/money";
import { todayIn } from "@/lib/dates";
import {
  CONTRACT_CURRENCIES,
  LATE_FEE_TYPES,
  createContractSchema,
  type ContractCurrency,
  type LateFeeType,
} from "@/lib/schemas/contracts";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { SelectField, TextAreaField } from "@/components/properties/fields";
import type { RouterOutputs } from "@/lib/trpc/client";

type ContractDetail = RouterOutputs["contracts"]["get"];

type Charge = { description: string; amount: string };

/** Basis points → the percent a person types ("5", "2.5"), and back. */
const percentValue = (bp: number) => String(bp / 100);
function parsePercent(raw: string): number | null {
  const cleaned = raw.replace(/[\s%]/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

interface ContractFormValues {
  propertyId: string;
  unitId: string;
  renterId: string;
  startDate: string;
  endDate: string;
  currency: ContractCurrency;
  rent: string;
  deposit: string;
  billingDay: string;
  dueDays: string;
  electricityRate: string;
  waterRate: string;
  lateFeeType: LateFeeType;
  lateFeeValue: string;
  lateFeeGraceDays: string;
  notes: string;
  charges: Charge[];
}

/** The schema's paths → the fields that show their errors (the form holds major units as typed). */
const CONTRACT_ERROR_PATHS: Record<string, string> = { rentAmount: "rent", depositAmount: "deposit" };
for (let i = 0; i < 10; i++) {
  CONTRACT_ERROR_PATHS[`recurringCharges.${i}.description`] = `charges.${i}.description`;
  CONTRACT_ERROR_PATHS[`recurringCharges.${i}.amount`] = `charges.${i}.amount`;
}
CONTRACT_ERROR_PATHS.recurringCharges = "charges";

/** What the form holds → the schema's input: money in minor units, blank optional amounts as 0. */
function contractInput(values: ContractFormValues) {
  const c = values.currency;
  const money = (raw: string, emptyAs: number) => (raw.trim() === "" ? emptyAs : (parseMoney(raw, c) ?? -1));
  const int = (raw: string) => (/^\d+$/.test(raw.trim()) ? Number(raw.trim()) : -1);
  const lateFeeValue =
    values.lateFeeType === "none"
      ? 0
      : values.lateFeeType === "percent"
        ? (parsePercent(values.lateFeeValue) ?? -1)
        : money(values.lateFeeValue, 0);
  return {
    unitId: values.unitId,
    renterId: values.renterId,
    startDate: values.startDate,
    endDate: values.endDate || null,
    rentAmount: money(values.rent, -1),
    currency: c,
    depositAmount: money(values.deposit, 0),
    billingDay: int(values.billingDay),
    dueDays: int(values.dueDays),
    lateFeeType: values.lateFeeType,
    lateFeeValue,
    lateFeeGraceDays: int(values.lateFeeGraceDays),
    electricityRate: money(values.electricityRate, 0),
    waterRate: money(values.waterRate, 0),
    recurringCharges: values.charges
      .filter((ch) => ch.description.trim() || ch.amount.trim())
      .map((ch) => ({ description: ch.description, amount: money(ch.amount, -1) })),
    notes: values.notes,
  };
}

/**
 * The draft contract form: pick the unit (filtered by property) and the renter, then the terms.
 * People type money in major units ("150.50", "600000"); it is sent in minor units. Validated
 * with the server's own schema, errors inline next to each field.
 */
export function ContractForm({
  contract,
  initialUnitId,
  initialRenterId,
  timeZone,
}: {
  contract?: ContractDetail;
  initialUnitId?: string;
  initialRenterId?: string;
  /** the workspace's time zone: a new contract starts today there, not on the device's clock */
  timeZone: string;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const cur = (contract?.currency ?? "USD") as ContractCurrency;
  const defaults: ContractFormValues = {
    propertyId: contract?.propertyId ?? "",
    unitId: contract?.unitId ?? initialUnitId ?? "",
    renterId: contract?.renterId ?? initialRenterId ?? "",
    startDate: contract?.startDate ?? todayIn(timeZone),
    endDate: contract?.endDate ?? "",
    currency: cur,
    rent: contract ? minorToDecimal(contract.rentAmount, cur) : "",
    deposit: contract ? minorToDecimal(contract.depositAmount, cur) : "",
    billingDay: String(contract?.billingDay ?? 1),
    dueDays: String(contract?.dueDays ?? 5),
    electricityRate: contract ? minorToDecimal(contract.electricityRate, cur) : "",
    waterRate: contract ? minorToDecimal(contract.waterRate, cur) : "",
    lateFeeType: (contract?.lateFeeType ?? "none") as LateFeeType,
    lateFeeValue: contract
      ? contract.lateFeeType === "percent"
        ? percentValue(contract.lateFeeValue)
        : contract.lateFeeType === "fixed"
          ? minorToDecimal(contract.lateFeeValue, cur)
          : ""
      : "",
    lateFeeGraceDays: String(contract?.lateFeeGraceDays ?? 0),
    notes: contract?.notes ?? "",
    charges: contract?.recurringCharges.map((c) => ({ description: c.description, amount: minorToDecimal(c.amount, cur) })) ?? [],
  };
  const form = useZodForm(createContractSchema, defaults, { toInput: contractInput, errorPaths: CONTRACT_ERROR_PATHS });
  const { errors } = form.formState;
  const charges = useFieldArray({ control: form.control, name: "charges" });
  const [propertyId, unitId, renterId, currency, lateFeeType] = form.watch(["propertyId", "unitId", "renterId", "currency", "lateFeeType"]);
  const [renterSearch, setRenterSearch] = useState("");
  const deferredRenterSearch = useDeferredValue(renterSearch.trim());

  const properties = useQuery(trpc.properties.options.queryOptions());
  const units = useQuery(trpc.contracts.unitOptions.queryOptions({ includeUnitId: unitId || undefined }));
  const renters = useQuery(
    trpc.contracts.renterOptions.queryOptions({ search: deferredRenterSearch || undefined, includeRenterId: renterId || undefined }),
  );
  const unitList = (units.data ?? []).filter((u) => !propertyId || u.propertyId === propertyId);

  // picking a unit fills an empty rent with the unit's, in its currency
  const unitField = form.register("unitId", {
    onChange: (e: { target: { value: string } }) => {
      const unit = units.data?.find((u) => u.id === e.target.value);
      if (unit && !form.getValues("rent")) {
        form.setValue("rent", minorToDecimal(unit.baseRent, unit.currency));
        form.setValue("currency", unit.currency);
      }
    },
  });

  const behaviour = {
    invalidate: [trpc.contracts.pathKey()],
    errorPaths: CONTRACT_ERROR_PATHS,
    onSuccess: (r: { id: string }) => {
      router.push(`/contracts/${r.id}`);
      router.refresh();
    },
  };
  const create = useFormMutation(form, trpc.contracts.create.mutationOptions(), {
    ...behaviour,
    successToast: () => t("contracts.form.created_toast"),
  });
  const update = useFormMutation(form, trpc.contracts.update.mutationOptions(), {
    ...behaviour,
    successToast: () => t("contracts.form.updated_toast"),
  });
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit((data) => {
    if (contract) update.mutate({ ...data, contractId: contract.id });
    else create.mutate(data);
  });

  const moneyHelp = currency === "KHR" ? "៛" : "$";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="contract-form">
      <Card title={t("contracts.form.parties")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField id="contract-property" label={t("contracts.form.property")} {...form.register("propertyId")}>
            <option value="">{t("contracts.allProperties")}</option>
            {(properties.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <SelectField id="contract-unit" label={t("contracts.form.unit")} {...unitField} error={errors.unitId?.message} required>
            <option value="">{t("contracts.form.chooseUnit")}</option>
            {unitList.map((u) => (
              <option key={u.id} value={u.id}>
                {t("contracts.form.unitOption", {
                  property: u.propertyName,
                  code: u.taken && u.id !== contract?.unitId ? t("contracts.form.unitTaken", { code: u.code }) : u.code,
                })}
              </option>
            ))}
          </SelectField>
          <Field
            id="contract-renter-search"
            type="search"
            label={t("contracts.form.renterSearch")}
            value={renterSearch}
            onChange={(e) => setRenterSearch(e.target.value)}
            autoComplete="off"
          />
          <SelectField
            id="contract-renter"
            label={t("contracts.form.renter")}
            {...form.register("renterId")}
            error={errors.renterId?.message}
            help={renters.data && renters.data.length === 0 ? t("contracts.form.noRenters") : undefined}
            required
          >
            <option value="">{t("contracts.form.chooseRenter")}</option>
            {(renters.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {[r.nameLatin, r.nameKm, r.phone].filter(Boolean).join(" · ")}
              </option>
            ))}
          </SelectField>
        </div>
      </Card>

      <Card title={t("contracts.form.terms")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="contract-start"
            type="date"
            label={t("contracts.form.startDate")}
            {...form.register("startDate")}
            error={errors.startDate?.message}
            required
          />
          <Field
            id="contract-end"
            type="date"
            label={t("contracts.form.endDate")}
            help={t("contracts.form.endDateHelp")}
            {...form.register("endDate")}
            error={errors.endDate?.message}
          />
          <SelectField
            id="contract-currency"
            label={t("contracts.form.currency")}
            {...form.register("currency")}
            error={errors.currency?.message}
          >
            {CONTRACT_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
          <Field
            id="contract-rent"
            inputMode="decimal"
            label={`${t("contracts.form.rent")} (${moneyHelp})`}
            help={t("contracts.form.rentHelp")}
            {...form.register("rent")}
            error={errors.rent?.message}
            required
          />
          <Field
            id="contract-deposit"
            inputMode="decimal"
            label={`${t("contracts.form.deposit")} (${moneyHelp})`}
            {...form.register("deposit")}
            error={errors.deposit?.message}
          />
        </div>
      </Card>

      <Card title={t("contracts.form.billing")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="contract-billing-day"
            inputMode="numeric"
            label={t("contracts.form.billingDay")}
            help={t("contracts.form.billingDayHelp")}
            {...form.register("billingDay")}
            error={errors.billingDay?.message}
          />
          <Field
            id="contract-due-days"
            inputMode="numeric"
            label={t("contracts.form.dueDays")}
            help={t("contracts.form.dueDaysHelp")}
            {...form.register("dueDays")}
            error={errors.dueDays?.message}
          />
        </div>
      </Card>

      <Card title={t("contracts.form.utilities")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="contract-electricity"
            inputMode="decimal"
            label={`${t("contracts.form.electricityRate")} (${moneyHelp})`}
            help={t("contracts.form.rateHelp")}
            {...form.register("electricityRate")}
            error={errors.electricityRate?.message}
          />
          <Field
            id="contract-water"
            inputMode="decimal"
            label={`${t("contracts.form.waterRate")} (${moneyHelp})`}
            help={t("contracts.form.rateHelp")}
            {...form.register("waterRate")}
            error={errors.waterRate?.message}
          />
        </div>
      </Card>

      <Card title={t("contracts.form.lateFee")}>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField id="contract-late-type" label={t("contracts.form.lateFeeType")} {...form.register("lateFeeType")}>
            {LATE_FEE_TYPES.map((l) => (
              <option key={l} value={l}>
                {t(`contracts.form.lateFeeTypes.${l}`)}
              </option>
            ))}
          </SelectField>
          {lateFeeType !== "none" ? (
            <>
              <Field
                id="contract-late-value"
                inputMode="decimal"
                label={
                  lateFeeType === "percent" ? t("contracts.form.lateFeePercent") : `${t("contracts.form.lateFeeAmount")} (${moneyHelp})`
                }
                {...form.register("lateFeeValue")}
                error={errors.lateFeeValue?.message}
              />
              <Field
                id="contract-late-grace"
                inputMode="numeric"
                label={t("contracts.form.lateFeeGrace")}
                help={t("contracts.form.lateFeeGraceHelp")}
                {...form.register("lateFeeGraceDays")}
                error={errors.lateFeeGraceDays?.message}
              />
            </>
          ) : null}
        </div>
      </Card>

      <Card title={t("contracts.form.charges")}>
        <div className="space-y-3">
          {charges.fields.length === 0 ? <p className="text-sm text-slate-600">{t("contracts.form.noCharges")}</p> : null}
          {charges.fields.map((ch, i) => (
            <div key={ch.id} className="grid items-end gap-2 sm:grid-cols-[1fr_10rem_auto]">
              <Field
                id={`contract-charge-${i}-description`}
                label={t("contracts.form.chargeDescription")}
                {...form.register(`charges.${i}.description`)}
                error={errors.charges?.[i]?.description?.message}
              />
              <Field
                id={`contract-charge-${i}-amount`}
                inputMode="decimal"
                label={`${t("contracts.form.chargeAmount")} (${moneyHelp})`}
                {...form.register(`charges.${i}.amount`)}
                error={errors.charges?.[i]?.amount?.message}
              />
              <Button type="button" variant="ghost" onClick={() => charges.remove(i)}>
                {t("contracts.form.removeCharge")}
              </Button>
            </div>
          ))}
          {errors.charges?.message ? <p className="text-sm text-red-700">{errors.charges.message}</p> : null}
          {charges.fields.length < 10 ? (
            <Button type="button" variant="secondary" onClick={() => charges.append({ description: "", amount: "" })}>
              {t("contracts.form.addCharge")}
            </Button>
          ) : null}
        </div>
      </Card>

      <Card>
        <TextAreaField
          id="contract-notes"
          label={t("contracts.form.notes")}
          {...form.register("notes")}
          error={errors.notes?.message}
          maxLength={2000}
        />
      </Card>

      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending} data-testid="contract-save">
          {pending ? t("contracts.form.saving") : t("contracts.form.save")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.push(contract ? `/contracts/${contract.id}` : "/contracts")}>
          {t("contracts.form.cancel")}
        </Button>
      </div>
    </form>
  );
}
