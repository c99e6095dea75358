"use client";
import { signupFormSchema } from "@/lib/schemas/auth";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "./form-alert";
import { useJsonPost, type FormInitial } from "./use-json-post";

export function SignupForm({
  rootDomain,
  initial,
  versions,
}: {
  rootDomain: string;
  initial?: FormInitial;
  /** the terms of service and privacy notice versions being accepted (lib/legal.ts) */
  versions: { terms: string; privacy: string };
}) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/signup", signupFormSchema, initial);

  return (
    <form {...post.formProps} onSubmit={post.submitAndFollow()} noValidate className="space-y-4" aria-busy={post.pending}>
      <FormAlert message={post.error} />
      <Field id="name" {...post.register("name")} autoComplete="name" label={t("auth.name")} error={post.fieldErrors.name} required />
      <Field
        id="email"
        {...post.register("email")}
        type="email"
        autoComplete="email"
        label={t("auth.email")}
        error={post.fieldErrors.email}
        required
      />
      <Field
        id="password"
        {...post.register("password")}
        type="password"
        autoComplete="new-password"
        label={t("auth.password")}
        error={post.fieldErrors.password}
        help={t("validation.passwordTooShort")}
        required
      />
      <Field
        id="workspaceName"
        {...post.register("workspaceName")}
        autoComplete="organization"
        label={t("auth.workspaceName")}
        error={post.fieldErrors.workspaceName}
        required
      />
      <div className="space-y-1">
        <Field
          id="slug"
          {...post.register("slug")}
          autoCapitalize="none"
          spellCheck={false}
          label={t("auth.slug")}
          error={post.fieldErrors.slug}
          help={`${t("auth.slugHelp")} ${t("auth.slugExample", { address: `sokha-homes.${rootDomain}` })}`}
          required
        />
      </div>
      <div className="space-y-1" data-testid="signup-consent">
        <div className="flex items-start gap-2">
          <input
            id="acceptTerms"
            type="checkbox"
            {...post.register("acceptTerms")}
            aria-invalid={post.fieldErrors.acceptTerms ? true : undefined}
            aria-describedby={post.fieldErrors.acceptTerms ? "acceptTerms-error" : undefined}
            className="mt-1 h-5 w-5 shrink-0 rounded border-slate-300 text-teal-700 focus:ring-2 focus:ring-teal-600"
          />
          <label htmlFor="acceptTerms" className="text-sm text-slate-800">
            {t("consent.checkbox", versions)}
          </label>
        </div>
        <p className="flex flex-wrap gap-x-4 pl-7 text-sm">
          <a href="/terms" target="_blank" rel="noopener" className="text-teal-700 underline">
            {t("consent.readTerms")}
          </a>
          <a href="/privacy" target="_blank" rel="noopener" className="text-teal-700 underline">
            {t("consent.readPrivacy")}
          </a>
        </p>
        {post.fieldErrors.acceptTerms ? (
          <p id="acceptTerms-error" role="alert" className="pl-7 text-sm text-red-700">
            {post.fieldErrors.acceptTerms}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={post.pending} className="w-full">
        {post.pending ? t("auth.working") : t("auth.submitSignUp")}
      </Button>
    </form>
  );
}
