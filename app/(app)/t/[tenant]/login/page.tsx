import { redirect } from "next/navigation";
import { LoginPage } from "@/components/auth/login-page";
import { getSessionUser } from "@/server/core/page-context";
import { authPageProps } from "@/server/auth/auth-pages.public";

export default async function TenantLogin({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await getSessionUser()) redirect("/");
  return <LoginPage {...(await authPageProps(await searchParams)).login} />;
}
