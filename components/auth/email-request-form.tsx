"use client";
import { useState } from "react";
import Link from "next/link";
import { forgotPasswordSchema } from "@/lib/schemas/auth";
import { findWorkspaceSchema } from "@/lib/schemas/find-workspace";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "./form-alert";
import { useJsonPost, type FormInitial } from "./use-json-post";

/**
 * The forms that ask for an e-mail address and answer with one neutral "sent" message whatever the
 * address (nothing is shown to whoever types it; the mail carries the rest):
 * - `forgot-password` (a workspace's /forgot-password): a password reset link;
 * - `find-workspace` (apex /find-workspace): the member's workspaces' sign-in links.
 */
const KINDS = {
  "forgot-password": {
    endpoint: "/api/session/forgot-password",
    schema: forgotPasswordSchema,
    sent: "auth.forgotSent",
    submit: "auth.forgotSubmit",
  },
  "find-workspace": {
    endpoint: "/api/session/find-workspace",
    schema: findWorkspaceSchema,
    sent: "auth.findWorkspaceSent",
    submit: "auth.findWorkspaceSubmit",
  },
} as const;

export type EmailRequestKind = keyof typeof KINDS;

export function EmailRequestForm({
  kind,
  initial,
  sent: sentBefore = false,
}: {
  kind: EmailRequestKind;
  initial?: FormInitial;
  sent?: boolean;
}) {
  const { t } = useI18n();
  const { endpoint, schema, sent: sentKey, submit } = KINDS[kind];
  const post = useJsonPost(endpoint, schema, initial);
  const [sent, setSent] = useState(sentBefore);

  return (
    <form {...post.formProps} onSubmit={post.onSubmit({}, () => setSent(true))} noValidate className="space-y-4" aria-busy={post.pending}>
      <FormAlert message={sent ? t(sentKey) : null} tone="success" />
      <FormAlert message={post.error} />
      <Field
        id="email"
        {...post.register("email")}
        type="email"
        autoComplete="email"
        label={t("auth.email")}
        error={post.fieldErrors.email}
        required
      />
      <Button type="submit" disabled={post.pending} className="w-full">
        {post.pending ? t("auth.working") : t(submit)}
      </Button>
      <p className="text-center text-sm">
        <Link href="/login" className="text-teal-800 underline">
          {t("auth.backToSignIn")}
        </Link>
      </p>
    </form>
  );
}
