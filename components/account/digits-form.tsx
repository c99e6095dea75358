"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";
import { DIGIT_SYSTEMS, DIGITS_COOKIE, type Digits } from "@/lib/i18n/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";

/**
 * Latin (0-9, the default) or Khmer (០-៩) digits for every number, date and amount this browser
 * shows (lib/i18n/format.ts). A cookie, read by the root layout so the server renders the same.
 */
export function DigitsForm() {
  const { t, digits } = useI18n();
  const router = useRouter();
  const [choice, setChoice] = useState<Digits>(digits);
  return (
    <Card title={t("account.digits.title")}>
      <form
        className="space-y-4"
        data-testid="digits-form"
        onSubmit={(e) => {
          e.preventDefault();
          document.cookie = `${DIGITS_COOKIE}=${choice}; path=/; max-age=31536000; samesite=lax`;
          toast.success(t("account.digits.saved"));
          router.refresh();
        }}
      >
        <fieldset className="space-y-2">
          <legend className="mb-2 text-sm text-slate-600">{t("account.digits.help")}</legend>
          {DIGIT_SYSTEMS.map((d) => (
            <label key={d} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="radio"
                name="digits"
                value={d}
                checked={choice === d}
                onChange={() => setChoice(d)}
                className="h-4 w-4 accent-teal-700"
              />
              <span>{t(`account.digits.${d}`)}</span>
            </label>
          ))}
        </fieldset>
        <Button type="submit">{t("account.digits.save")}</Button>
      </form>
    </Card>
  );
}
