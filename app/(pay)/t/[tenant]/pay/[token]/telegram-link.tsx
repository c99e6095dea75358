import { getT } from "@/server/core/page-context";
import { telegramLinkForPayToken } from "@/server/notifications/telegram-pay-link";

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
      <div className="mt-3 flex items-center gap-3">
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made by the server */}
        <img src={link.qr} alt={t("telegram.panel.qrAlt")} width={96} height={96} className="rounded bg-white" />
        <a
          href={link.url}
          className="inline-flex min-h-10 items-center justify-center rounded-lg bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800"
          rel="noreferrer"
        >
          {t("telegram.pay.open")}
        </a>
      </div>
    </aside>
  );
}
