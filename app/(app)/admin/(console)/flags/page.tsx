import { FlagsTable } from "@/components/admin/flags/flags-table";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminFlagsPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="flags-heading">
        {t("flags.title")}
      </h1>
      <p className="max-w-3xl text-sm text-slate-600">{t("flags.intro")}</p>
      <FlagsTable />
    </div>
  );
}
