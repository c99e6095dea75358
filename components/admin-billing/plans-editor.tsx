"use client";
import { useQuery } from "@tanstack/react-query";
import { Controller } from "react-hook-form";
import { PLAN_FEATURES, PLAN_LIMITS, type PlanFeature, type PlanLimit } from "@/lib/billing/plans";
import { updatePlanSchema } from "@/lib/schemas/billing";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
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
/** The schema's (and server's) price paths → the form's fields under `prices`. */
const PRICE_PATHS: Record<string, string> = Object.fromEntries(PRICES.map(({ name }) => [name, `prices.${name}`]));

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

/** What the form holds → the schema's input: a price or number that does not read becomes one the schema refuses. */
function toInput(planId: string, values: Values) {
  return {
    planId,
    name: values.name,
    ...(Object.fromEntries(
      PRICES.map(({ name, currency }) => [name, parseMoney(values.prices[name], currency, { max: PRICE_MAX }) ?? -1]),
    ) as Record<PriceName, number>),
    // null fails the schema's number check with the same message ("whole number of days")
    trialDays: wholeNumber(values.trialDays),
    graceDays: wholeNumber(values.graceDays),
    isPublic: values.isPublic,
    features: values.features,
    // unlimited is null; a limit that does not read is -1, refused with the limit message
    limits: Object.fromEntries(PLAN_LIMITS.map((k) => [k, values.unlimited[k] ? null : (wholeNumber(values.limits[k]) ?? -1)])) as Record<
      PlanLimit,
      number | null
    >,
  };
}

/** A price that does not read gets its currency's message (whole riel, cents), not the schema's. */
function priceChecks(values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, currency } of PRICES) {
    if (parseMoney(values.prices[name], currency, { max: PRICE_MAX }) === null) {
      out[`prices.${name}`] = currency === "USD" ? "adminBilling.errors.priceUsd" : "adminBilling.errors.priceKhr";
    }
  }
  return out;
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
  const { t } = useI18n();
  const fmt = useBillingFormat();
  const form = useZodForm(updatePlanSchema, valuesOf(plan), {
    toInput: (values) => toInput(plan.id, values),
    errorPaths: PRICE_PATHS,
    check: priceChecks,
  });
  const { errors } = form.formState;
  const unlimited = form.watch("unlimited");
  const update = useFormMutation(form, trpc.adminBilling.updatePlan.mutationOptions(), {
    errorPaths: PRICE_PATHS,
    successToast: (saved) => t("adminBilling.plans.saved", { name: saved.name }),
    invalidate: [trpc.adminBilling.plans.queryKey()],
  });

  /** A field's error goes as soon as it changes, as it did before the form moved to react-hook-form. */
  const field = (name: "name" | "trialDays" | "graceDays" | `prices.${PriceName}`) =>
    form.register(name, { onChange: () => form.clearErrors(name) });
  const submit = form.handleSubmit((data) => update.mutate(data));

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
          {...field("name")}
          error={errors.name?.message}
          maxLength={60}
          required
        />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {PRICES.map(({ name, currency }) => (
            <Field
              key={name}
              id={id(name)}
              label={t(`adminBilling.plans.${name}`)}
              {...field(`prices.${name}`)}
              inputMode={currency === "USD" ? "decimal" : "numeric"}
              error={errors.prices?.[name]?.message}
              help={t(currency === "USD" ? "adminBilling.plans.usdHelp" : "adminBilling.plans.khrHelp")}
              required
            />
          ))}
        </div>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field
            id={id("trialDays")}
            label={t("adminBilling.plans.trialDays")}
            {...field("trialDays")}
            inputMode="numeric"
            error={errors.trialDays?.message}
            required
          />
          <Field
            id={id("graceDays")}
            label={t("adminBilling.plans.graceDays")}
            {...field("graceDays")}
            inputMode="numeric"
            error={errors.graceDays?.message}
            required
          />
          <label className="flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-800 sm:col-span-2">
            <input type="checkbox" {...form.register("isPublic")} className="h-4 w-4 rounded border-slate-300" />
            {t("adminBilling.plans.isPublic")}
          </label>
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t("adminBilling.plans.features")}</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            <Controller
              control={form.control}
              name="features"
              render={({ field: features }) => (
                <>
                  {PLAN_FEATURES.map((f) => (
                    <label key={f} className="flex items-center gap-2 text-sm text-slate-800">
                      <input
                        type="checkbox"
                        checked={features.value.includes(f)}
                        onChange={(e) =>
                          features.onChange(e.target.checked ? [...features.value, f] : features.value.filter((x) => x !== f))
                        }
                        className="h-4 w-4 rounded border-slate-300"
                      />
                      {t(`adminBilling.feature.${f}`)}
                    </label>
                  ))}
                </>
              )}
            />
          </div>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t("adminBilling.plans.limits")}</legend>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {PLAN_LIMITS.map((k) => (
              <div key={k} className="space-y-1">
                {/* controlled: blank and disabled while unlimited is ticked, the typed limit kept for when it is unticked */}
                <Controller
                  control={form.control}
                  name={`limits.${k}`}
                  render={({ field: limit }) => (
                    <Field
                      id={id(`limit-${k}`)}
                      label={t(`adminBilling.limit.${k}`)}
                      name={limit.name}
                      ref={limit.ref}
                      value={unlimited[k] ? "" : limit.value}
                      inputMode="numeric"
                      disabled={unlimited[k]}
                      onChange={(e) => {
                        limit.onChange(e.target.value);
                        form.clearErrors(`limits.${k}`);
                      }}
                      onBlur={limit.onBlur}
                      error={errors.limits?.[k]?.message}
                    />
                  )}
                />
                <label className="flex items-center gap-2 text-xs text-slate-700">
                  <input
                    type="checkbox"
                    {...form.register(`unlimited.${k}`, { onChange: () => form.clearErrors(`limits.${k}`) })}
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
