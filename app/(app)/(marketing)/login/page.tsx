import { redirect } from "next/navigation";
import { LoginPage } from "@/components/auth/login-page";
import { YourWorkspacesPage } from "@/components/auth/your-workspaces";
import { getSessionUser, getT } from "@/server/core/page-context";
import { authPageProps } from "@/server/auth/auth-pages.public";
import { workspaceLinksOf } from "@/server/auth/find-workspace.public";

export default async function AdminLogin({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getSessionUser();
  if (user?.isPlatformAdmin) redirect("/admin");
  if (user) {
    // signed in on the apex but not staff: sessions are per host, so offer each workspace's own sign-in
    const t = await getT();
    return (
      <YourWorkspacesPage
        title={t("auth.yourWorkspacesTitle")}
        subtitle={t("auth.yourWorkspacesHelp", { email: user.email })}
        empty={t("auth.noWorkspaces")}
        workspaces={await workspaceLinksOf(user.userId)}
      />
    );
  }
  return <LoginPage {...(await authPageProps(await searchParams)).login} />;
}
