import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import { ForgotPasswordForm } from "./forgot-password-form";
import { ResetPasswordForm } from "./reset-password-form";
import { FormAlert } from "./form-alert";

export function ForgotPasswordPage({ workspace, title, subtitle }: { workspace?: string; title: string; subtitle: string }) {
  return (
    <AuthCard header={<PublicHeader title={workspace} />} title={title} subtitle={subtitle}>
      <ForgotPasswordForm />
    </AuthCard>
  );
}

export function ResetPasswordPage({
  workspace,
  token,
  title,
  invalidText,
}: {
  workspace?: string;
  token: string | undefined;
  title: string;
  invalidText: string;
}) {
  return (
    <AuthCard header={<PublicHeader title={workspace} />} title={title}>
      {token ? <ResetPasswordForm token={token} /> : <FormAlert message={invalidText} />}
    </AuthCard>
  );
}
