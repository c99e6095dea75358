import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { WorkspaceLogo } from "@/components/files/workspace-logo";
import { WorkspaceSettingsForm } from "@/components/settings/workspace-settings-form";
import { PaymentInstructionsForm } from "@/components/settings/payment-instructions-form";
import { ExchangeRates } from "@/components/settings/exchange-rates";
import { TelegramBotSettings } from "@/components/settings/telegram-bot";
import { todayIn } from "@/lib/dates";
import { WorkspaceExport } from "@/components/settings/workspace-export";
import { DangerZone } from "@/components/settings/danger-zone";
import { dataLifecyclePolicy } from "@/server/workspaces/deletion-policy";
import { getServerCaller, getT, requireTenantMember } from "@/server/core/page-context";

export default async function SettingsPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "workspace.settings")) notFound();
  const t = await getT();
  const caller = await getServerCaller();
  const [settings, logo, payInstructions, telegramBot] = await Promise.all([
    caller.workspaceSettings.get(),
    caller.files.tenantLogo(),
    caller.workspaceSettings.paymentInstructions(),
    caller.telegram.botSettings(),
  ]);
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">{t("settings.title")}</h1>
      <WorkspaceSettingsForm initial={settings} />
      <PaymentInstructionsForm initial={payInstructions} />
      <ExchangeRates today={todayIn(ctx.tenant.timezone)} canEdit />
      <TelegramBotSettings initial={telegramBot} />
      <WorkspaceLogo initial={logo} workspace={settings.name} />
      <WorkspaceExport isOwner={ctx.roleKey === "owner"} />
      <DangerZone
        isOwner={ctx.roleKey === "owner"}
        slug={ctx.tenant.slug}
        name={settings.name}
        graceDays={dataLifecyclePolicy().WORKSPACE_DELETION_GRACE_DAYS}
      />
    </div>
  );
}
