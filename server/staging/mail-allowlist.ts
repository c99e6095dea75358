import "server-only";
import { randomUUID } from "node:crypto";
import { parseMailAllowList } from "@/env";
import { logger } from "@/server/core/observability/logger";

/** The provider name a captured staging message is recorded with (message log `provider`). */
export const STAGING_CAPTURE_PROVIDER = "staging-capture";

/** Whether `address` is on the staging allow-list: the exact address, or its domain (or a parent domain). */
export function isAllowedOnStaging(address: string, allowList: readonly string[]): boolean {
  const to = address.trim().toLowerCase();
  const at = to.lastIndexOf("@");
  if (at < 1) return false;
  const domain = to.slice(at + 1);
  return allowList.some((entry) => (entry.includes("@") ? entry === to : domain === entry || domain.endsWith(`.${entry}`)));
}

interface Transport<M extends { to: string }> {
  readonly name: string;
  send(message: M): Promise<{ id: string; provider?: string }>;
}

/**
 * Staging (APP_ENV=staging): a message to an address on STAGING_MAIL_ALLOWLIST goes through the
 * real transport; any other is captured: not handed to the provider, logged, and recorded with
 * the provider `staging-capture` (the message log shows it), so a staging copy of production data
 * can never mail a real renter.
 */
export function stagingMailTransport<M extends { to: string; tags?: Record<string, string> }>(
  inner: Transport<M>,
  allowListSetting: string | undefined,
): Transport<M> {
  const allowList = parseMailAllowList(allowListSetting);
  return {
    name: inner.name,
    async send(message) {
      if (isAllowedOnStaging(message.to, allowList)) return inner.send(message);
      const id = `captured-${randomUUID()}`;
      logger.info(
        { providerId: id, kind: message.tags?.kind },
        "staging: message captured, not sent (recipient not on STAGING_MAIL_ALLOWLIST)",
      );
      return { id, provider: STAGING_CAPTURE_PROVIDER };
    },
  };
}
