import type { InputHTMLAttributes, Ref } from "react";

/** A labelled input with its error inline, next to the field (`ref` reaches the input, for react-hook-form). */
export function Field({
  label,
  error,
  help,
  id,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; help?: string; id: string; ref?: Ref<HTMLInputElement> }) {
  const describedBy = [error ? `${id}-error` : null, help ? `${id}-help` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`block w-full rounded-lg border px-3 py-2 text-base text-slate-900 shadow-sm outline-none focus:ring-2 focus:ring-teal-600 ${error ? "border-red-600" : "border-slate-300"}`}
      />
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
