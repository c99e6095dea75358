"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { useI18n } from "@/lib/i18n/client";
import { setRenterLanguage, signOutRenter } from "@/server/portal/renter-auth-actions";

/** The portal header's language switch (saved on the renter when signed in) and sign-out. */
export function RenterLanguageSwitch() {
  const { t, locale } = useI18n();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <label className="inline-flex items-center gap-2 text-sm text-slate-700">
      <span className="sr-only">{t("app.language")}</span>
      <select
        aria-label={t("app.language")}
        value={locale}
        disabled={pending}
        data-testid="renter-language"
        onChange={(e) => {
          const next = e.target.value as Locale;
          start(async () => {
            await setRenterLanguage(next);
            router.refresh();
          });
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`locale.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function RenterSignOut() {
  const { t } = useI18n();
  return (
    <form action={signOutRenter}>
      <button
        type="submit"
        className="min-h-10 rounded-lg px-3 text-sm font-medium text-slate-700 hover:bg-slate-100"
        data-testid="renter-sign-out"
      >
        {t("renterPortal.nav.signOut")}
      </button>
    </form>
  );
}
