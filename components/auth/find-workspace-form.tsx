"use client";
import { useState } from "react";
import Link from "next/link";
import { findWorkspaceSchema } from "@/lib/schemas/find-workspace";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "./form-alert";
import { useJsonPost, type FormInitial } from "./use-json-post";

/** "Find my workspace" (apex): one neutral answer for any address; the links go by e-mail only. */
export function FindWorkspaceForm({ initial, sent: sentBefore = false }: { initial?: FormInitial; sent?: boolean }) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/find-workspace", findWorkspaceSchema, initial);
  const [sent, setSent] = useState(sentBefore);

  return (
    <form {...post.formProps} onSubmit={post.onSubmit({}, () => setSent(true))} noValidate className="space-y-4" aria-busy={post.pending}>
      <FormAlert message={sent ? t("auth.findWorkspaceSent") : null} tone="success" />
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
        {post.pending ? t("auth.working") : t("auth.findWorkspaceSubmit")}
      </Button>
      <p className="text-center text-sm">
        <Link href="/login" className="text-teal-800 underline">
          {t("auth.backToSignIn")}
        </Link>
      </p>
    </form>
  );
}
