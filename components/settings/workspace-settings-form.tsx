"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  MAX_REMINDER_DAYS,
  REMINDER_DAY_MAX,
  REMINDER_DAY_MIN,
  WORKSPACE_LOCALES,
  reminderDaySchema,
  updateWorkspaceSettingsSchema,
} from "@/lib/schemas/workspace-settings";
import type { MessageKey } from "@/lib/i18n";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { UpgradeHint, lacks, useEntitlements } from "@/components/billing/upgrade-hint";
import type { RouterOutputs } from "@/lib/trpc/client";

type WorkspaceSettings = RouterOutputs["workspaceSettings"]["get"];

/** A bad reminder day (`rentReminderDays.2`) shows on the list. */
const DAY_ERROR_PATHS: Record<string, string> = Object.fromEntries(
  Array.from({ length: MAX_REMINDER_DAYS + 1 }, (_, i) => [`rentReminderDays.${i}`, "rentReminderDays"]),
);

function formValuesOf(s: WorkspaceSettings) {
  return { name: s.name, locale: s.locale, bakongAccountId: s.bakongAccountId ?? "", rentReminderDays: s.rentReminderDays };
}

/** Accepts Khmer digits and the typographic minus, as phones type them. */
function parseDay(text: string): number | null {
  const normalised = text
    .trim()
    .replace(/[០-៩]/g, (d) => String(d.charCodeAt(0) - 0x17e0))
    .replace(/[−–]/g, "-");
  if (normalised === "" || !/^[-+]?\d+$/.test(normalised)) return null;
  return Number(normalised);
}

/**
 * Name, default language, Bakong account (KHQR rent collection) and rent reminder days, saved
 * together through workspaceSettings.update; the same zod schema checks the form first.
 */
export function WorkspaceSettingsForm({ initial }: { initial: WorkspaceSettings }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const entitlements = useEntitlements();
  const settings = useQuery({ ...trpc.workspaceSettings.get.queryOptions(), initialData: initial });

  const form = useZodForm(updateWorkspaceSettingsSchema, formValuesOf(initial), { errorPaths: DAY_ERROR_PATHS });
  const { errors } = form.formState;
  const days = form.watch("rentReminderDays");
  const [dayDraft, setDayDraft] = useState("");
  const [dayError, setDayError] = useState<string | undefined>();

  const save = useFormMutation(form, trpc.workspaceSettings.update.mutationOptions(), {
    errorPaths: DAY_ERROR_PATHS,
    successToast: () => t("settings.saved"),
    onSuccess: (saved) => {
      queryClient.setQueryData(trpc.workspaceSettings.get.queryKey(), saved);
      form.reset(formValuesOf(saved));
      // the header shows the workspace name, and texts follow the default language: both come from the server layout
      router.refresh();
    },
  });
  const setDays = (next: number[]) => form.setValue("rentReminderDays", next);

  function dayLabel(day: number): string {
    if (day === 0) return t("settings.reminders.onDue");
    if (day === -1) return t("settings.reminders.dayBefore");
    if (day === 1) return t("settings.reminders.dayAfter");
    return day < 0 ? t("settings.reminders.daysBefore", { n: -day }) : t("settings.reminders.daysAfter", { n: day });
  }

  function addDay() {
    const parsed = reminderDaySchema.safeParse(parseDay(dayDraft) ?? Number.NaN);
    let error: string | undefined;
    if (!parsed.success) error = t(parsed.error.issues[0]!.message as MessageKey);
    else if (days.includes(parsed.data)) error = t("settings.errors.reminderDuplicate");
    else if (days.length >= MAX_REMINDER_DAYS) error = t("settings.errors.reminderTooMany");
    setDayError(error);
    form.clearErrors("rentReminderDays");
    if (error || !parsed.success) return;
    setDays([...days, parsed.data].sort((x, y) => x - y));
    setDayDraft("");
  }

  function submit(e: React.FormEvent<HTMLFormElement>) {
    setDayError(undefined);
    return form.handleSubmit((data) => save.mutate(data))(e);
  }

  const khqrMissing = lacks(entitlements, "khqr_rent_collection");
  const savedAccount = settings.data.bakongAccountId;
  const full = days.length >= MAX_REMINDER_DAYS;

  return (
    <form onSubmit={submit} noValidate className="space-y-6" aria-busy={save.isPending} data-testid="workspace-settings-form">
      <fieldset disabled={save.isPending} className="space-y-6">
        <Card title={t("settings.general.title")}>
          <div className="space-y-4">
            <Field
              id="settings-name"
              label={t("settings.general.name")}
              help={t("settings.general.nameHelp")}
              {...form.register("name")}
              error={errors.name?.message}
              maxLength={100}
              required
            />
            <fieldset className="space-y-2" aria-describedby="settings-locale-help">
              <legend className="text-sm font-medium text-slate-800">{t("settings.general.locale")}</legend>
              <p id="settings-locale-help" className="text-xs text-slate-500">
                {t("settings.general.localeHelp")}
              </p>
              <div className="flex flex-wrap gap-4">
                {WORKSPACE_LOCALES.map((l) => (
                  <label key={l} className="flex min-h-10 items-center gap-2 text-sm text-slate-800">
                    <input type="radio" value={l} {...form.register("locale")} className="h-4 w-4 accent-teal-700" />
                    <span lang={l}>{t(`locale.${l}`)}</span>
                  </label>
                ))}
              </div>
              {errors.locale ? (
                <p role="alert" className="text-sm text-red-700">
                  {errors.locale.message}
                </p>
              ) : null}
            </fieldset>
          </div>
        </Card>

        <Card title={t("settings.khqr.title")}>
          <div className="space-y-4">
            <Field
              id="settings-bakong"
              label={t("settings.khqr.account")}
              help={t("settings.khqr.accountHelp")}
              {...form.register("bakongAccountId")}
              error={errors.bakongAccountId?.message}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              inputMode="email"
              maxLength={64}
              placeholder="sokha_apartments@aclb"
            />
            <p className="text-sm text-slate-600">{t("settings.khqr.needsPlan")}</p>
            {khqrMissing && entitlements ? (
              <UpgradeHint entitlements={entitlements} feature="khqr_rent_collection" />
            ) : entitlements ? (
              <p className="text-sm text-slate-600" data-testid="khqr-status">
                {savedAccount ? t("settings.khqr.ready") : t("settings.khqr.noAccount")}
              </p>
            ) : null}
          </div>
        </Card>

        <Card title={t("settings.reminders.title")}>
          <div className="space-y-4">
            <p className="text-sm text-slate-600">{t("settings.reminders.intro")}</p>
            {days.length === 0 ? (
              <p className="text-sm text-slate-500">{t("settings.reminders.none")}</p>
            ) : (
              <ul className="flex flex-wrap gap-2" data-testid="reminder-days" aria-describedby="settings-days-error">
                {days.map((day) => (
                  <li
                    key={day}
                    data-day={day}
                    className="flex items-center gap-1 rounded-full border border-teal-200 bg-teal-50 py-1 pr-1 pl-3 text-sm text-teal-900"
                  >
                    <span>{dayLabel(day)}</span>
                    <button
                      type="button"
                      onClick={() => setDays(days.filter((d) => d !== day))}
                      aria-label={t("settings.reminders.remove", { label: dayLabel(day) })}
                      className="flex h-8 w-8 items-center justify-center rounded-full text-teal-800 hover:bg-teal-100 focus-visible:outline-2 focus-visible:outline-teal-700"
                    >
                      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth={2}>
                        <path d="M4 4l8 8M12 4l-8 8" strokeLinecap="round" />
                      </svg>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {errors.rentReminderDays ? (
              <p id="settings-days-error" role="alert" className="text-sm text-red-700">
                {errors.rentReminderDays.message}
              </p>
            ) : null}
            {full ? (
              <p className="text-sm text-slate-600">{t("settings.reminders.full", { max: MAX_REMINDER_DAYS })}</p>
            ) : (
              <div className="flex flex-wrap items-end gap-3">
                <div className="w-48">
                  <Field
                    id="settings-day"
                    name="day"
                    type="number"
                    step={1}
                    min={REMINDER_DAY_MIN}
                    max={REMINDER_DAY_MAX}
                    label={t("settings.reminders.addLabel")}
                    value={dayDraft}
                    onChange={(e) => setDayDraft(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        e.preventDefault();
                        addDay();
                      }
                    }}
                    error={dayError}
                  />
                </div>
                <Button type="button" variant="secondary" onClick={addDay}>
                  {t("settings.reminders.add")}
                </Button>
              </div>
            )}
            <p className="text-xs text-slate-500">{t("settings.reminders.addHelp")}</p>
          </div>
        </Card>
      </fieldset>

      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? t("settings.saving") : t("settings.save")}
      </Button>
    </form>
  );
}
