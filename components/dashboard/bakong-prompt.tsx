"use client";
import Link from "next/link";
import { useI18n } from "@/lib/i18n/client";

/**
 * Where the Bakong account matters (a new contract, the invoice run) and none is set: a short
 * explanation and the link to the field, so the landlord does not have to find it in Settings.
 */
export function BakongPrompt({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  return (
    <div role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="bakong-prompt">
      <p className="font-medium">{t("onboarding.bakongPrompt.title")}</p>
      <p className="mt-1">{t("onboarding.bakongPrompt.body")}</p>
      {canEdit ? (
        <Link
          href="/settings#settings-bakong"
          className="mt-2 inline-block font-medium text-teal-800 underline underline-offset-2 hover:text-teal-900 focus-visible:outline-2 focus-visible:outline-teal-700"
          data-testid="bakong-prompt-link"
        >
          {t("onboarding.bakongPrompt.link")}
        </Link>
      ) : (
        <p className="mt-1 text-amber-900">{t("onboarding.bakongPrompt.askOwner")}</p>
      )}
    </div>
  );
}
