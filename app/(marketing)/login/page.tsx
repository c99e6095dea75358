import { redirect } from "next/navigation";
import { LoginPage } from "@/components/auth/login-page";
import { getSessionUser } from "@/server/page-context";
import { authPageProps } from "@/server/auth-pages";

export default async function AdminLogin({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getSessionUser();
  if (user?.isPlatformAdmin) redirect("/admin");
  return <LoginPage {...(await authPageProps(await searchParams)).login} />;
}
