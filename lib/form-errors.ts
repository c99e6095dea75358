// The outcome of a form that was posted without JavaScript: the route handler answers with a
// 303 back to the form page carrying only a short error code (and the field it belongs to),
// never anything the person typed; the page turns the code back into a translated message.
import type { MessageKey } from "@/lib/i18n";

export const FORM_ERROR_CODES = {
  invalid: "auth.invalidCredentials",
  findWorkspace: "auth.apexFindWorkspace",
  throttled: "errors.tooManyRequests",
  resetRequired: "errors.passwordResetRequired",
  resetLink: "auth.resetLinkInvalid",
  invite: "team.inviteInvalid",
  emailTaken: "errors.emailTaken",
  slugTaken: "errors.slugTaken",
  consentRequired: "consent.required",
  mfaCode: "mfa.errors.invalidCode",
  mfaNotEnrolled: "mfa.errors.notEnrolled",
  validation: "errors.validation",
  required: "validation.required",
  email: "validation.email",
  passwordTooShort: "validation.passwordTooShort",
  passwordTooLong: "validation.passwordTooLong",
  tooShort: "validation.tooShort",
  slugTooShort: "slug.tooShort",
  slugTooLong: "slug.tooLong",
  slugInvalid: "slug.invalid",
  slugReserved: "slug.reserved",
  code: "mfa.validation.code",
  recoveryCode: "mfa.validation.recoveryCode",
  codeOrRecovery: "mfa.validation.codeOrRecovery",
  wrongPassword: "account.errors.wrongPassword",
  mustDiffer: "account.password.mustDiffer",
  mismatch: "account.password.mismatch",
  impersonated: "account.errors.impersonated",
  notReady: "errors.pageNotReady",
  forbidden: "errors.forbidden",
  failed: "errors.errorBody",
} as const satisfies Record<string, MessageKey>;

export type FormErrorCode = keyof typeof FORM_ERROR_CODES;

const CODE_BY_KEY = new Map<string, FormErrorCode>(Object.entries(FORM_ERROR_CODES).map(([code, key]) => [key, code as FormErrorCode]));
// throttling messages with a wait time are shown without it (the code carries no parameters)
CODE_BY_KEY.set("errors.tooManyRequestsRetry", "throttled");

/** The code for a message key; an unexpected key becomes the generic "could not complete". */
export function formErrorCode(key: string): FormErrorCode {
  return CODE_BY_KEY.get(key) ?? "failed";
}

export function isFormErrorCode(value: unknown): value is FormErrorCode {
  return typeof value === "string" && Object.hasOwn(FORM_ERROR_CODES, value);
}

/** What a form page shows for `?error=…&field=…`: a field error for a known field, else an alert. */
export function formErrorFromQuery(
  query: Record<string, string | string[] | undefined>,
  fields: readonly string[],
  t: (key: MessageKey) => string,
): { error: string | null; fieldErrors: Record<string, string> } {
  const code = query.error;
  if (!isFormErrorCode(code)) return { error: null, fieldErrors: {} };
  const message = t(FORM_ERROR_CODES[code]);
  const field = query.field;
  if (typeof field === "string" && fields.includes(field)) return { error: null, fieldErrors: { [field]: message } };
  return { error: message, fieldErrors: {} };
}
