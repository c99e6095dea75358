"use client";
import { useI18n } from "@/lib/i18n/client";

/** Shown on every page of a staging server (APP_ENV=staging): nobody mistakes it for production. */
export function StagingBanner() {
  const { t } = useI18n();
  return (
    <div
      role="note"
      data-testid="staging-banner"
      className="sticky top-0 z-50 bg-amber-400 px-3 py-1 text-center text-sm font-semibold text-amber-950"
    >
      {t("app.stagingBanner")}
    </div>
  );
}
