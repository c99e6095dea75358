import type { Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { FieldWrap as Wrap, fieldDescribedBy as describedBy } from "@/components/ui/field";

const control = (error?: string) =>
  `block w-full rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm outline-none focus:ring-2 focus:ring-teal-600 ${error ? "border-red-600" : "border-slate-300"}`;

/** A labelled <select> with its error inline. */
export function SelectField({
  id,
  label,
  error,
  help,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { id: string; label: string; error?: string; help?: string; ref?: Ref<HTMLSelectElement> }) {
  return (
    <Wrap id={id} label={label} error={error} help={help}>
      <select
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, help)}
        className={control(error)}
      >
        {children}
      </select>
    </Wrap>
  );
}

/** A labelled <textarea> with its error inline. */
export function TextAreaField({
  id,
  label,
  error,
  help,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & {
  id: string;
  label: string;
  error?: string;
  help?: string;
  ref?: Ref<HTMLTextAreaElement>;
}) {
  return (
    <Wrap id={id} label={label} error={error} help={help}>
      <textarea
        id={id}
        rows={3}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, help)}
        className={control(error)}
      />
    </Wrap>
  );
}
