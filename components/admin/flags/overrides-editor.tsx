"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { setOverrideSchema } from "@/lib/schemas/flags";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { confirmAction } from "@/components/ui/confirm";
import type { RouterOutputs } from "@/lib/trpc/client";
import { StateBadge } from "./badges";

type FlagOverrideRow = RouterOutputs["admin"]["flags"]["get"]["overrideList"][number];

/** One flag's per-tenant overrides: list them, pin a tenant on or off by its address, clear one. */
export function OverridesEditor({
  flagKey,
  defaultEnabled,
  overrides,
}: {
  flagKey: string;
  defaultEnabled: boolean;
  overrides: FlagOverrideRow[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t, formatDate } = useI18n();
  const form = useZodForm(
    setOverrideSchema,
    { tenant: "", enabled: "on" as "on" | "off" },
    {
      toInput: (v) => ({ key: flagKey, tenant: v.tenant, enabled: v.enabled === "on" }),
      // every problem shows at the tenant field (the key is this flag's, the state a choice of two)
      errorPaths: { key: "tenant", enabled: "tenant" },
    },
  );
  const tenantError = form.formState.errors.tenant?.message;
  const word = (on: boolean) => t(on ? "flags.onWord" : "flags.offWord");

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.admin.flags.pathKey() });
  const set = useFormMutation(null, trpc.admin.flags.setOverride.mutationOptions(), {
    successToast: (r) =>
      t(r.changed ? "flags.overrideSet" : "flags.overrideUnchanged", {
        tenant: r.tenantSlug,
        key: r.key,
        state: word(r.enabled ?? defaultEnabled),
      }),
    onSuccess: () => {
      form.setValue("tenant", "");
      void invalidate();
    },
    // an unknown or malformed workspace address shows at the field
    onError: (message, { appCode }) => {
      if (appCode === "NOT_FOUND" || appCode === "VALIDATION") form.setError("tenant", { type: "server", message });
    },
  });
  const clear = useMutation(
    trpc.admin.flags.clearOverride.mutationOptions({
      onSuccess: (r) => {
        toast.success(t(r.cleared ? "flags.overrideCleared" : "flags.nothingToClear", { tenant: r.tenantSlug }));
        void invalidate();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  const submit = form.handleSubmit((data) => set.mutate(data));

  async function clearOne(o: FlagOverrideRow) {
    const ok = await confirmAction({
      title: t("flags.confirmClearTitle", { tenant: o.tenantSlug }),
      text: t("flags.confirmClearText", { tenant: o.tenantName, state: word(defaultEnabled) }),
      confirmText: t("flags.clearOverride"),
      cancelText: t("common.cancel"),
    });
    if (ok) clear.mutate({ key: flagKey, tenant: o.tenantId });
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">{t("flags.overridesHelp", { state: word(defaultEnabled) })}</p>
      {overrides.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-center text-sm text-slate-500">{t("flags.noOverrides")}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200" data-testid="flag-overrides">
          {overrides.map((o) => (
            <li key={o.tenantId} className="flex flex-wrap items-center justify-between gap-3 p-3" data-testid={`override-${o.tenantSlug}`}>
              <div className="min-w-0">
                <div className="font-medium text-slate-900">{o.tenantName}</div>
                <div className="text-xs text-slate-500">
                  <code>{o.tenantSlug}</code> · {t("flags.updatedAt")} {formatDate(o.updatedAt)}
                </div>
              </div>
              <div className="flex items-center gap-3">
                <StateBadge on={o.enabled} />
                <button
                  type="button"
                  onClick={() => void clearOne(o)}
                  disabled={clear.isPending}
                  aria-label={`${t("flags.clearOverride")} ${o.tenantSlug}`}
                  className="rounded-md px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50"
                >
                  {t("flags.clearOverride")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-start" aria-busy={set.isPending}>
        <Field
          id="override-tenant"
          label={t("flags.tenantRef")}
          {...form.register("tenant", { onChange: () => form.clearErrors("tenant") })}
          error={tenantError}
          help={t("flags.tenantRefHelp")}
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <div className="space-y-1">
          <label htmlFor="override-state" className="block text-sm font-medium text-slate-800">
            {t("flags.state")}
          </label>
          <select
            id="override-state"
            {...form.register("enabled")}
            className="block rounded-lg border border-slate-300 bg-white px-3 py-2 text-base"
          >
            <option value="on">{t("flags.on")}</option>
            <option value="off">{t("flags.off")}</option>
          </select>
        </div>
        <Button type="submit" disabled={set.isPending} className="sm:mt-6">
          {t("flags.setOverride")}
        </Button>
      </form>
    </div>
  );
}
