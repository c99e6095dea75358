import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldErrors, FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";

/** Translates a schema's message key (the schemas in lib/schemas carry keys, not text). */
export type MessageTranslator = (key: string) => string;

export interface ZodFormOptions<TValues> {
  /**
   * What the form holds → what the schema takes, for forms that keep strings where the schema wants
   * numbers or minor units (a unit's rent, a payment's amount). Defaults to the values as they are.
   */
  toInput?: (values: TValues) => unknown;
  /** A schema path → the form field that shows its error (`baseRent` → `rent`). */
  errorPaths?: Record<string, string>;
  /**
   * Checks the schema cannot make (a price's own message per currency): form field → message key.
   * Run before the schema; a field's message here wins over the schema's.
   */
  check?: (values: TValues) => Record<string, string>;
}

/** Schema path → the form field it belongs to (after `errorPaths`). */
export function formPath(path: string, errorPaths: Record<string, string> | undefined): string {
  return errorPaths?.[path] ?? path;
}

/**
 * The zod resolver on the shared schema, with each error's message key turned into the person's
 * language and moved to the field that shows it. Only the first message of a field is kept, as the
 * server does (server/api/errors.ts safeError).
 */
export function translatedZodResolver<TValues extends FieldValues, TOutput>(
  schema: z.ZodType<TOutput, unknown>,
  t: MessageTranslator,
  options: ZodFormOptions<TValues> = {},
): Resolver<TValues, unknown, TOutput> {
  const resolve = zodResolver(schema as never) as unknown as Resolver<FieldValues, unknown, TOutput>;
  return async (values, context, resolverOptions) => {
    const input = (options.toInput ? options.toInput(values) : values) as FieldValues;
    const result = await resolve(input, context, { ...resolverOptions, shouldUseNativeValidation: false } as never);
    const errors = result.errors as Record<string, unknown>;
    const checked = Object.entries(options.check?.(values) ?? {});
    if (Object.keys(errors).length === 0 && checked.length === 0) return { values: result.values as TOutput, errors: {} };
    const out: Record<string, unknown> = {};
    for (const [field, key] of checked) {
      out[field] ??= { type: "custom", message: t(key), ref: resolverOptions.fields?.[field]?.ref };
    }
    for (const [path, error] of Object.entries(flatten(errors))) {
      const field = formPath(path, options.errorPaths);
      out[field] ??= { ...error, message: t(String(error.message)), ref: resolverOptions.fields?.[field]?.ref ?? error.ref };
    }
    return { values: {}, errors: nest(out) as FieldErrors<TValues> };
  };
}

type LeafError = { type?: unknown; message?: unknown; ref?: unknown };

function isLeaf(value: unknown): value is LeafError {
  return typeof value === "object" && value !== null && "message" in value && typeof (value as LeafError).message === "string";
}

/** `{ a: { b: { message } } }` → `{ "a.b": { message } }` */
export function flatten(errors: Record<string, unknown>, prefix = ""): Record<string, LeafError> {
  const out: Record<string, LeafError> = {};
  for (const [key, value] of Object.entries(errors)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isLeaf(value)) out[path] = value;
    else if (typeof value === "object" && value !== null) Object.assign(out, flatten(value as Record<string, unknown>, path));
  }
  return out;
}

/** `{ "a.b": x }` → `{ a: { b: x } }` (react-hook-form reads nested errors). */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split(".");
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}
