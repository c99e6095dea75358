import type { Translator } from "@/lib/i18n/config";

/**
 * An invoice's "Pay" button in the renter portal (its home and its invoices list): the invoice's
 * pay page, with its KHQR. Nothing when the invoice cannot be paid online. Renders on the server
 * (the home) and in the browser (the list) alike, with the translator of either.
 */
export function PortalPayLink({
  invoice,
  t,
  testId,
  large = false,
}: {
  invoice: { number: string; payUrl: string | null };
  t: Translator;
  testId: string;
  large?: boolean;
}) {
  if (!invoice.payUrl) return null;
  return (
    <a
      href={invoice.payUrl}
      aria-label={t("portalPages.invoices.payInvoice", { number: invoice.number })}
      className={`rounded-lg bg-teal-700 ${large ? "px-4 py-2" : "px-3 py-1.5"} text-sm font-medium text-white hover:bg-teal-800`}
      data-testid={testId}
    >
      {t("portalPages.invoices.pay")}
    </a>
  );
}
