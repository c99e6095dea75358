import { redirect } from "next/navigation";
import { LoginPage } from "@/components/auth/login-page";
import { getSessionUser } from "@/server/core/page-context";
import { authPageProps } from "@/server/auth/auth-pages.public";

export default async function AdminLogin({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getSessionUser();
  if (user?.isPlatformAdmin) redirect("/admin");
  return <LoginPage {...(await authPageProps(await searchParams)).login} />;
}
