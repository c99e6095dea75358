"use client";
import { useI18n } from "@/lib/i18n/client";

/** What a payment received in the invoice's other currency carries besides its credited amount (docs/CURRENCY.md). */
export interface ReceivedMoney {
  receivedAmount: number | null;
  receivedCurrency: string | null;
  khrPerUsd: number | null;
}

/**
 * "៛412,000 at 4,120 ៛/$" next to a payment's settled amount when it was received in the other
 * currency (a USD invoice paid in riel, a KHR invoice paid in dollars); nothing otherwise. The
 * settled amount itself stays in the invoice's currency.
 */
export function ReceivedAs({ payment, className = "" }: { payment: ReceivedMoney; className?: string }) {
  const { t, fmt } = useI18n();
  const { receivedAmount, receivedCurrency, khrPerUsd } = payment;
  if (receivedAmount === null || !receivedCurrency || !khrPerUsd) return null;
  const values = { amount: fmt.money(receivedAmount, receivedCurrency), rate: fmt.number(khrPerUsd) };
  return (
    <span className={`block text-xs font-normal tabular-nums text-slate-500 ${className}`} data-testid="payment-received">
      <span aria-hidden="true">{t("currency.receivedAt", values)}</span>
      <span className="sr-only">{t("currency.receivedLabel", values)}</span>
    </span>
  );
}
