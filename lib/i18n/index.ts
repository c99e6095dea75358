// Message catalogs and the translator used outside React (route handlers, e-mails, PDFs, jobs),
// backed by next-intl's createTranslator (ICU messages: `{name}`, `{count, plural, ...}`).
// English is the reference catalog; the Khmer one must have exactly the same keys (typed).
// Server-only through ./catalogs; client components use ./config and ./client.
import { createTranslator as createIntlTranslator, _createCache, _createIntlFormatters } from "use-intl/core";
import { catalogs, completeFromEnglish, messagesFor } from "./catalogs";
import {
  DEFAULT_TIME_ZONE,
  withParams,
  type Locale,
  type MessageKey,
  type Messages,
  type TranslateParams,
  type Translator,
} from "./config";
import { intlErrorHandling } from "./intl-errors";

export {
  LOCALES,
  DEFAULT_LOCALE,
  LOCALE_COOKIE,
  DEFAULT_TIME_ZONE,
  isLocale,
  localeFromAcceptLanguage,
  lookup,
  type Locale,
  type Messages,
  type MessageKey,
  type TranslateParams,
  type Translator,
} from "./config";
export { catalogs, messagesFor } from "./catalogs";

// parsed messages and Intl formatters, shared by every translator of the process
const cache = _createCache();
const formatters = _createIntlFormatters(cache);

function translatorFor(locale: Locale, messages: Messages): Translator {
  const t = createIntlTranslator({
    locale,
    messages,
    timeZone: DEFAULT_TIME_ZONE,
    ...intlErrorHandling(messages),
    _cache: cache,
    _formatters: formatters,
  });
  return withParams(messages, (key, params) => t(key as MessageKey, params));
}

const translators = new Map<Locale, Translator>();

export function createTranslator(locale: Locale): Translator {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = translatorFor(locale, messagesFor(locale))));
  return t;
}

/** One message of `messages` (English where it lacks the key; the key itself where both do). */
export function translate(messages: Messages, key: MessageKey | string, params?: TranslateParams): string {
  const locale: Locale = messages === catalogs.km ? "km" : "en";
  return translatorFor(locale, completeFromEnglish(messages))(key as MessageKey, params);
}
