// next-intl's error handling, shared by the server's translator (./index.ts, i18n/request.ts) and the
// browser's (./client.tsx); apart from ./config.ts, which the workspace home's islands import and which
// must load no i18n library (issue 17).
import { IntlErrorCode, type IntlError } from "use-intl/core";
import { lookup } from "./config";

/**
 * next-intl's error handling, the same on the server and in the browser:
 * - a missing key renders as the key itself (callers such as the audit labels test for that,
 *   and km is filled from en before it is used, so a key missing in Khmer shows the English);
 * - a message that cannot be formatted (a param not passed) renders as written; `withParams`
 *   then fills in the params it did get and leaves the others as `{name}`, as the hand-written
 *   translator did;
 * - nothing throws. Formatting problems are logged in development only.
 */
export function intlErrorHandling(messages: unknown) {
  return {
    onError(error: IntlError) {
      if (error.code === IntlErrorCode.MISSING_MESSAGE) return;
      if (process.env.NODE_ENV === "development") console.error(error);
    },
    getMessageFallback({ key, namespace, error }: { key: string; namespace?: string; error: IntlError }): string {
      const path = namespace ? `${namespace}.${key}` : key;
      if (error.code === IntlErrorCode.MISSING_MESSAGE || error.code === IntlErrorCode.INSUFFICIENT_PATH) return path;
      return lookup(messages, path) ?? path;
    },
  };
}
