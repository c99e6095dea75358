import type { MessageKey, Translator } from "@/lib/i18n/config";
import type { DataTableText } from "./data-table";

/** Each string of a DataTable and its key under a list's message namespace. */
const STANDARD = {
  loading: "loading",
  empty: "empty",
  error: "loadError",
  retry: "retry",
  loadMore: "loadMore",
  columns: "columns",
} as const;
type Field = keyof typeof STANDARD;
type Standard<N extends string, F extends Field> = `${N}.${(typeof STANDARD)[F]}`;
type Fixed = Exclude<Field, "columns">;

/**
 * The keys a list names itself instead of its namespace's standard ones. A string whose standard
 * key the namespace lacks must be named (the compiler says which); `columns: false` for a list
 * without a column menu when the namespace has no `columns`.
 */
export type ListTextKeys<N extends string> = {
  [F in Fixed as Standard<N, F> extends MessageKey ? F : never]?: MessageKey;
} & {
  [F in Fixed as Standard<N, F> extends MessageKey ? never : F]: MessageKey;
} & (Standard<N, "columns"> extends MessageKey ? { columns?: MessageKey | false } : { columns: MessageKey | false });

/**
 * A DataTable's `text` from a message namespace: `${ns}.loading`, `.empty`, `.loadError`,
 * `.retry`, `.loadMore` and `.columns`, each replaceable by a key of the caller's:
 * `listText(t, "invoices", { empty: filtered ? "invoices.emptyFiltered" : undefined })`.
 */
export function listText<N extends string>(
  t: Translator,
  ns: N,
  ...[keys]: Partial<ListTextKeys<N>> extends ListTextKeys<N> ? [keys?: ListTextKeys<N>] : [keys: ListTextKeys<N>]
): DataTableText {
  const named = (keys ?? {}) as Partial<Record<Field, MessageKey | false>>;
  const text = (field: Field) => t((named[field] || `${ns}.${STANDARD[field]}`) as MessageKey);
  return {
    loading: text("loading"),
    empty: text("empty"),
    error: text("error"),
    retry: text("retry"),
    loadMore: text("loadMore"),
    ...(named.columns === false ? {} : { columns: text("columns") }),
  };
}
