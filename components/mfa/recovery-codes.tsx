"use client";
import type { ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";

/** Recovery codes, shown once right after they are issued, with copy and .txt download. */
export function RecoveryCodes({ codes, email, children }: { codes: readonly string[]; email: string; children?: ReactNode }) {
  const { t } = useI18n();
  const text = `${t("mfa.fileHeader", { email })}\n\n${codes.join("\n")}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      toast.success(t("mfa.copied"));
    } catch {
      toast.error(t("mfa.copyFailed"));
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "phteah-recovery-codes.txt";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  return (
    <section className="space-y-4" aria-labelledby="recovery-codes-title">
      <div>
        <h2 id="recovery-codes-title" className="text-lg font-semibold text-slate-900">
          {t("mfa.recoveryTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t("mfa.recoveryIntro")}</p>
      </div>
      <ul
        data-testid="recovery-codes"
        className="grid grid-cols-2 gap-2 rounded-lg border border-slate-200 bg-slate-50 p-3 font-mono text-base tracking-wide text-slate-900"
      >
        {codes.map((code) => (
          <li key={code} className="text-center">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={copy}>
          {t("mfa.copy")}
        </Button>
        <Button type="button" variant="secondary" onClick={download}>
          {t("mfa.download")}
        </Button>
      </div>
      {children}
    </section>
  );
}
