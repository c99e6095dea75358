import "server-only";
import { getEnv, LOCAL_BAKONG_CALLBACK_SECRET, usesLocalBakongSecret, type Env } from "@/env";

/** SystemSetting key of a Bakong token renewed by the reconciliation job (it outlives the env one). */
export const BAKONG_TOKEN_SETTING = "bakong.api_token";

export interface BakongConfig {
  /** null when no Bakong API is configured (development without the fake): checkout is unavailable */
  apiBaseUrl: string | null;
  apiToken: string;
  apiEmail: string | null;
  callbackSecret: string;
  accountId: string;
  merchantName: string;
  merchantCity: string;
  /** show "simulate payment" (local fake only) */
  simulator: boolean;
}

/** Development and tests get local defaults; production must set every key (env.ts refuses to start otherwise). */
const LOCAL_DEFAULTS = {
  apiToken: "local-fake-bakong-token",
  accountId: "phteah@aclb",
  merchantName: "Phteah",
  merchantCity: "Phnom Penh",
};

export function bakongConfig(env: Env = getEnv()): BakongConfig {
  const local = env.NODE_ENV !== "production";
  const pick = (value: string | undefined, fallback: string) => value ?? (local ? fallback : "");
  return {
    apiBaseUrl: env.BAKONG_API_BASE_URL ?? null,
    apiToken: pick(env.BAKONG_API_TOKEN, LOCAL_DEFAULTS.apiToken),
    apiEmail: env.BAKONG_API_EMAIL ?? null,
    // the public local secret only on a localhost development/test server (env.ts refuses the rest);
    // an empty secret verifies nothing (verifyBakongSignature refuses every callback)
    callbackSecret: env.BAKONG_CALLBACK_SECRET ?? (usesLocalBakongSecret(env) ? LOCAL_BAKONG_CALLBACK_SECRET : ""),
    accountId: pick(env.BAKONG_ACCOUNT_ID, LOCAL_DEFAULTS.accountId),
    merchantName: pick(env.BAKONG_MERCHANT_NAME, LOCAL_DEFAULTS.merchantName),
    merchantCity: pick(env.BAKONG_MERCHANT_CITY, LOCAL_DEFAULTS.merchantCity),
    simulator: env.BAKONG_SIMULATOR === "1",
  };
}
