"use client";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey as I18nKey } from "@/lib/i18n";
import { MESSAGE_KEYS, TEMPLATE_LOCALES, TENANT_TEMPLATE_KEYS, type MessageKey, type TemplateLocale } from "@/lib/notifications/catalog";
import { checkTemplate, type TemplateCheck } from "@/lib/notifications/syntax";
import { templateTextSchema } from "@/lib/schemas/templates";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import type { RouterOutputs } from "@/lib/trpc/client";

type TemplateDetail = RouterOutputs["templates"]["get"];

export type TemplateEditorMode = "tenant" | "admin";

const PREVIEW_DELAY_MS = 400;

/** `value` once it has stopped changing for `ms` (the live preview waits for a pause in typing). */
function useDebounced<T extends string>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

export const keyLabel = (key: MessageKey) => `templates.keys.${key}` as I18nKey;
const variableToken = (name: string) => `{{${name}}}`;

/**
 * The template editor shared by the workspace (overrides) and the console (global templates): pick
 * a message and a language, edit subject and body, insert declared variables, see a live preview.
 * `readOnly` (a workspace whose plan lacks custom templates) shows everything but saves nothing.
 * A workspace is not offered the security messages (password reset, invitation): only the console edits them.
 */
export function TemplateEditor({ mode, readOnly = false, hint }: { mode: TemplateEditorMode; readOnly?: boolean; hint?: ReactNode }) {
  const trpc = useTRPC();
  const { t, locale: uiLocale } = useI18n();
  const api = mode === "admin" ? trpc.adminTemplates : trpc.templates;
  const keys = mode === "admin" ? MESSAGE_KEYS : TENANT_TEMPLATE_KEYS;
  const [key, setKey] = useState<MessageKey>(keys[0]!);
  const [locale, setLocale] = useState<TemplateLocale>(uiLocale);
  const list = useQuery(api.list.queryOptions());
  const detail = useQuery(api.get.queryOptions({ key, locale }));
  const customized = new Set((list.data ?? []).filter((r) => r.overridden).map((r) => `${r.key}:${r.locale}`));

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor="template-key" className="block text-sm font-medium text-slate-800">
            {t("templates.message")}
          </label>
          <select
            id="template-key"
            data-testid="template-key"
            value={key}
            onChange={(e) => setKey(e.target.value as MessageKey)}
            className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm focus:ring-2 focus:ring-teal-600"
          >
            {keys.map((k) => {
              const marks = TEMPLATE_LOCALES.filter((l) => customized.has(`${k}:${l}`)).map((l) => t(`locale.${l}`));
              const label = marks.length > 0 ? `${t(keyLabel(k))} · ${t("templates.overridden")} (${marks.join(", ")})` : t(keyLabel(k));
              return (
                <option key={k} value={k}>
                  {label}
                </option>
              );
            })}
          </select>
        </div>
        <div role="group" aria-label={t("templates.language")} className="flex gap-1 rounded-lg border border-slate-300 bg-white p-1">
          {TEMPLATE_LOCALES.map((l) => (
            <button
              key={l}
              type="button"
              data-testid={`template-locale-${l}`}
              aria-pressed={locale === l}
              onClick={() => setLocale(l)}
              className={`min-h-9 rounded-md px-3 text-sm font-medium ${locale === l ? "bg-teal-700 text-white" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {t(`locale.${l}`)}
            </button>
          ))}
        </div>
      </div>
      {mode === "tenant" ? (
        <p data-testid="template-security-note" className="text-sm text-slate-600">
          {t("templates.securityNote")}
        </p>
      ) : null}
      {hint}
      {detail.data ? (
        <TemplateForm
          key={`${detail.data.key}:${detail.data.locale}:${detail.data.overridden}:${String(detail.data.updatedAt)}`}
          mode={mode}
          detail={detail.data}
          readOnly={readOnly || !detail.data.canEdit}
        />
      ) : detail.error ? (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(detail.error, t("errors.errorBody"))}
        </p>
      ) : (
        <p className="text-sm text-slate-500">{t("templates.previewLoading")}</p>
      )}
    </div>
  );
}

function problemsText(check: TemplateCheck, t: ReturnType<typeof useI18n>["t"]): string[] {
  const out: string[] = [];
  if (check.unknown.length > 0) out.push(t("templates.unknownVariables", { variables: check.unknown.map(variableToken).join(", ") }));
  for (const m of check.malformed.slice(0, 3)) {
    out.push(t("templates.malformed", { field: t(`templates.fields.${m.field}`), near: m.near }));
  }
  for (const m of check.misplaced) {
    out.push(t(m.field === "subject" ? "templates.misplacedSubject" : "templates.misplacedBody", { variable: variableToken(m.variable) }));
  }
  return out;
}

function TemplateForm({ mode, detail, readOnly }: { mode: TemplateEditorMode; detail: TemplateDetail; readOnly: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const api = mode === "admin" ? trpc.adminTemplates : trpc.templates;
  const form = useZodForm(templateTextSchema, { subject: detail.subject, body: detail.body });
  const [subject, body] = form.watch(["subject", "body"]);
  const fieldErrors = { subject: form.formState.errors.subject?.message, body: form.formState.errors.body?.message };
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const lastField = useRef<"subject" | "body">("body");

  const ref = { key: detail.key, locale: detail.locale };
  const check = checkTemplate(detail.variables, { subject, body }, detail.secrets);
  const problems = problemsText(check, t);
  const subjectProblem = check.misplaced.some((m) => m.field === "subject") || check.malformed.some((m) => m.field === "subject");
  const dirty = subject !== detail.subject || body !== detail.body;

  const previewSubject = useDebounced(subject, PREVIEW_DELAY_MS);
  const previewBody = useDebounced(body, PREVIEW_DELAY_MS);
  const preview = useQuery({
    ...api.preview.queryOptions({ ...ref, subject: previewSubject, body: previewBody }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: api.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: api.get.queryKey(ref) }),
    ]);
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));
  const save = useFormMutation(null, api.save.mutationOptions(), {
    successToast: () => t("templates.saved"),
    onSuccess: () => void refresh(),
  });
  const reset = useMutation(
    api.reset.mutationOptions({
      onSuccess: () => {
        toast.success(t("templates.resetDone"));
        void refresh();
      },
      onError,
    }),
  );
  const pending = save.isPending || reset.isPending;
  const subjectField = form.register("subject");
  const bodyField = form.register("body");

  function insert(name: string) {
    if (readOnly) return;
    const token = variableToken(name);
    const field = lastField.current;
    const el = field === "subject" ? subjectRef.current : bodyRef.current;
    const value = field === "subject" ? subject : body;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    const next = value.slice(0, start) + token + value.slice(end);
    form.setValue(field, next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  const onSave = form.handleSubmit((data) => {
    // the template's own problems (unknown or misplaced variables) are listed under the fields
    if (!check.ok) return;
    save.mutate({ ...ref, ...data });
  });

  async function onReset() {
    const message = t(keyLabel(detail.key));
    const ok = await confirmAction({
      title: t("templates.confirmResetTitle"),
      text: t(mode === "admin" ? "templates.confirmResetConsoleText" : "templates.confirmResetText", {
        message,
        language: t(`locale.${detail.locale}`),
      }),
      confirmText: t("templates.reset"),
      cancelText: t("templates.cancel"),
      danger: true,
    });
    if (ok) reset.mutate(ref);
  }

  const sourceText = t("templates.inUse", { source: t(`templates.source.${detail.source}`) });

  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <form onSubmit={onSave} noValidate className="space-y-4 rounded-xl border border-slate-200 bg-white p-4" aria-busy={pending}>
        <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span data-testid="template-source">{sourceText}</span>
          {detail.overridden ? (
            <span className="rounded-full bg-teal-50 px-2 py-0.5 text-xs font-medium text-teal-800">{t("templates.overridden")}</span>
          ) : null}
          {dirty ? (
            <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800">{t("templates.unsaved")}</span>
          ) : null}
        </div>
        {readOnly ? <p className="text-sm text-slate-600">{t("templates.readOnly")}</p> : null}
        <div className="space-y-1">
          <label htmlFor="template-subject" className="block text-sm font-medium text-slate-800">
            {t("templates.subject")}
          </label>
          <input
            {...subjectField}
            ref={(el) => {
              subjectField.ref(el);
              subjectRef.current = el;
            }}
            id="template-subject"
            data-testid="template-subject"
            readOnly={readOnly}
            aria-invalid={fieldErrors.subject || subjectProblem ? true : undefined}
            aria-describedby={fieldErrors.subject ? "template-subject-error" : subjectProblem ? "template-problems" : undefined}
            onFocus={() => (lastField.current = "subject")}
            className={`block w-full rounded-lg border px-3 py-2 text-base text-slate-900 shadow-sm outline-none focus:ring-2 focus:ring-teal-600 read-only:bg-slate-50 ${fieldErrors.subject || subjectProblem ? "border-red-600" : "border-slate-300"}`}
          />
          {fieldErrors.subject ? (
            <p id="template-subject-error" role="alert" className="text-sm text-red-700">
              {fieldErrors.subject}
            </p>
          ) : null}
        </div>
        <div className="space-y-1">
          <label htmlFor="template-body" className="block text-sm font-medium text-slate-800">
            {t("templates.body")}
          </label>
          <textarea
            {...bodyField}
            ref={(el) => {
              bodyField.ref(el);
              bodyRef.current = el;
            }}
            id="template-body"
            data-testid="template-body"
            rows={12}
            readOnly={readOnly}
            aria-invalid={fieldErrors.body || problems.length > 0 ? true : undefined}
            aria-describedby="template-body-help template-problems"
            onFocus={() => (lastField.current = "body")}
            className={`block w-full rounded-lg border px-3 py-2 text-sm leading-6 text-slate-900 shadow-sm outline-none focus:ring-2 focus:ring-teal-600 read-only:bg-slate-50 ${fieldErrors.body || problems.length > 0 ? "border-red-600" : "border-slate-300"}`}
          />
          <p id="template-body-help" className="text-xs text-slate-500">
            {t("templates.bodyHelp")}
          </p>
          {fieldErrors.body ? (
            <p role="alert" className="text-sm text-red-700">
              {fieldErrors.body}
            </p>
          ) : null}
        </div>
        <div id="template-problems" data-testid="template-problems" role="alert" className="space-y-1 text-sm text-red-700">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t("templates.variables")}</legend>
          <p className="text-xs text-slate-500">{t("templates.variablesHelp")}</p>
          <div className="flex flex-wrap gap-2">
            {detail.variables.map((name) => {
              const token = variableToken(name);
              return (
                <button
                  key={name}
                  type="button"
                  disabled={readOnly}
                  data-testid={`template-var-${name}`}
                  title={t(`templates.vars.${name}` as I18nKey)}
                  aria-label={t("templates.insertVariable", { variable: t(`templates.vars.${name}` as I18nKey) })}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(name)}
                  className="rounded-md border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-800 hover:bg-slate-100 disabled:opacity-50"
                >
                  {token}
                </button>
              );
            })}
          </div>
          {detail.sensitive ? (
            <p data-testid="template-secret-note" className="text-xs text-slate-500">
              {t("templates.sensitive", { variables: detail.secrets.map(variableToken).join(", ") })}
            </p>
          ) : null}
        </fieldset>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" data-testid="template-save" disabled={readOnly || pending || !dirty || !check.ok}>
            {save.isPending ? t("auth.working") : t("templates.save")}
          </Button>
          <Button
            type="button"
            variant="secondary"
            data-testid="template-reset"
            disabled={readOnly || pending || !detail.overridden}
            onClick={onReset}
          >
            {t("templates.reset")}
          </Button>
        </div>
      </form>
      <section className="space-y-2 rounded-xl border border-slate-200 bg-white p-4" aria-labelledby="template-preview-title">
        <div className="flex items-baseline justify-between gap-2">
          <h2 id="template-preview-title" className="font-semibold">
            {t("templates.preview")}
          </h2>
          <p className="text-xs text-slate-500">{t("templates.previewHelp")}</p>
        </div>
        {preview.data ? (
          <>
            <p className="flex flex-wrap gap-x-2 text-sm">
              <span className="font-medium text-slate-600">{t("templates.subject")}</span>
              <span data-testid="template-preview-subject">{preview.data.subject}</span>
            </p>
            <iframe
              title={t("templates.previewFrameTitle")}
              data-testid="template-preview"
              sandbox=""
              srcDoc={preview.data.html}
              className={`h-[32rem] w-full rounded-lg border border-slate-200 bg-slate-100 transition-opacity ${preview.isPlaceholderData ? "opacity-60" : ""}`}
            />
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-600">{t("templates.previewText")}</summary>
              <pre
                data-testid="template-preview-text"
                className="mt-2 whitespace-pre-wrap rounded-lg bg-slate-50 p-3 text-xs text-slate-800"
              >
                {preview.data.text}
              </pre>
            </details>
          </>
        ) : (
          <p className="text-sm text-slate-500">
            {preview.error ? errorMessage(preview.error, t("errors.errorBody")) : t("templates.previewLoading")}
          </p>
        )}
      </section>
    </div>
  );
}
