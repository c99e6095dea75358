/**
 * A one-time Telegram deep link as its QR code (a data: URL made by the server) and a button that
 * opens it: the pay page's Telegram box and the renter portal's settings. No hooks and no browser
 * code: it renders in server components as well.
 */
export function TelegramLinkQr({ url, qr, qrAlt, label, size }: { url: string; qr: string; qrAlt: string; label: string; size: number }) {
  return (
    <div className="mt-3 flex items-center gap-3">
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made by the server */}
      <img src={qr} alt={qrAlt} width={size} height={size} className="rounded bg-white" />
      <a
        href={url}
        rel="noreferrer"
        className="inline-flex min-h-10 items-center justify-center rounded-lg bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800"
      >
        {label}
      </a>
    </div>
  );
}
