"use client";
import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { setOverrideSchema } from "@/lib/schemas/flags";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
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
  const [tenant, setTenant] = useState("");
  const [enabled, setEnabled] = useState<"on" | "off">("on");
  const [tenantError, setTenantError] = useState<string | undefined>();
  const word = (on: boolean) => t(on ? "flags.onWord" : "flags.offWord");

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.admin.flags.pathKey() });
  const set = useMutation(
    trpc.admin.flags.setOverride.mutationOptions({
      onSuccess: (r) => {
        const state = word(r.enabled ?? defaultEnabled);
        toast.success(t(r.changed ? "flags.overrideSet" : "flags.overrideUnchanged", { tenant: r.tenantSlug, key: r.key, state }));
        setTenant("");
        void invalidate();
      },
      onError: (e) => {
        const message = errorMessage(e, t("errors.errorBody"));
        const code = (e as { data?: { appCode?: string | null } }).data?.appCode;
        if (code === "NOT_FOUND" || code === "VALIDATION") setTenantError(message);
        toast.error(message);
      },
    }),
  );
  const clear = useMutation(
    trpc.admin.flags.clearOverride.mutationOptions({
      onSuccess: (r) => {
        toast.success(t(r.cleared ? "flags.overrideCleared" : "flags.nothingToClear", { tenant: r.tenantSlug }));
        void invalidate();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = setOverrideSchema.safeParse({ key: flagKey, tenant, enabled: enabled === "on" });
    if (!parsed.success) {
      const issue = parsed.error.issues.find((i) => i.path[0] === "tenant") ?? parsed.error.issues[0];
      setTenantError(issue ? t(issue.message as MessageKey) : t("errors.validation"));
      return;
    }
    setTenantError(undefined);
    set.mutate(parsed.data);
  }

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
          value={tenant}
          onChange={(e) => {
            setTenant(e.target.value);
            setTenantError(undefined);
          }}
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
            value={enabled}
            onChange={(e) => setEnabled(e.target.value === "off" ? "off" : "on")}
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
