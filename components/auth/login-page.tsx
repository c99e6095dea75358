import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import { LoginForm } from "./login-form";

/** The sign-in page of both hosts: platform staff on the apex, members on a workspace. */
export function LoginPage({
  workspace,
  title,
  subtitle,
  notice,
}: {
  workspace?: string;
  title: string;
  subtitle?: string;
  notice: string | null;
}) {
  return (
    <AuthCard header={<PublicHeader title={workspace} />} title={title} subtitle={subtitle}>
      <LoginForm notice={notice} />
    </AuthCard>
  );
}
