import { getT } from "@/server/core/page-context";
import { telegramLinkForPayToken } from "@/server/notifications/telegram-pay-link";
import { TelegramLinkQr } from "@/components/telegram/telegram-link-qr";

/**
 * Server component on the renter pay page: a one-time link (and QR code) that links the renter's
 * Telegram, so the next invoices, reminders and receipts come there. Nothing when Telegram is off or
 * the renter is already linked. No browser code.
 */
export async function TelegramPayLink({ tenantId, payToken }: { tenantId: string; payToken: string }) {
  const link = await telegramLinkForPayToken(tenantId, payToken).catch(() => null);
  if (!link) return null;
  const t = await getT();
  return (
    <aside className="rounded-2xl border border-sky-200 bg-sky-50 p-4 text-sm" data-testid="pay-telegram">
      <h2 className="font-semibold text-slate-900">{t("telegram.pay.title")}</h2>
      <p className="mt-1 text-slate-700">{t("telegram.pay.body")}</p>
      <TelegramLinkQr url={link.url} qr={link.qr} qrAlt={t("telegram.panel.qrAlt")} label={t("telegram.pay.open")} size={96} />
    </aside>
  );
}
