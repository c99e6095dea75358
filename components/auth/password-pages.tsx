import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import { EmailRequestForm } from "./email-request-form";
import { ResetPasswordForm } from "./reset-password-form";
import { FormAlert } from "./form-alert";
import type { FormInitial } from "./use-json-post";

export function ForgotPasswordPage({
  workspace,
  title,
  subtitle,
  initial,
  sent,
}: {
  workspace?: string;
  title: string;
  subtitle: string;
  initial?: FormInitial;
  sent?: boolean;
}) {
  return (
    <AuthCard header={<PublicHeader title={workspace} />} title={title} subtitle={subtitle}>
      <EmailRequestForm kind="forgot-password" initial={initial} sent={sent} />
    </AuthCard>
  );
}

export function ResetPasswordPage({
  workspace,
  token,
  title,
  invalidText,
  initial,
}: {
  workspace?: string;
  token: string | undefined;
  title: string;
  invalidText: string;
  initial?: FormInitial;
}) {
  return (
    <AuthCard header={<PublicHeader title={workspace} />} title={title}>
      {token ? <ResetPasswordForm token={token} initial={initial} /> : <FormAlert message={initial?.error ?? invalidText} />}
    </AuthCard>
  );
}
