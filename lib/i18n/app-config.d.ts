// Types next-intl's own APIs (useTranslations, getTranslations, useLocale) with our locales and
// catalog, so a key that is not in the English catalog fails the type check there too.
import type { Locale, Messages } from "./config";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
