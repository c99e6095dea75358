"use client";
import { signupSchema } from "@/lib/schemas/auth";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "./form-alert";
import { useJsonPost, type FormInitial } from "./use-json-post";

export function SignupForm({ rootDomain, initial }: { rootDomain: string; initial?: FormInitial }) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/signup", signupSchema, initial);

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
          help={`${t("auth.slugHelp")} → <slug>.${rootDomain}`}
          required
        />
      </div>
      <Button type="submit" disabled={post.pending} className="w-full">
        {post.pending ? t("auth.working") : t("auth.submitSignUp")}
      </Button>
    </form>
  );
}
