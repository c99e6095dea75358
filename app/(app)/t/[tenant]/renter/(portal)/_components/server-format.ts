import "server-only";
import { getLocale, getScope } from "@/server/core/page-context";
import { createFormat, type Formatter } from "@/lib/i18n/format";
import { readerDigits } from "@/server/core/reader-i18n";

/** Dates and money for a portal page on the server: the page's language and digits, the workspace's time zone. */
export async function portalFormat(): Promise<{ fmt: Formatter; timeZone: string }> {
  const scope = await getScope();
  return {
    fmt: createFormat(await getLocale(), await readerDigits()),
    timeZone: scope?.kind === "tenant" ? scope.tenant.timezone : "Asia/Phnom_Penh",
  };
}
