import { ResetPasswordPage } from "@/components/auth/password-pages";
import { authPageProps } from "@/server/auth-pages";

export default async function Page({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  return <ResetPasswordPage {...(await authPageProps()).reset} token={(await searchParams).token} />;
}
