"use client";
import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { saveRenterSettings, type SettingsState } from "@/server/portal/renter-auth-actions";

const CHANNELS = ["telegram", "email", "both"] as const;
const LANGS = ["km", "en"] as const;

export function RenterSettingsForm({ channel, locale }: { channel: string; locale: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [state, save, saving] = useActionState<SettingsState, FormData>(saveRenterSettings, { ok: false });

  useEffect(() => {
    if (state.ok && state.at) {
      toast.success(t("renterPortal.settings.saved"));
      router.refresh();
    } else if (state.error) {
      toast.error(t(`renterPortal.settings.errors.${state.error}`));
    }
  }, [state, t, router]);

  return (
    <form action={save} className="space-y-6" aria-busy={saving} data-testid="renter-settings-form">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">{t("renterPortal.settings.channel")}</legend>
        {CHANNELS.map((c) => (
          <label key={c} className="flex min-h-11 items-center gap-3 rounded-lg border border-slate-200 bg-white px-3">
            <input type="radio" name="messageChannel" value={c} defaultChecked={channel === c} className="size-4 accent-teal-700" />
            <span className="text-sm text-slate-900">{t(`renterPortal.settings.channels.${c}`)}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">{t("renterPortal.settings.language")}</legend>
        {LANGS.map((l) => (
          <label key={l} className="flex min-h-11 items-center gap-3 rounded-lg border border-slate-200 bg-white px-3">
            <input type="radio" name="locale" value={l} defaultChecked={locale === l} className="size-4 accent-teal-700" />
            <span className="text-sm text-slate-900">{t(`locale.${l}`)}</span>
          </label>
        ))}
      </fieldset>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {t(`renterPortal.settings.errors.${state.error}`)}
        </p>
      ) : null}
      <Button type="submit" disabled={saving} className="w-full sm:w-auto">
        {t("renterPortal.settings.save")}
      </Button>
    </form>
  );
}
