"use client";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PLAN_FEATURES, PLAN_LIMITS, type PlanFeature, type PlanLimit } from "@/lib/billing/plans";
import { updatePlanSchema } from "@/lib/schemas/billing";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";
import { Badge } from "./badges";
import { useBillingFormat } from "./format";
import { minorToDecimal, parseMoney } from "@/lib/money";

/** The largest price the editor takes (minor units): $99,999,999.99 or ៛9,999,999,999. */
const PRICE_MAX = 9_999_999_999;

type AdminPlanRow = RouterOutputs["adminBilling"]["plans"][number];

const PRICES = [
  { name: "priceMonthlyUsd", currency: "USD" },
  { name: "priceYearlyUsd", currency: "USD" },
  { name: "priceMonthlyKhr", currency: "KHR" },
  { name: "priceYearlyKhr", currency: "KHR" },
] as const;
type PriceName = (typeof PRICES)[number]["name"];

interface Values {
  name: string;
  prices: Record<PriceName, string>;
  trialDays: string;
  graceDays: string;
  isPublic: boolean;
  features: PlanFeature[];
  limits: Record<PlanLimit, string>;
  unlimited: Record<PlanLimit, boolean>;
}
/** error per field; limits as `limits.<key>` (the server's field paths) */
type Errors = Record<string, string | undefined>;

function valuesOf(p: AdminPlanRow): Values {
  return {
    name: p.name,
    prices: Object.fromEntries(PRICES.map(({ name, currency }) => [name, minorToDecimal(p[name], currency)])) as Record<PriceName, string>,
    trialDays: String(p.trialDays),
    graceDays: String(p.graceDays),
    isPublic: p.isPublic,
    features: [...p.features],
    limits: Object.fromEntries(PLAN_LIMITS.map((k) => [k, p.limits[k] === null ? "" : String(p.limits[k])])) as Record<PlanLimit, string>,
    unlimited: Object.fromEntries(PLAN_LIMITS.map((k) => [k, p.limits[k] === null])) as Record<PlanLimit, boolean>,
  };
}

const wholeNumber = (text: string): number | null => (/^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null);

/** The serverʼs inline errors (zod issues, translated), when the call failed validation. */
function serverFieldErrors(e: unknown): Record<string, string> | null {
  return (e as { data?: { fieldErrors?: Record<string, string> | null } } | null)?.data?.fieldErrors ?? null;
}

/** Every plan, each with its own edit form. */
export function PlansEditor() {
  const trpc = useTRPC();
  const { t } = useI18n();
  const plans = useQuery(trpc.adminBilling.plans.queryOptions());
  if (plans.isError) {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        {errorMessage(plans.error, t("adminBilling.common.loadError"))}{" "}
        <button type="button" className="underline" onClick={() => void plans.refetch()}>
          {t("adminBilling.common.retry")}
        </button>
      </div>
    );
  }
  if (!plans.data) return <p className="text-sm text-slate-500">{t("adminBilling.common.loading")}</p>;
  if (plans.data.length === 0) return <p className="text-sm text-slate-500">{t("adminBilling.plans.empty")}</p>;
  return (
    <div className="space-y-4">
      {plans.data.map((p) => (
        // a new key after each save resets the form to what the server stored
        <PlanForm key={`${p.id}-${new Date(p.updatedAt).getTime()}`} plan={p} />
      ))}
    </div>
  );
}

function PlanForm({ plan }: { plan: AdminPlanRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const fmt = useBillingFormat();
  const [values, setValues] = useState<Values>(() => valuesOf(plan));
  const [errors, setErrors] = useState<Errors>({});
  const update = useMutation(
    trpc.adminBilling.updatePlan.mutationOptions({
      onSuccess: (saved) => {
        toast.success(t("adminBilling.plans.saved", { name: saved.name }));
        void queryClient.invalidateQueries({ queryKey: trpc.adminBilling.plans.queryKey() });
      },
      onError: (e) => {
        const fieldErrors = serverFieldErrors(e);
        if (fieldErrors) setErrors(fieldErrors);
        toast.error(errorMessage(e, t("errors.errorBody")));
      },
    }),
  );

  const clear = (key: string) => setErrors((e) => ({ ...e, [key]: undefined }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const next: Errors = {};
    const prices = {} as Record<PriceName, number>;
    for (const { name, currency } of PRICES) {
      const minor = parseMoney(values.prices[name], currency, { max: PRICE_MAX });
      if (minor === null) next[name] = t(currency === "USD" ? "adminBilling.errors.priceUsd" : "adminBilling.errors.priceKhr");
      else prices[name] = minor;
    }
    const trialDays = wholeNumber(values.trialDays);
    const graceDays = wholeNumber(values.graceDays);
    if (trialDays === null) next.trialDays = t("adminBilling.errors.days");
    if (graceDays === null) next.graceDays = t("adminBilling.errors.days");
    const limits = {} as Record<PlanLimit, number | null>;
    for (const k of PLAN_LIMITS) {
      const n = values.unlimited[k] ? null : wholeNumber(values.limits[k]);
      if (!values.unlimited[k] && n === null) next[`limits.${k}`] = t("adminBilling.errors.limit");
      limits[k] = n;
    }
    const parsed = updatePlanSchema.safeParse({
      planId: plan.id,
      name: values.name,
      ...prices,
      trialDays,
      graceDays,
      isPublic: values.isPublic,
      features: values.features,
      limits,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".");
        next[key] ??= t(issue.message as MessageKey);
      }
    }
    if (Object.keys(next).length > 0 || !parsed.success) {
      setErrors(next);
      return;
    }
    setErrors({});
    update.mutate(parsed.data);
  }

  const id = (name: string) => `plan-${plan.code}-${name}`;
  const pending = update.isPending;
  return (
    <Card>
      <form onSubmit={submit} noValidate aria-busy={pending} data-testid={`plan-${plan.code}`} className="space-y-4">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div>
            <h2 className="text-lg font-semibold text-slate-900">{plan.name}</h2>
            <p className="text-xs text-slate-500">
              {t("adminBilling.plans.code", { code: plan.code, tier: plan.tier })}
              {" · "}
              {t("adminBilling.plans.subscriptions", { count: plan.subscriptions })}
            </p>
          </div>
          <div className="flex flex-wrap gap-1">
            <Badge tone={plan.isPublic ? "green" : "slate"}>
              {t(plan.isPublic ? "adminBilling.plans.public" : "adminBilling.plans.hidden")}
            </Badge>
            <Badge tone="blue">{fmt.money(plan.priceMonthlyUsd, "USD")}</Badge>
            <Badge tone="blue">{fmt.money(plan.priceMonthlyKhr, "KHR")}</Badge>
          </div>
        </div>
        <Field
          id={id("name")}
          label={t("adminBilling.plans.name")}
          value={values.name}
          onChange={(e) => {
            setValues((v) => ({ ...v, name: e.target.value }));
            clear("name");
          }}
          error={errors.name}
          maxLength={60}
          required
        />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {PRICES.map(({ name, currency }) => (
            <Field
              key={name}
              id={id(name)}
              label={t(`adminBilling.plans.${name}`)}
              value={values.prices[name]}
              inputMode={currency === "USD" ? "decimal" : "numeric"}
              onChange={(e) => {
                const text = e.target.value;
                setValues((v) => ({ ...v, prices: { ...v.prices, [name]: text } }));
                clear(name);
              }}
              error={errors[name]}
              help={t(currency === "USD" ? "adminBilling.plans.usdHelp" : "adminBilling.plans.khrHelp")}
              required
            />
          ))}
        </div>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field
            id={id("trialDays")}
            label={t("adminBilling.plans.trialDays")}
            value={values.trialDays}
            inputMode="numeric"
            onChange={(e) => {
              setValues((v) => ({ ...v, trialDays: e.target.value }));
              clear("trialDays");
            }}
            error={errors.trialDays}
            required
          />
          <Field
            id={id("graceDays")}
            label={t("adminBilling.plans.graceDays")}
            value={values.graceDays}
            inputMode="numeric"
            onChange={(e) => {
              setValues((v) => ({ ...v, graceDays: e.target.value }));
              clear("graceDays");
            }}
            error={errors.graceDays}
            required
          />
          <label className="flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-800 sm:col-span-2">
            <input
              type="checkbox"
              checked={values.isPublic}
              onChange={(e) => setValues((v) => ({ ...v, isPublic: e.target.checked }))}
              className="h-4 w-4 rounded border-slate-300"
            />
            {t("adminBilling.plans.isPublic")}
          </label>
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t("adminBilling.plans.features")}</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {PLAN_FEATURES.map((f) => (
              <label key={f} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  checked={values.features.includes(f)}
                  onChange={(e) =>
                    setValues((v) => ({ ...v, features: e.target.checked ? [...v.features, f] : v.features.filter((x) => x !== f) }))
                  }
                  className="h-4 w-4 rounded border-slate-300"
                />
                {t(`adminBilling.feature.${f}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t("adminBilling.plans.limits")}</legend>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {PLAN_LIMITS.map((k) => (
              <div key={k} className="space-y-1">
                <Field
                  id={id(`limit-${k}`)}
                  label={t(`adminBilling.limit.${k}`)}
                  value={values.unlimited[k] ? "" : values.limits[k]}
                  inputMode="numeric"
                  disabled={values.unlimited[k]}
                  onChange={(e) => {
                    const text = e.target.value;
                    setValues((v) => ({ ...v, limits: { ...v.limits, [k]: text } }));
                    clear(`limits.${k}`);
                  }}
                  error={errors[`limits.${k}`]}
                />
                <label className="flex items-center gap-2 text-xs text-slate-700">
                  <input
                    type="checkbox"
                    checked={values.unlimited[k]}
                    onChange={(e) => {
                      const on = e.target.checked;
                      setValues((v) => ({ ...v, unlimited: { ...v.unlimited, [k]: on } }));
                      clear(`limits.${k}`);
                    }}
                    className="h-4 w-4 rounded border-slate-300"
                  />
                  {t("adminBilling.plans.unlimited")}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <Button type="submit" disabled={pending}>
          {pending ? t("adminBilling.plans.saving") : t("adminBilling.plans.save")}
        </Button>
      </form>
    </Card>
  );
}
