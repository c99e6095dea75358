import { getT } from "@/server/core/page-context";

/** What every page of a suspended workspace shows (app/(app)'s tenant layout; the pay page draws the same in server/pay-page/document.ts). */
export async function WorkspaceSuspended({ workspace }: { workspace: string }) {
  const t = await getT();
  return (
    <main
      id="main"
      className="flex min-h-screen flex-col items-center justify-center gap-3 bg-slate-50 px-4 text-center"
      data-testid="suspended"
    >
      <h1 className="text-2xl font-semibold">{t("workspace.suspendedTitle")}</h1>
      <p className="max-w-md text-slate-600">{t("workspace.suspendedBody", { workspace })}</p>
    </main>
  );
}
