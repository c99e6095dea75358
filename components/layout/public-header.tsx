"use client";
import Link from "next/link";
import { useI18n } from "@/lib/i18n/client";
import { LanguageSwitcher } from "./language-switcher";

export function PublicHeader({ title }: { title?: string }) {
  const { t } = useI18n();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-4">
        <Link href="/" className="font-semibold text-teal-800">
          {title ?? t("app.name")}
        </Link>
        <LanguageSwitcher />
      </div>
    </header>
  );
}
