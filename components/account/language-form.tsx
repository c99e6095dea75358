"use client";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { LOCALES, LOCALE_COOKIE, type Locale } from "@/lib/i18n/config";
import { setLocaleSchema } from "@/lib/schemas/account";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";

/** The same cookie as the header's language switcher: an explicit choice for this browser. */
function rememberInBrowser(locale: Locale): void {
  document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
}

export function LanguageForm({ saved }: { saved: Locale | null }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const form = useZodForm(setLocaleSchema, { locale: saved ?? locale });

  const save = useFormMutation(form, trpc.account.setLocale.mutationOptions(), {
    successToast: (_profile, input) => t(`account.language.savedIn.${input.locale}`),
    onSuccess: (profile, input) => {
      queryClient.setQueryData(trpc.account.profile.queryKey(), profile);
      // this browser switches at once; other devices follow the saved language at their next sign-in
      rememberInBrowser(input.locale);
      router.refresh();
    },
  });

  return (
    <Card title={t("account.language.title")}>
      <form
        onSubmit={form.handleSubmit((data) => save.mutate(data))}
        className="space-y-4"
        aria-busy={save.isPending}
        data-testid="language-form"
      >
        <fieldset className="space-y-2">
          <legend className="mb-2 text-sm text-slate-600">{t("account.language.help")}</legend>
          {LOCALES.map((l) => (
            <label key={l} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="radio" value={l} {...form.register("locale")} className="h-4 w-4 accent-teal-700" />
              <span lang={l}>{t(`locale.${l}`)}</span>
            </label>
          ))}
        </fieldset>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? t("auth.working") : t("account.language.save")}
        </Button>
      </form>
    </Card>
  );
}
