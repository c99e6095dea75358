"use client";
import { useI18n } from "@/lib/i18n/client";
import { StagingBannerStatic } from "./staging-banner-static";

/** Shown on every page of a staging server (APP_ENV=staging): nobody mistakes it for production. */
export function StagingBanner() {
  const { t } = useI18n();
  return <StagingBannerStatic text={t("app.stagingBanner")} />;
}
