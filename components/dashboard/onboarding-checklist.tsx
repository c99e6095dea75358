"use client";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { useCan } from "@/components/layout/permissions";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import type { OnboardingChecklist as Checklist } from "@/lib/onboarding";

/**
 * The first-run checklist on the dashboard: the set-up steps in order, each linking to its page
 * and ticked off from the workspace's own rows. Hidden once every step is done, or when the owner
 * hides it. Server-rendered data comes in as `initial`; the query refreshes it on focus.
 */
export function OnboardingChecklist({ initial }: { initial: Checklist }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const can = useCan();
  const queryClient = useQueryClient();
  const { data } = useQuery(trpc.dashboard.checklist.queryOptions(undefined, { initialData: initial }));
  const dismiss = useMutation(
    trpc.dashboard.dismissChecklist.mutationOptions({
      onSuccess: () => {
        queryClient.setQueryData(trpc.dashboard.checklist.queryKey(), (old) => (old ? { ...old, dismissed: true } : old));
        toast.success(t("onboarding.dismissed"));
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.network"))),
    }),
  );
  if (data.dismissed || data.allDone) return null;

  const doneCount = data.steps.filter((s) => s.done).length;
  const next = data.steps.find((s) => !s.done)?.key;
  const onDismiss = async () => {
    const ok = await confirmAction({
      title: t("onboarding.dismissTitle"),
      text: t("onboarding.dismissBody"),
      confirmText: t("onboarding.dismiss"),
      cancelText: t("onboarding.keep"),
    });
    if (ok) dismiss.mutate();
  };

  return (
    <section
      className="rounded-xl border border-teal-200 bg-white p-4 shadow-sm"
      data-testid="onboarding-checklist"
      aria-labelledby="onboarding-title"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="onboarding-title" className="text-lg font-semibold text-slate-900">
            {t("onboarding.title")}
          </h2>
          <p className="text-sm text-slate-600" data-testid="onboarding-progress">
            {t("onboarding.progress", { done: doneCount, total: data.steps.length })}
          </p>
        </div>
        {can("workspace.settings") ? (
          <button
            type="button"
            onClick={() => void onDismiss()}
            disabled={dismiss.isPending}
            className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-teal-700 disabled:opacity-50"
            data-testid="onboarding-dismiss"
          >
            {t("onboarding.dismiss")}
          </button>
        ) : null}
      </div>
      <ol className="mt-3 space-y-2">
        {data.steps.map((step, i) => (
          <li key={step.key} data-testid={`onboarding-step-${step.key}`} data-done={step.done ? "true" : "false"}>
            <Link
              href={step.href}
              className={`flex items-start gap-3 rounded-lg border p-3 focus-visible:outline-2 focus-visible:outline-teal-700 ${
                step.key === next ? "border-teal-300 bg-teal-50 hover:bg-teal-100" : "border-slate-200 hover:bg-slate-50"
              }`}
            >
              <span
                aria-hidden="true"
                className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${
                  step.done ? "bg-teal-700 text-white" : "border border-slate-300 text-slate-600"
                }`}
              >
                {step.done ? "✓" : i + 1}
              </span>
              <span className="min-w-0">
                <span className={`block font-medium ${step.done ? "text-slate-500 line-through" : "text-slate-900"}`}>
                  {t(`onboarding.steps.${step.key}.title`)}
                </span>
                <span className="block text-sm text-slate-600">{t(`onboarding.steps.${step.key}.body`)}</span>
                <span className="sr-only">{step.done ? t("onboarding.done") : t("onboarding.todo")}</span>
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </section>
  );
}
