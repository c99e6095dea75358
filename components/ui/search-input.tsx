/** The search box above every list; the label doubles as placeholder and accessible name. */
export function SearchInput({ value, onChange, label }: { value: string; onChange: (value: string) => void; label: string }) {
  return (
    <input
      type="search"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={label}
      aria-label={label}
      className="w-full rounded-lg border border-slate-300 px-3 py-2 sm:max-w-sm"
    />
  );
}
