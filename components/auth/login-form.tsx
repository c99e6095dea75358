"use client";
import Link from "next/link";
import { loginSchema } from "@/lib/schemas/auth";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "./form-alert";
import { useJsonPost, type FormInitial } from "./use-json-post";

export function LoginForm({
  notice,
  initial,
  findWorkspace = false,
}: {
  notice?: string | null;
  initial?: FormInitial;
  /** the apex: members are pointed to "find my workspace" */
  findWorkspace?: boolean;
}) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/login", loginSchema, initial);

  return (
    <form {...post.formProps} onSubmit={post.submitAndFollow()} noValidate className="space-y-4" aria-busy={post.pending}>
      <FormAlert message={notice ?? null} tone="success" />
      <FormAlert message={post.error} />
      <Field
        id="email"
        {...post.register("email")}
        type="email"
        autoComplete="username"
        label={t("auth.email")}
        error={post.fieldErrors.email}
        required
      />
      <Field
        id="password"
        {...post.register("password")}
        type="password"
        autoComplete="current-password"
        label={t("auth.password")}
        error={post.fieldErrors.password}
        required
      />
      <Button type="submit" disabled={post.pending} className="w-full">
        {post.pending ? t("auth.signingIn") : t("auth.submitSignIn")}
      </Button>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="text-teal-800 underline">
          {t("auth.forgotPassword")}
        </Link>
      </p>
      {findWorkspace ? (
        <p className="border-t border-slate-200 pt-4 text-center text-sm text-slate-700">
          {t("auth.findWorkspacePrompt")}{" "}
          <Link href="/find-workspace" className="font-medium text-teal-800 underline" data-testid="find-workspace-link">
            {t("auth.findWorkspaceLink")}
          </Link>
        </p>
      ) : null}
    </form>
  );
}
