import { formPath } from "./resolver";

/** The safe error a mutation answers with (server/api/errors.ts safeError): translated already. */
export interface ServerFormError {
  message: string;
  appCode: string | null;
  fieldErrors: Record<string, string>;
}

export interface ServerErrorRouting {
  /**
   * A business error with no field errors of its own shown at a field: a CONFLICT at the name that
   * clashed, a wrong current password (VALIDATION) at its field.
   */
  codeFields?: Partial<Record<string, string>>;
  /** A schema path → the form field that shows its error (`baseRent` → `rent`). */
  errorPaths?: Record<string, string>;
}

/** Which field shows which of the server's messages; empty when the error belongs to no field. */
export function serverFieldErrors(error: ServerFormError, routing: ServerErrorRouting = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fieldErrors)) {
    if (message) out[formPath(path, routing.errorPaths)] ??= message;
  }
  if (Object.keys(out).length > 0) return out;
  const field = error.appCode ? routing.codeFields?.[error.appCode] : undefined;
  return field ? { [field]: error.message } : {};
}
