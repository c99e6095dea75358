// Cambodian phone numbers → E.164 (+855…), the one form stored in Renter.phone, and the digits a
// search for a phone number looks for. Accepts what people actually write: "012 345 678",
// "012-345-678", "(012) 345 678", "+855 12 345 678", "+855 012 345 678", "855-12-345-678",
// "00855 12 345 678", and 9-digit national numbers ("097 123 4567").
import type { MessageKey } from "@/lib/i18n";

export const CAMBODIA_COUNTRY_CODE = "855";

export type PhoneError = "required" | "invalidCharacters" | "notCambodian" | "missingPrefix" | "tooShort" | "tooLong" | "invalidPrefix";

export type PhoneResult = { ok: true; e164: string } | { ok: false; error: PhoneError };

/** The message key of each refusal (i18n area `renters`). */
export const PHONE_ERROR_KEYS: Record<PhoneError, MessageKey> = {
  required: "validation.required",
  invalidCharacters: "renters.phoneErrors.invalidCharacters",
  notCambodian: "renters.phoneErrors.notCambodian",
  missingPrefix: "renters.phoneErrors.missingPrefix",
  tooShort: "renters.phoneErrors.tooShort",
  tooLong: "renters.phoneErrors.tooLong",
  invalidPrefix: "renters.phoneErrors.invalidPrefix",
};

/** National significant number: the area/operator code (never starting with 0) and 6 or 7 more digits. */
const NSN_MIN = 8;
const NSN_MAX = 9;

/** Separators people type between digit groups; anything else (letters, "#", "*") is refused. */
const SEPARATORS = /[\s\u00a0\-.()/]/g;

/**
 * Normalises a Cambodian number to E.164. National numbers start with the trunk 0 (0 + 8 or 9
 * digits); international ones with +855, 00855 or 855 (an extra trunk 0 after the country code,
 * as in "+855 012 …", is dropped). Other country codes are refused, so are wrong lengths.
 */
export function normalizeCambodianPhone(raw: string): PhoneResult {
  const input = raw.normalize("NFKC").trim();
  if (input === "") return { ok: false, error: "required" };
  const compact = input.replace(SEPARATORS, "");
  if (!/^\+?\d+$/.test(compact)) return { ok: false, error: "invalidCharacters" };

  let nsn: string;
  if (compact.startsWith("+")) {
    const digits = compact.slice(1);
    if (!digits.startsWith(CAMBODIA_COUNTRY_CODE)) return { ok: false, error: "notCambodian" };
    nsn = digits.slice(CAMBODIA_COUNTRY_CODE.length);
  } else if (compact.startsWith("00")) {
    const digits = compact.slice(2);
    if (!digits.startsWith(CAMBODIA_COUNTRY_CODE)) return { ok: false, error: "notCambodian" };
    nsn = digits.slice(CAMBODIA_COUNTRY_CODE.length);
  } else if (compact.startsWith("0")) {
    nsn = compact.slice(1);
  } else if (compact.startsWith(CAMBODIA_COUNTRY_CODE) && compact.length >= CAMBODIA_COUNTRY_CODE.length + NSN_MIN) {
    nsn = compact.slice(CAMBODIA_COUNTRY_CODE.length);
  } else {
    return { ok: false, error: "missingPrefix" };
  }
  // "+855 012 345 678": the trunk 0 written after the country code
  if (nsn.startsWith("0") && nsn.length > NSN_MIN) nsn = nsn.slice(1);
  if (nsn.length < NSN_MIN) return { ok: false, error: "tooShort" };
  if (nsn.length > NSN_MAX) return { ok: false, error: "tooLong" };
  if (nsn.startsWith("0")) return { ok: false, error: "invalidPrefix" };
  return { ok: true, e164: `+${CAMBODIA_COUNTRY_CODE}${nsn}` };
}

/** E.164 → the national way Cambodians read it: "+85512345678" → "012 345 678", "+855971234567" → "097 123 4567". */
export function formatCambodianPhone(e164: string): string {
  if (!e164.startsWith(`+${CAMBODIA_COUNTRY_CODE}`)) return e164;
  const nsn = e164.slice(CAMBODIA_COUNTRY_CODE.length + 1);
  const national = `0${nsn}`;
  if (national.length < 9 || national.length > 10) return national;
  return `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
}

/**
 * The digits to look for in stored E.164 numbers when a search looks like (part of) a phone
 * number, or null when it does not: "012 345" → "12345", "+855 97 1" → "971", "345-678" → "345678".
 * At least 3 digits, and nothing but digits and separators.
 */
export function phoneSearchDigits(query: string): string | null {
  const compact = query.normalize("NFKC").trim().replace(SEPARATORS, "");
  if (!/^\+?\d+$/.test(compact)) return null;
  let digits = compact.replace(/^\+/, "");
  if (digits.startsWith("00855")) digits = digits.slice(5);
  else if (compact.startsWith("+") || (digits.startsWith(CAMBODIA_COUNTRY_CODE) && digits.length > 6)) {
    if (digits.startsWith(CAMBODIA_COUNTRY_CODE)) digits = digits.slice(CAMBODIA_COUNTRY_CODE.length);
  }
  digits = digits.replace(/^0+/, "");
  return digits.length >= 3 ? digits : null;
}
