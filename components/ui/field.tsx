import type { InputHTMLAttributes, ReactNode, Ref } from "react";

/** The label, help and inline error around one form control (Field here, SelectField and TextAreaField in components/properties/fields.tsx). */
export function FieldWrap({
  id,
  label,
  error,
  help,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  help?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {help && !error ? (
        <p id={`${id}-help`} className="text-xs text-slate-500">
          {help}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The control's aria-describedby: its error, then its help, as FieldWrap renders them. */
export const fieldDescribedBy = (id: string, error?: string, help?: string) =>
  [error ? `${id}-error` : null, help ? `${id}-help` : null].filter(Boolean).join(" ") || undefined;

/** A labelled input with its error inline, next to the field (`ref` reaches the input, for react-hook-form). */
export function Field({
  label,
  error,
  help,
  id,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; help?: string; id: string; ref?: Ref<HTMLInputElement> }) {
  return (
    <FieldWrap id={id} label={label} error={error} help={help}>
      <input
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={fieldDescribedBy(id, error, help)}
        className={`block w-full rounded-lg border px-3 py-2 text-base text-slate-900 shadow-sm outline-none focus:ring-2 focus:ring-teal-600 ${error ? "border-red-600" : "border-slate-300"}`}
      />
    </FieldWrap>
  );
}
