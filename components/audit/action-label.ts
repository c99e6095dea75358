import type { MessageKey, Translator } from "@/lib/i18n";
import { audit } from "@/lib/i18n/messages/areas/audit";

/** A readable label for an action name, or the raw name when the catalog does not know it. */
export function actionLabel(t: Translator, action: string): string {
  const key = `audit.actions.${action}`;
  const label = t(key as MessageKey);
  return label === key ? action : label;
}

function flatten(node: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(node).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : flatten(v as Record<string, unknown>, `${prefix}${k}.`),
  );
}

/** Every action the catalog names, for the filter's suggestions. */
export const KNOWN_ACTIONS: readonly string[] = flatten(audit.en.actions).sort();

/** Prefix filters (`membership.`) for each group of actions. */
export const ACTION_GROUPS: readonly string[] = [...new Set(KNOWN_ACTIONS.map((a) => a.split(".")[0]!))].sort();
