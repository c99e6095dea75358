import type { MessageKey, Translator } from "@/lib/i18n";

/** A message kind in words ("Team invitation"), from the templates' labels; the key itself only for an unknown one. */
export function messageKeyLabel(t: Translator, key: string): string {
  const path = `templates.keys.${key}`;
  const label = t(path as MessageKey);
  return label === path ? key : label;
}
