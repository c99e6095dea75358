// Bakong Open API v1 over the global fetch (docs/BAKONG.md §3). The same client talks to NBC, a
// relay that mirrors the API, or the local fake (server/testing/fake-bakong.ts): only the base URL
// and token differ. Never the SDK's own HTTP helpers (they bundle an old axios).
//
// Envelope: { responseCode: 0|1, responseMessage, errorCode: number|null, data }. "Not found" is
// HTTP 200 + responseCode 1 + errorCode 1; errorCode 3 = transaction failed; HTTP 401 or
// errorCode 6 = bad/expired token; HTTP 403 = geo-blocked (NBC answers foreign IPs with 403).

export type BakongApiErrorKind = "unauthorized" | "geo_blocked" | "rate_limited" | "server" | "network" | "bad_response";

export class BakongApiError extends Error {
  readonly kind: BakongApiErrorKind;
  readonly httpStatus: number | null;
  readonly errorCode: number | null;
  /** from Retry-After (seconds or an HTTP date) on 429/503; null when absent */
  readonly retryAfterMs: number | null;

  constructor(
    kind: BakongApiErrorKind,
    message: string,
    opts: { httpStatus?: number | null; errorCode?: number | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "BakongApiError";
    this.kind = kind;
    this.httpStatus = opts.httpStatus ?? null;
    this.errorCode = opts.errorCode ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}

export interface BakongTransaction {
  /** 64 hex */
  hash: string;
  fromAccountId: string;
  toAccountId: string;
  currency: "USD" | "KHR" | string;
  /** major units as Bakong sends it (USD dollars, KHR riel); see majorToMinor in lib/money.ts */
  amount: number;
  description?: string | null;
  createdDateMs?: number;
  acknowledgedDateMs?: number | null;
  externalRef?: string | null;
}

export type Md5Check =
  | { md5: string; status: "found"; transaction: BakongTransaction }
  | { md5: string; status: "not_found" }
  | { md5: string; status: "failed"; errorCode: number | null };

export interface BakongSourceInfo {
  appName: string;
  appIconUrl?: string;
  appDeepLinkCallback?: string;
}

export const BAKONG_MD5_LIST_MAX = 50;

const ERROR_NOT_FOUND = 1;
const ERROR_FAILED = 3;
const ERROR_UNAUTHORIZED = 6;
const ERROR_EMAIL_NOT_REGISTERED = 10;
const MD5 = /^[0-9a-f]{32}$/i;

interface Envelope {
  httpStatus: number;
  responseCode: number;
  responseMessage: string | null;
  errorCode: number | null;
  data: unknown;
}

function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function numberOrNull(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** The transaction object Bakong returns as `data`; bad_response when the essentials are missing. */
function parseTransaction(data: unknown, where: string): BakongTransaction {
  if (!isRecord(data)) throw new BakongApiError("bad_response", `Bakong ${where}: transaction data missing`);
  const hash = stringOrNull(data.hash);
  const toAccountId = stringOrNull(data.toAccountId);
  const currency = stringOrNull(data.currency);
  const amount = numberOrNull(data.amount);
  if (!hash || !toAccountId || !currency || amount === null)
    throw new BakongApiError("bad_response", `Bakong ${where}: transaction lacks hash/toAccountId/currency/amount`);
  const tx: BakongTransaction = {
    hash,
    fromAccountId: stringOrNull(data.fromAccountId) ?? "",
    toAccountId,
    currency,
    amount,
    description: stringOrNull(data.description),
    acknowledgedDateMs: numberOrNull(data.acknowledgedDateMs),
    externalRef: stringOrNull(data.externalRef),
  };
  const created = numberOrNull(data.createdDateMs);
  if (created !== null) tx.createdDateMs = created;
  return tx;
}

export class BakongClient {
  private readonly baseUrl: string;
  private token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(opts: { baseUrl: string; token: string; fetchImpl?: typeof fetch; timeoutMs?: number }) {
    if (!opts.baseUrl) throw new TypeError("BakongClient needs a baseUrl");
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.token = opts.token;
    // looked up per call so tests that replace globalThis.fetch are honoured
    this.fetchImpl = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  setToken(token: string): void {
    this.token = token;
  }

  /** One QR's payment: found (with Bakong's transaction) / not_found / failed. */
  async checkByMd5(md5: string): Promise<Md5Check> {
    assertMd5(md5);
    const env = await this.post("check_transaction_by_md5", { md5 });
    if (env.responseCode === 0) return { md5, status: "found", transaction: parseTransaction(env.data, "check_transaction_by_md5") };
    if (env.errorCode === ERROR_NOT_FOUND) return { md5, status: "not_found" };
    if (env.errorCode === ERROR_FAILED) return { md5, status: "failed", errorCode: env.errorCode };
    throw unexpected("check_transaction_by_md5", env);
  }

  /**
   * Up to 50 md5s in one call; the result follows the input order. Throws RangeError above 50,
   * and bad_response if Bakong's answer leaves out an md5 we asked for (callers fall back to
   * checkByMd5 one by one, which docs/BAKONG.md recommends anyway: the list endpoint is
   * reported blocked at times).
   */
  async checkByMd5List(md5s: string[]): Promise<Md5Check[]> {
    if (md5s.length > BAKONG_MD5_LIST_MAX)
      throw new RangeError(`check_transaction_by_md5_list takes at most ${BAKONG_MD5_LIST_MAX} md5s (got ${md5s.length})`);
    if (md5s.length === 0) return [];
    md5s.forEach(assertMd5);
    const env = await this.post("check_transaction_by_md5_list", md5s);
    if (env.responseCode !== 0) throw unexpected("check_transaction_by_md5_list", env);
    if (!Array.isArray(env.data)) throw new BakongApiError("bad_response", "Bakong check_transaction_by_md5_list: data is not a list");
    const byMd5 = new Map<string, Md5Check>();
    for (const item of env.data) {
      if (!isRecord(item) || typeof item.md5 !== "string") continue;
      const md5 = item.md5.toLowerCase();
      const status = typeof item.status === "string" ? item.status.toUpperCase() : "";
      if (status === "SUCCESS") byMd5.set(md5, { md5, status: "found", transaction: parseTransaction(item.data, "md5 list") });
      else if (status === "NOT_FOUND") byMd5.set(md5, { md5, status: "not_found" });
      else if (status === "FAILED") byMd5.set(md5, { md5, status: "failed", errorCode: numberOrNull(item.errorCode) ?? ERROR_FAILED });
      else throw new BakongApiError("bad_response", `Bakong check_transaction_by_md5_list: unknown status ${String(item.status)}`);
    }
    return md5s.map((md5) => {
      const check = byMd5.get(md5.toLowerCase());
      if (!check) throw new BakongApiError("bad_response", "Bakong check_transaction_by_md5_list: an md5 is missing from the answer");
      return { ...check, md5 };
    });
  }

  /**
   * A new API token for the developer e-mail (tokens last ~90 days). Sent without the current
   * token, which is usually the expired one. The client switches to the new token itself.
   */
  async renewToken(email: string): Promise<string> {
    const env = await this.post("renew_token", { email }, { auth: false });
    if (env.responseCode !== 0) {
      if (env.errorCode === ERROR_EMAIL_NOT_REGISTERED)
        throw new BakongApiError("unauthorized", "Bakong renew_token: e-mail not registered", { errorCode: env.errorCode });
      throw unexpected("renew_token", env);
    }
    const token = isRecord(env.data) ? stringOrNull(env.data.token) : null;
    if (!token) throw new BakongApiError("bad_response", "Bakong renew_token: no token in the answer");
    this.token = token;
    return token;
  }

  /** A short link that opens the payer's Bakong app on this QR; null when Bakong declines (responseCode 1). */
  async generateDeepLink(qr: string, source?: BakongSourceInfo): Promise<string | null> {
    const body: Record<string, unknown> = { qr };
    if (source) {
      body.sourceInfo = {
        appName: source.appName,
        ...(source.appIconUrl ? { appIconUrl: source.appIconUrl } : {}),
        ...(source.appDeepLinkCallback ? { appDeepLinkCallback: source.appDeepLinkCallback } : {}),
      };
    }
    const env = await this.post("generate_deeplink_by_qr", body);
    if (env.responseCode !== 0) return null;
    return isRecord(env.data) ? stringOrNull(env.data.shortLink) : null;
  }

  private async post(name: string, body: unknown, opts: { auth?: boolean } = {}): Promise<Envelope> {
    const url = `${this.baseUrl}/v1/${name}`;
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (opts.auth !== false) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      throw new BakongApiError("network", `Bakong ${name}: ${timedOut ? `no answer within ${this.timeoutMs} ms` : "unreachable"}`, {
        cause: e,
      });
    }
    const status = res.status;
    if (status === 401)
      throw new BakongApiError("unauthorized", `Bakong ${name}: HTTP 401`, { httpStatus: status, errorCode: ERROR_UNAUTHORIZED });
    if (status === 403)
      throw new BakongApiError("geo_blocked", `Bakong ${name}: HTTP 403 (NBC refuses non-Cambodian IPs)`, { httpStatus: status });
    if (status === 429 || status >= 500) {
      const kind = status === 429 ? "rate_limited" : "server";
      throw new BakongApiError(kind, `Bakong ${name}: HTTP ${status}`, {
        httpStatus: status,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new BakongApiError("bad_response", `Bakong ${name}: HTTP ${status}, body is not JSON`, { httpStatus: status });
    }
    if (!isRecord(json) || (json.responseCode !== 0 && json.responseCode !== 1))
      throw new BakongApiError("bad_response", `Bakong ${name}: HTTP ${status}, not a Bakong envelope`, { httpStatus: status });
    const env: Envelope = {
      httpStatus: status,
      responseCode: json.responseCode,
      responseMessage: stringOrNull(json.responseMessage),
      errorCode: numberOrNull(json.errorCode),
      data: json.data ?? null,
    };
    if (env.errorCode === ERROR_UNAUTHORIZED)
      throw new BakongApiError("unauthorized", `Bakong ${name}: token rejected (errorCode 6)`, {
        httpStatus: status,
        errorCode: env.errorCode,
      });
    if (status < 200 || status >= 300)
      throw new BakongApiError("bad_response", `Bakong ${name}: HTTP ${status}: ${env.responseMessage ?? "error"}`, {
        httpStatus: status,
        errorCode: env.errorCode,
      });
    return env;
  }
}

function assertMd5(md5: string): void {
  if (typeof md5 !== "string" || !MD5.test(md5)) throw new TypeError("an md5 is 32 hex characters");
}

function unexpected(name: string, env: Envelope): BakongApiError {
  return new BakongApiError(
    "bad_response",
    `Bakong ${name}: responseCode ${env.responseCode}, errorCode ${env.errorCode ?? "null"}: ${env.responseMessage ?? ""}`,
    {
      httpStatus: env.httpStatus,
      errorCode: env.errorCode,
    },
  );
}
