import { FindWorkspacePage } from "@/components/auth/find-workspace-page";
import { getT } from "@/server/core/page-context";
import { formErrorFromQuery } from "@/lib/form-errors";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getT();
  const query = await searchParams;
  return (
    <FindWorkspacePage
      title={t("auth.findWorkspaceTitle")}
      subtitle={t("auth.findWorkspaceHelp")}
      initial={formErrorFromQuery(query, ["email"], t)}
      sent={query.sent === "1"}
    />
  );
}
