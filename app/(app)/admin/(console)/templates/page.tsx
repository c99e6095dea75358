import { TemplateEditor } from "@/components/templates/template-editor";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminTemplatesPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="templates-heading">
        {t("templates.consoleTitle")}
      </h1>
      <p className="max-w-3xl text-sm text-slate-600">{t("templates.consoleIntro")}</p>
      <TemplateEditor mode="admin" />
    </div>
  );
}
