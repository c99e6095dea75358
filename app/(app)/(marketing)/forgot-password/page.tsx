import { ForgotPasswordPage } from "@/components/auth/password-pages";
import { authPageProps } from "@/server/auth/auth-pages.public";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <ForgotPasswordPage {...(await authPageProps(await searchParams)).forgot} />;
}
