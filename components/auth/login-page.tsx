import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import { LoginForm } from "./login-form";
import type { FormInitial } from "./use-json-post";

/** The sign-in page of both hosts: platform staff on the apex, members on a workspace. */
export function LoginPage({
  workspace,
  title,
  subtitle,
  notice,
  initial,
}: {
  workspace?: string;
  title: string;
  subtitle?: string;
  notice: string | null;
  initial?: FormInitial;
}) {
  return (
    <AuthCard header={<PublicHeader title={workspace} />} title={title} subtitle={subtitle}>
      <LoginForm notice={notice} initial={initial} findWorkspace={!workspace} />
    </AuthCard>
  );
}
