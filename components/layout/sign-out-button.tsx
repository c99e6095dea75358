"use client";
import { useI18n } from "@/lib/i18n/client";
import { SignOut } from "./sign-out";

/** The sign-out button, translated in the browser (pages whose header is a client component). */
export function SignOutButton({ className = "" }: { className?: string }) {
  const { t } = useI18n();
  return <SignOut label={t("nav.signOut")} errorText={t("errors.network")} className={className} />;
}
