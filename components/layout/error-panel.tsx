"use client";
import { useI18n } from "@/lib/i18n/client";

/** What a user sees when a page fails: a short message and a reference id, nothing internal. */
export function ErrorPanel({ reference, onRetry }: { reference?: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div role="alert" className="mx-auto my-16 max-w-md rounded-xl border border-red-200 bg-white p-6 text-center shadow-sm">
      <h1 className="text-xl font-semibold text-slate-900">{t("errors.errorTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("errors.errorBody")}</p>
      {reference ? <p className="mt-2 font-mono text-xs text-slate-500">{t("errors.reference", { ref: reference })}</p> : null}
      <button type="button" onClick={onRetry} className="mt-4 rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white">
        {t("errors.tryAgain")}
      </button>
    </div>
  );
}
