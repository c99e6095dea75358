"use client";
import { acceptConsentSchema } from "@/lib/schemas/auth";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/auth/form-alert";
import { useJsonPost, type FormInitial } from "@/components/auth/use-json-post";
import { SignOutButton } from "@/components/layout/sign-out-button";

/** The accept page's buttons: accept the new terms (then on to the workspace or console), or sign out. */
export function AcceptTermsForm({ initial }: { initial?: FormInitial }) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/accept-terms", acceptConsentSchema, initial);
  return (
    <div className="space-y-3">
      <form {...post.formProps} onSubmit={post.submitAndFollow()} noValidate aria-busy={post.pending} className="space-y-3">
        <FormAlert message={post.error} />
        <Button type="submit" disabled={post.pending} className="w-full">
          {post.pending ? t("consent.accepting") : t("consent.acceptButton")}
        </Button>
      </form>
      <SignOutButton className="w-full border border-slate-300" />
    </div>
  );
}
