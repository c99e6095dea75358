"use client";
import { useEffect } from "react";
import { captureBrowserError } from "@/lib/observability/sentry-browser";
import { usePayI18n } from "@/components/payments/pay-i18n";

/** app/error.tsx for the pay page, which has no next-intl provider (see layout.tsx): the same panel. */
export default function PayError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = usePayI18n();
  useEffect(() => {
    captureBrowserError(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto my-16 max-w-md rounded-xl border border-red-200 bg-white p-6 text-center shadow-sm">
      <h1 className="text-xl font-semibold text-slate-900">{t("errors.errorTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("errors.errorBody")}</p>
      {error.digest ? <p className="mt-2 font-mono text-xs text-slate-500">{t("errors.reference", { ref: error.digest })}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white">
        {t("errors.tryAgain")}
      </button>
    </div>
  );
}
