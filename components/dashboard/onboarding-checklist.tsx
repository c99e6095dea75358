import Link from "next/link";
import type { OnboardingChecklist as Checklist } from "@/lib/onboarding";
import { ChecklistFrame } from "./checklist-frame";
import type { HomeI18n } from "./format";

/**
 * The first-run checklist on the dashboard: the set-up steps in order, each linking to its page
 * and ticked off from the workspace's own rows. Hidden once every step is done, or when the owner
 * hides it. A server component (the steps are translated on the server; the browser hydrates only
 * the hide button, ./checklist-frame.tsx); the home renders it again when the tab is shown again
 * (./refresh-on-return.tsx) or opened again.
 */
export function OnboardingChecklist({
  checklist: data,
  canDismiss,
  i18n: { t },
}: {
  checklist: Checklist;
  /** workspace.settings: the member may hide it */
  canDismiss: boolean;
  i18n: HomeI18n;
}) {
  if (data.dismissed || data.allDone) return null;

  const doneCount = data.steps.filter((s) => s.done).length;
  const next = data.steps.find((s) => !s.done)?.key;

  return (
    <ChecklistFrame
      heading={
        <div>
          <h2 id="onboarding-title" className="text-lg font-semibold text-slate-900">
            {t("onboarding.title")}
          </h2>
          <p className="text-sm text-slate-600" data-testid="onboarding-progress">
            {t("onboarding.progress", { done: doneCount, total: data.steps.length })}
          </p>
        </div>
      }
      dismiss={
        canDismiss
          ? {
              label: t("onboarding.dismiss"),
              confirmTitle: t("onboarding.dismissTitle"),
              confirmBody: t("onboarding.dismissBody"),
              keep: t("onboarding.keep"),
              dismissed: t("onboarding.dismissed"),
              networkError: t("errors.network"),
            }
          : null
      }
    >
      <ol className="mt-3 space-y-2">
        {data.steps.map((step, i) => (
          <li key={step.key} data-testid={`onboarding-step-${step.key}`} data-done={step.done ? "true" : "false"}>
            <Link
              prefetch={false}
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
    </ChecklistFrame>
  );
}
