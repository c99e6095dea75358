import "server-only";
import { cookies } from "next/headers";
import { getLocale, getScope } from "@/server/core/page-context";
import { createFormat, DEFAULT_DIGITS, DIGITS_COOKIE, isDigits, type Formatter } from "@/lib/i18n/format";

/** Dates and money for a portal page on the server: the page's language and digits, the workspace's time zone. */
export async function portalFormat(): Promise<{ fmt: Formatter; timeZone: string }> {
  const digits = (await cookies()).get(DIGITS_COOKIE)?.value;
  const scope = await getScope();
  return {
    fmt: createFormat(await getLocale(), isDigits(digits) ? digits : DEFAULT_DIGITS),
    timeZone: scope?.kind === "tenant" ? scope.tenant.timezone : "Asia/Phnom_Penh",
  };
}
