"use client";
import { useI18n } from "@/lib/i18n/client";
import { LanguageSwitcher } from "@/components/layout/language-switcher";
import { SignOutButton } from "@/components/layout/sign-out-button";

/** The 2FA page's header: a way out (sign out, then sign in as someone else) and the language. */
export function MfaHeader() {
  const { t } = useI18n();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-2 px-4">
        <span className="font-semibold text-teal-800">{t("nav.admin")}</span>
        <div className="flex items-center gap-1 sm:gap-3">
          <LanguageSwitcher />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
