"use client";

// One list filter as a <select>: an "all" choice (unless `allLabel` is omitted) and the options;
// the empty value means "not filtered". The lists keep their filters in the URL, so the value is
// whatever the URL says and `onChange` hands back undefined for "all".

export const filterControlCls = "rounded-lg border border-slate-300 bg-white px-3 py-2";

export function FilterSelect<V extends string>({
  label,
  value,
  onChange,
  options,
  allLabel,
  testId,
}: {
  label: string;
  value: V | undefined;
  onChange: (value: V | undefined) => void;
  options: readonly { value: V; label: string }[];
  /** the "no filter" choice; omit when one of the options is the default */
  allLabel?: string;
  testId: string;
}) {
  return (
    <select
      aria-label={label}
      value={value ?? ""}
      onChange={(e) => onChange((e.target.value || undefined) as V | undefined)}
      className={filterControlCls}
      data-testid={testId}
    >
      {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
