import { ResetPasswordPage } from "@/components/auth/password-pages";
import { authPageProps } from "@/server/auth/auth-pages.public";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const token = typeof query.token === "string" ? query.token : undefined;
  return <ResetPasswordPage {...(await authPageProps(query)).reset} token={token} />;
}
