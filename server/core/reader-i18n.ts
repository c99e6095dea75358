import "server-only";
import { cookies } from "next/headers";
import { createTranslator } from "@/lib/i18n";
import { createFormat, DEFAULT_DIGITS, DIGITS_COOKIE, isDigits, withDigits, type Digits } from "@/lib/i18n/format";
import type { HomeI18n } from "@/components/dashboard/format";
import { getLocale } from "@/server/core/page-context";

/** The reader's digits (Latin unless they chose Khmer ones on the account page: the `phteah-digits` cookie). */
export async function readerDigits(): Promise<Digits> {
  const cookie = (await cookies()).get(DIGITS_COOKIE)?.value;
  return isDigits(cookie) ? cookie : DEFAULT_DIGITS;
}

/**
 * Words and figures translated and formatted on the server in the reader's language and digits (as
 * useI18n does in the browser), for server components whose client islands get their words as props:
 * the workspace home and the closed workspace's notice hydrate no translator (issue 17, fast on phones).
 */
export async function readerI18n(): Promise<HomeI18n> {
  const locale = await getLocale();
  const digits = await readerDigits();
  return { locale, t: withDigits(createTranslator(locale), digits), fmt: createFormat(locale, digits) };
}
