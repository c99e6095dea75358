// KHQR (Cambodia's EMVCo QR) for one payment attempt, built with NBC's `bakong-khqr` SDK.
// Facts: docs/BAKONG.md §2. Pure functions, no secrets, no I/O: imported by services, the local
// fake Bakong API and unit tests alike (hence no `server-only` marker).
//
// Amounts cross this module in integer minor units (USD cents, KHR riel). The SDK wants USD as a
// decimal with at most 2 places: we pass the string `minorToDecimal(cents, "USD")`, which it copies
// into tag 54 as is ("10.00"); a JS number would lose the trailing zeros ("10").
import { createHash } from "node:crypto";
import { BakongKHQR, IndividualInfo, khqrData, type KHQROptionalData } from "bakong-khqr";
import { decimalToMinor, minorToDecimal } from "@/lib/money";

export type KhqrCurrency = "USD" | "KHR";

/** An SDK error code (docs/BAKONG.md §2, e.g. 4 amount invalid, 50 expiration in the past) and its message. */
export class KhqrError extends Error {
  constructor(
    readonly errorCode: number | null,
    message: string,
  ) {
    super(message);
    this.name = "KhqrError";
  }
}

export interface GenerateKhqrInput {
  /** receiving Bakong account, e.g. "phteah@aclb" (≤ 32 chars, contains "@") */
  accountId: string;
  /** ≤ 25 chars */
  merchantName: string;
  /** ≤ 15 chars */
  merchantCity: string;
  /** integer minor units: USD cents, KHR riel; > 0 */
  amount: number;
  currency: KhqrCurrency;
  /** ≤ 25 chars; shown in the payer's app and stored with the transaction */
  billNumber: string;
  /** the QR stops being payable at this instant (must be in the future) */
  expiresAt: Date;
  /** ≤ 25 chars */
  storeLabel?: string;
}

export interface DecodedKhqr {
  accountId: string;
  merchantName: string | null;
  merchantCity: string | null;
  /** integer minor units (USD cents, KHR riel); null for a static QR (payer types the amount) */
  amount: number | null;
  currency: KhqrCurrency;
  billNumber: string | null;
  storeLabel: string | null;
  /** point of initiation "12" (one payment) vs "11" (static, reusable) */
  dynamic: boolean;
  createdAt: Date | null;
  expiration: Date | null;
}

// SDK error codes, reused for our own up-front validation so callers see one vocabulary.
const E = {
  ACCOUNT_REQUIRED: 1,
  MERCHANT_NAME_REQUIRED: 2,
  ACCOUNT_INVALID: 3,
  AMOUNT_INVALID: 4,
  ACCOUNT_LENGTH: 6,
  MERCHANT_NAME_LENGTH: 7,
  KHQR_INVALID: 8,
  BILL_NUMBER_LENGTH: 10,
  STORE_LABEL_LENGTH: 11,
  MERCHANT_CITY_LENGTH: 21,
  MERCHANT_CITY_REQUIRED: 27,
  UNSUPPORTED_CURRENCY: 28,
  EXPIRATION_PAST: 50,
} as const;

const LIMITS = { accountId: 32, merchantName: 25, merchantCity: 15, billNumber: 25, storeLabel: 25, amountChars: 13 } as const;
/** EMVCo "ans" fields: printable ASCII (Khmer belongs in the alternate-language template, which we do not use). */
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;
const CURRENCY_CODE: Record<KhqrCurrency, 116 | 840> = { USD: khqrData.currency.usd, KHR: khqrData.currency.khr };

function checkText(value: unknown, field: string, max: number, codes: { required: number; length: number }): string {
  if (typeof value !== "string" || value.trim() === "") throw new KhqrError(codes.required, `KHQR ${field} is required`);
  if (value.length > max) throw new KhqrError(codes.length, `KHQR ${field} must be at most ${max} characters (got ${value.length})`);
  if (!PRINTABLE_ASCII.test(value)) throw new KhqrError(codes.length, `KHQR ${field} must be printable ASCII`);
  return value;
}

/** The amount as the SDK wants it: KHR an integer number, USD a 2-decimal string. */
function sdkAmount(amount: unknown, currency: KhqrCurrency): number | string {
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0)
    throw new KhqrError(
      E.AMOUNT_INVALID,
      `KHQR amount must be a positive integer in minor units (USD cents, KHR riel); got ${String(amount)}`,
    );
  const value = currency === "USD" ? minorToDecimal(amount, currency) : amount;
  if (String(value).length > LIMITS.amountChars)
    throw new KhqrError(E.AMOUNT_INVALID, `KHQR amount ${String(value)} is longer than ${LIMITS.amountChars} characters`);
  return value;
}

/**
 * A dynamic individual KHQR for one payment attempt. Every call embeds the creation time, so two
 * calls never share an md5: one attempt = one md5 (the key for `check_transaction_by_md5`).
 * Throws KhqrError on invalid input (checked here first) or when the SDK refuses (status code 1).
 */
export function generateKhqr(input: GenerateKhqrInput): { qr: string; md5: string } {
  const accountId = checkText(input.accountId, "accountId", LIMITS.accountId, { required: E.ACCOUNT_REQUIRED, length: E.ACCOUNT_LENGTH });
  const at = accountId.indexOf("@");
  if (at <= 0 || at === accountId.length - 1 || accountId.indexOf("@", at + 1) !== -1 || /\s/.test(accountId))
    throw new KhqrError(E.ACCOUNT_INVALID, `KHQR accountId must look like name@bank (got "${accountId}")`);
  const merchantName = checkText(input.merchantName, "merchantName", LIMITS.merchantName, {
    required: E.MERCHANT_NAME_REQUIRED,
    length: E.MERCHANT_NAME_LENGTH,
  });
  const merchantCity = checkText(input.merchantCity, "merchantCity", LIMITS.merchantCity, {
    required: E.MERCHANT_CITY_REQUIRED,
    length: E.MERCHANT_CITY_LENGTH,
  });
  if (input.currency !== "USD" && input.currency !== "KHR")
    throw new KhqrError(E.UNSUPPORTED_CURRENCY, `KHQR currency must be USD or KHR (got ${String(input.currency)})`);
  const amount = sdkAmount(input.amount, input.currency);
  const billNumber = checkText(input.billNumber, "billNumber", LIMITS.billNumber, {
    required: E.BILL_NUMBER_LENGTH,
    length: E.BILL_NUMBER_LENGTH,
  });
  const storeLabel =
    input.storeLabel === undefined
      ? undefined
      : checkText(input.storeLabel, "storeLabel", LIMITS.storeLabel, { required: E.STORE_LABEL_LENGTH, length: E.STORE_LABEL_LENGTH });
  const expiresMs = input.expiresAt instanceof Date ? input.expiresAt.getTime() : NaN;
  if (!Number.isFinite(expiresMs)) throw new KhqrError(E.EXPIRATION_PAST, "KHQR expiresAt must be a valid Date");
  if (expiresMs <= Date.now())
    throw new KhqrError(E.EXPIRATION_PAST, `KHQR expiresAt must be in the future (got ${new Date(expiresMs).toISOString()})`);

  const optional: KHQROptionalData = {
    currency: CURRENCY_CODE[input.currency],
    amount,
    billNumber,
    expirationTimestamp: expiresMs,
    ...(storeLabel ? { storeLabel } : {}),
  };
  // Constructor order per the SDK source: (account, merchantName, merchantCity, optional). The README's order is wrong.
  const result = new BakongKHQR().generateIndividual(new IndividualInfo(accountId, merchantName, merchantCity, optional));
  if (result.status.code !== 0 || !result.data)
    throw new KhqrError(result.status.errorCode ?? null, `KHQR generation failed: ${result.status.message ?? "unknown error"}`);
  return { qr: result.data.qr, md5: result.data.md5 };
}

/** CRC, structure and (for a dynamic QR) not yet expired, per the SDK. */
export function verifyKhqr(qr: string): boolean {
  if (typeof qr !== "string" || qr.length === 0) return false;
  try {
    return BakongKHQR.verify(qr).isValid === true;
  } catch {
    return false;
  }
}

function msDate(value: string | null): Date | null {
  if (!value || !/^\d{13}$/.test(value)) return null;
  return new Date(Number(value));
}

/**
 * The fields of a KHQR we care about. Verifies first (the SDK's decode does not validate), so an
 * expired dynamic QR throws unless `allowExpired` (then only our own CRC check + the structure).
 */
export function decodeKhqr(qr: string, opts: { allowExpired?: boolean } = {}): DecodedKhqr {
  const valid = verifyKhqr(qr) || (opts.allowExpired === true && crcMatches(qr));
  if (!valid) throw new KhqrError(E.KHQR_INVALID, "KHQR provided is invalid");
  const decoded = BakongKHQR.decode(qr);
  const d = decoded.data;
  if (decoded.status.code !== 0 || !d || !d.bakongAccountID) throw new KhqrError(E.KHQR_INVALID, "KHQR provided is invalid");
  const currency: KhqrCurrency | null = d.transactionCurrency === "840" ? "USD" : d.transactionCurrency === "116" ? "KHR" : null;
  if (!currency) throw new KhqrError(E.UNSUPPORTED_CURRENCY, `KHQR currency ${String(d.transactionCurrency)} is not supported`);
  let amount: number | null = null;
  if (d.transactionAmount !== null && d.transactionAmount !== "") {
    amount = decimalToMinor(d.transactionAmount, currency);
    if (amount === null) throw new KhqrError(E.AMOUNT_INVALID, `KHQR amount ${d.transactionAmount} is invalid for ${currency}`);
  }
  return {
    accountId: d.bakongAccountID,
    merchantName: d.merchantName,
    merchantCity: d.merchantCity,
    amount,
    currency,
    billNumber: d.billNumber,
    storeLabel: d.storeLabel,
    dynamic: d.pointofInitiationMethod === "12",
    createdAt: msDate(d.creationTimestamp),
    expiration: msDate(d.expirationTimestamp),
  };
}

function crcMatches(qr: string): boolean {
  if (typeof qr !== "string" || !/6304[0-9A-Fa-f]{4}$/.test(qr)) return false;
  return crc16(qr.slice(0, -4)) === qr.slice(-4).toUpperCase();
}

/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) over the UTF-8
 * bytes, as 4 upper-case hex digits: the value of EMVCo tag 63, computed over everything up to
 * and including "6304". crc16("123456789") = "29B1".
 */
export function crc16(s: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(s, "utf8")) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

/** Lowercase hex MD5 of the UTF-8 string: the key Bakong uses for a QR (`check_transaction_by_md5`). */
export function md5Hex(s: string): string {
  return createHash("md5").update(s, "utf8").digest("hex");
}
