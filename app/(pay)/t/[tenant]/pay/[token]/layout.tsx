import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { messagesFor } from "@/lib/i18n";
import { payIslandMessages } from "@/lib/i18n/pay-messages";
import { DEFAULT_DIGITS, DIGITS_COOKIE, isDigits } from "@/lib/i18n/format";
import { getLocale } from "@/server/core/page-context";
import { PayI18nProvider } from "@/components/payments/pay-i18n";

/**
 * The renter pay page mounts none of the app's client providers (the root layout leaves them out
 * for the "pay" message scope proxy.ts sets: no tRPC, react-query or next-intl in the browser,
 * issue 17). Its island and error boundary get the few strings they use from here.
 */
export default async function PayLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const digitsCookie = (await cookies()).get(DIGITS_COOKIE)?.value;
  return (
    <PayI18nProvider
      locale={locale}
      digits={isDigits(digitsCookie) ? digitsCookie : DEFAULT_DIGITS}
      messages={payIslandMessages(messagesFor(locale))}
    >
      {children}
    </PayI18nProvider>
  );
}
