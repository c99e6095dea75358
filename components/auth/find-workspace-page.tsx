import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import { EmailRequestForm } from "./email-request-form";
import type { FormInitial } from "./use-json-post";

export function FindWorkspacePage({
  title,
  subtitle,
  initial,
  sent,
}: {
  title: string;
  subtitle: string;
  initial?: FormInitial;
  sent?: boolean;
}) {
  return (
    <AuthCard header={<PublicHeader />} title={title} subtitle={subtitle}>
      <EmailRequestForm kind="find-workspace" initial={initial} sent={sent} />
    </AuthCard>
  );
}
