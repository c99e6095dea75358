// next-intl's request configuration (the plugin in next.config.ts points here): the locale comes
// from the cookie, the signed-in user's setting, Accept-Language or the workspace (getLocale),
// never from the URL. Server components may use next-intl's getTranslations with it; the root
// layout reads the active locale's messages from it for the browser.
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_TIME_ZONE, messagesFor } from "@/lib/i18n";
import { intlErrorHandling } from "@/lib/i18n/intl-errors";
import { getLocale } from "@/server/core/page-context";

export default getRequestConfig(async () => {
  const locale = await getLocale();
  const messages = messagesFor(locale);
  return { locale, messages, timeZone: DEFAULT_TIME_ZONE, ...intlErrorHandling(messages) };
});
