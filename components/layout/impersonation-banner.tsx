"use client";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { toast } from "@/components/ui/toast";

/** Shown on every workspace page during a support session; ends it on request. */
export function ImpersonationBanner({ adminEmail, userName, endsAt }: { adminEmail: string; userName: string; endsAt: string }) {
  const { t, fmt } = useI18n();
  const [pending, setPending] = useState(false);
  const time = fmt.time(endsAt, "Asia/Phnom_Penh");

  async function stop() {
    setPending(true);
    try {
      const res = await fetch("/api/session/impersonation/stop", { method: "POST", credentials: "same-origin" });
      const body = (await res.json()) as { redirectTo?: string };
      if (!res.ok || !body.redirectTo) throw new Error(String(res.status));
      window.location.href = body.redirectTo;
    } catch {
      setPending(false);
      toast.error(t("errors.errorBody"));
    }
  }

  return (
    <div
      role="status"
      data-testid="impersonation-banner"
      className="sticky top-0 z-30 flex flex-wrap items-center justify-center gap-3 bg-amber-400 px-3 py-2 text-sm font-medium text-amber-950"
    >
      <span>{t("team.impersonating", { admin: adminEmail, user: userName, time })}</span>
      <button type="button" onClick={stop} disabled={pending} className="rounded-md bg-amber-950 px-3 py-1 text-amber-50">
        {t("team.stopImpersonating")}
      </button>
    </div>
  );
}
