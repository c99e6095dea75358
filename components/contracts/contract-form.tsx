"use client";
import { useDeferredValue, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { moneyInputValue, parseMoneyInput } from "@/lib/schemas/properties";
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
import { toast } from "@/components/ui/toast";
import { clientFieldErrors } from "@/components/account/form-errors";
import { useFormFields } from "@/components/ui/use-form-fields";
import { SelectField, TextAreaField } from "@/components/properties/fields";
import type { ContractDetail } from "@/server/services/tenant/contract-service";

type Charge = { description: string; amount: string };

function todayLocal(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Phnom_Penh" }).format(new Date());
}

/** Basis points → the percent a person types ("5", "2.5"), and back. */
const percentValue = (bp: number) => String(bp / 100);
function parsePercent(raw: string): number | null {
  const cleaned = raw.replace(/[\s%]/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
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
}: {
  contract?: ContractDetail;
  initialUnitId?: string;
  initialRenterId?: string;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const cur = (contract?.currency ?? "USD") as ContractCurrency;
  const { values, setValues, set, errors, setErrors, onError } = useFormFields({
    propertyId: contract?.propertyId ?? "",
    unitId: contract?.unitId ?? initialUnitId ?? "",
    renterId: contract?.renterId ?? initialRenterId ?? "",
    startDate: contract?.startDate ?? todayLocal(),
    endDate: contract?.endDate ?? "",
    currency: cur,
    rent: contract ? moneyInputValue(contract.rentAmount, cur) : "",
    deposit: contract ? moneyInputValue(contract.depositAmount, cur) : "",
    billingDay: String(contract?.billingDay ?? 1),
    dueDays: String(contract?.dueDays ?? 5),
    electricityRate: contract ? moneyInputValue(contract.electricityRate, cur) : "",
    waterRate: contract ? moneyInputValue(contract.waterRate, cur) : "",
    lateFeeType: (contract?.lateFeeType ?? "none") as LateFeeType,
    lateFeeValue: contract
      ? contract.lateFeeType === "percent"
        ? percentValue(contract.lateFeeValue)
        : contract.lateFeeType === "fixed"
          ? moneyInputValue(contract.lateFeeValue, cur)
          : ""
      : "",
    lateFeeGraceDays: String(contract?.lateFeeGraceDays ?? 0),
    notes: contract?.notes ?? "",
  });
  const [charges, setCharges] = useState<Charge[]>(
    contract?.recurringCharges.map((c) => ({ description: c.description, amount: moneyInputValue(c.amount, cur) })) ?? [],
  );
  const [renterSearch, setRenterSearch] = useState("");
  const deferredRenterSearch = useDeferredValue(renterSearch.trim());

  const properties = useQuery(trpc.properties.options.queryOptions());
  const units = useQuery(trpc.contracts.unitOptions.queryOptions({ includeUnitId: values.unitId || undefined }));
  const renters = useQuery(
    trpc.contracts.renterOptions.queryOptions({ search: deferredRenterSearch || undefined, includeRenterId: values.renterId || undefined }),
  );
  const unitList = (units.data ?? []).filter((u) => !values.propertyId || u.propertyId === values.propertyId);

  function pickUnit(unitId: string) {
    const unit = units.data?.find((u) => u.id === unitId);
    setValues((v) => ({
      ...v,
      unitId,
      ...(unit && !v.rent ? { rent: moneyInputValue(unit.baseRent, unit.currency), currency: unit.currency } : {}),
    }));
  }

  const done = (id: string, message: string) => {
    toast.success(message);
    void queryClient.invalidateQueries({ queryKey: trpc.contracts.pathKey() });
    router.push(`/contracts/${id}`);
    router.refresh();
  };
  const create = useMutation(
    trpc.contracts.create.mutationOptions({ onSuccess: (r) => done(r.id, t("contracts.form.created_toast")), onError }),
  );
  const update = useMutation(
    trpc.contracts.update.mutationOptions({ onSuccess: (r) => done(r.id, t("contracts.form.updated_toast")), onError }),
  );
  const pending = create.isPending || update.isPending;

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const c = values.currency;
    const money = (raw: string, emptyAs: number) => (raw.trim() === "" ? emptyAs : (parseMoneyInput(raw, c) ?? -1));
    const int = (raw: string) => (/^\d+$/.test(raw.trim()) ? Number(raw.trim()) : -1);
    const lateFeeValue =
      values.lateFeeType === "none"
        ? 0
        : values.lateFeeType === "percent"
          ? (parsePercent(values.lateFeeValue) ?? -1)
          : money(values.lateFeeValue, 0);
    const input = {
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
      recurringCharges: charges
        .filter((ch) => ch.description.trim() || ch.amount.trim())
        .map((ch) => ({ description: ch.description, amount: money(ch.amount, -1) })),
      notes: values.notes,
    };
    const parsed = createContractSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(clientFieldErrors(parsed.error, t));
      return;
    }
    setErrors({});
    if (contract) update.mutate({ ...parsed.data, contractId: contract.id });
    else create.mutate(parsed.data);
  }

  const err = (k: string) => errors[k];
  const moneyHelp = values.currency === "KHR" ? "៛" : "$";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-busy={pending} data-testid="contract-form">
      <Card title={t("contracts.form.parties")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField id="contract-property" label={t("contracts.form.property")} value={values.propertyId} onChange={set("propertyId")}>
            <option value="">{t("contracts.allProperties")}</option>
            {(properties.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="contract-unit"
            name="unitId"
            label={t("contracts.form.unit")}
            value={values.unitId}
            onChange={(e) => pickUnit(e.target.value)}
            error={err("unitId")}
            required
          >
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
            name="renterId"
            label={t("contracts.form.renter")}
            value={values.renterId}
            onChange={set("renterId")}
            error={err("renterId")}
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
            name="startDate"
            type="date"
            label={t("contracts.form.startDate")}
            value={values.startDate}
            onChange={set("startDate")}
            error={err("startDate")}
            required
          />
          <Field
            id="contract-end"
            name="endDate"
            type="date"
            label={t("contracts.form.endDate")}
            help={t("contracts.form.endDateHelp")}
            value={values.endDate}
            onChange={set("endDate")}
            error={err("endDate")}
          />
          <SelectField
            id="contract-currency"
            name="currency"
            label={t("contracts.form.currency")}
            value={values.currency}
            onChange={set("currency")}
            error={err("currency")}
          >
            {CONTRACT_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
          <Field
            id="contract-rent"
            name="rent"
            inputMode="decimal"
            label={`${t("contracts.form.rent")} (${moneyHelp})`}
            help={t("contracts.form.rentHelp")}
            value={values.rent}
            onChange={set("rent")}
            error={err("rentAmount")}
            required
          />
          <Field
            id="contract-deposit"
            name="deposit"
            inputMode="decimal"
            label={`${t("contracts.form.deposit")} (${moneyHelp})`}
            value={values.deposit}
            onChange={set("deposit")}
            error={err("depositAmount")}
          />
        </div>
      </Card>

      <Card title={t("contracts.form.billing")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="contract-billing-day"
            name="billingDay"
            inputMode="numeric"
            label={t("contracts.form.billingDay")}
            help={t("contracts.form.billingDayHelp")}
            value={values.billingDay}
            onChange={set("billingDay")}
            error={err("billingDay")}
          />
          <Field
            id="contract-due-days"
            name="dueDays"
            inputMode="numeric"
            label={t("contracts.form.dueDays")}
            help={t("contracts.form.dueDaysHelp")}
            value={values.dueDays}
            onChange={set("dueDays")}
            error={err("dueDays")}
          />
        </div>
      </Card>

      <Card title={t("contracts.form.utilities")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="contract-electricity"
            name="electricityRate"
            inputMode="decimal"
            label={`${t("contracts.form.electricityRate")} (${moneyHelp})`}
            help={t("contracts.form.rateHelp")}
            value={values.electricityRate}
            onChange={set("electricityRate")}
            error={err("electricityRate")}
          />
          <Field
            id="contract-water"
            name="waterRate"
            inputMode="decimal"
            label={`${t("contracts.form.waterRate")} (${moneyHelp})`}
            help={t("contracts.form.rateHelp")}
            value={values.waterRate}
            onChange={set("waterRate")}
            error={err("waterRate")}
          />
        </div>
      </Card>

      <Card title={t("contracts.form.lateFee")}>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            id="contract-late-type"
            name="lateFeeType"
            label={t("contracts.form.lateFeeType")}
            value={values.lateFeeType}
            onChange={set("lateFeeType")}
          >
            {LATE_FEE_TYPES.map((l) => (
              <option key={l} value={l}>
                {t(`contracts.form.lateFeeTypes.${l}`)}
              </option>
            ))}
          </SelectField>
          {values.lateFeeType !== "none" ? (
            <>
              <Field
                id="contract-late-value"
                name="lateFeeValue"
                inputMode="decimal"
                label={
                  values.lateFeeType === "percent"
                    ? t("contracts.form.lateFeePercent")
                    : `${t("contracts.form.lateFeeAmount")} (${moneyHelp})`
                }
                value={values.lateFeeValue}
                onChange={set("lateFeeValue")}
                error={err("lateFeeValue")}
              />
              <Field
                id="contract-late-grace"
                name="lateFeeGraceDays"
                inputMode="numeric"
                label={t("contracts.form.lateFeeGrace")}
                help={t("contracts.form.lateFeeGraceHelp")}
                value={values.lateFeeGraceDays}
                onChange={set("lateFeeGraceDays")}
                error={err("lateFeeGraceDays")}
              />
            </>
          ) : null}
        </div>
      </Card>

      <Card title={t("contracts.form.charges")}>
        <div className="space-y-3">
          {charges.length === 0 ? <p className="text-sm text-slate-600">{t("contracts.form.noCharges")}</p> : null}
          {charges.map((ch, i) => (
            <div key={i} className="grid items-end gap-2 sm:grid-cols-[1fr_10rem_auto]">
              <Field
                id={`contract-charge-${i}-description`}
                label={t("contracts.form.chargeDescription")}
                value={ch.description}
                onChange={(e) => setCharges((list) => list.map((c, j) => (j === i ? { ...c, description: e.target.value } : c)))}
                error={err(`recurringCharges.${i}.description`)}
              />
              <Field
                id={`contract-charge-${i}-amount`}
                inputMode="decimal"
                label={`${t("contracts.form.chargeAmount")} (${moneyHelp})`}
                value={ch.amount}
                onChange={(e) => setCharges((list) => list.map((c, j) => (j === i ? { ...c, amount: e.target.value } : c)))}
                error={err(`recurringCharges.${i}.amount`)}
              />
              <Button type="button" variant="ghost" onClick={() => setCharges((list) => list.filter((_, j) => j !== i))}>
                {t("contracts.form.removeCharge")}
              </Button>
            </div>
          ))}
          {err("recurringCharges") ? <p className="text-sm text-red-700">{err("recurringCharges")}</p> : null}
          {charges.length < 10 ? (
            <Button type="button" variant="secondary" onClick={() => setCharges((list) => [...list, { description: "", amount: "" }])}>
              {t("contracts.form.addCharge")}
            </Button>
          ) : null}
        </div>
      </Card>

      <Card>
        <TextAreaField
          id="contract-notes"
          name="notes"
          label={t("contracts.form.notes")}
          value={values.notes}
          onChange={set("notes")}
          error={err("notes")}
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
