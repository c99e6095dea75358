import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getT } from "@/server/core/page-context";
import { requireRenter } from "@/server/portal/renter-session";
import { renterProfile, renterTelegramLink, workspaceTelegramOn } from "@/server/portal/renter-auth";
import { TelegramLinkQr } from "@/components/telegram/telegram-link-qr";
import { RenterSettingsForm } from "./settings-form";

// /renter/settings: the renter's message channel and language, and their Telegram link while unlinked.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("renterPortal.settings.title"), robots: { index: false, follow: false } };
}

export default async function RenterSettingsPage() {
  const renter = await requireRenter();
  const profile = await renterProfile(renter);
  if (!profile) redirect("/renter/login");
  const t = await getT();
  const link = profile.telegramLinked ? null : await renterTelegramLink(renter).catch(() => null);
  // no link to show (too many live ones, or no bot): "off" only when the workspace has no bot at all
  const telegramOn = profile.telegramLinked || link !== null || (await workspaceTelegramOn(renter.tenantId));
  return (
    <main id="main" className="space-y-6 px-4 py-6">
      <h1 className="text-2xl font-semibold text-slate-900">{t("renterPortal.settings.title")}</h1>
      <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="renter-telegram">
        <h2 className="font-semibold text-slate-900">{t("renterPortal.settings.telegram")}</h2>
        {profile.telegramLinked ? (
          <p className="mt-1 text-sm text-slate-700">{t("renterPortal.settings.telegramLinked")}</p>
        ) : link ? (
          <>
            <p className="mt-1 text-sm text-slate-700">{t("renterPortal.settings.telegramNotLinked")}</p>
            <TelegramLinkQr
              url={link.url}
              qr={link.qr}
              qrAlt={t("renterPortal.settings.qrAlt")}
              label={t("renterPortal.settings.telegramOpen")}
              size={112}
            />
          </>
        ) : (
          <p className="mt-1 text-sm text-slate-700">
            {telegramOn ? t("renterPortal.settings.telegramNotLinked") : t("renterPortal.settings.telegramOff")}
          </p>
        )}
      </section>
      <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <RenterSettingsForm channel={profile.messageChannel} locale={profile.locale} />
      </section>
    </main>
  );
}
