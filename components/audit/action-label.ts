import type { MessageKey, Translator } from "@/lib/i18n";
import { AUDIT_ACTIONS, auditActionGroup, type AuditAction } from "@/lib/audit-actions";

/** A readable label for an action name (lib/audit-details.ts: the page and the workspace CSV share it). */
export { actionLabel } from "@/lib/audit-details";

/** A readable label for a group of actions (`membership`), or the raw group when unknown. */
export function groupLabel(t: Translator, group: string): string {
  const key = `audit.groups.${group}`;
  const label = t(key as MessageKey);
  return label === key ? group : label;
}

/** Every action the code can write (AUDIT_ACTIONS), by name, for the filter's suggestions. */
export const KNOWN_ACTIONS: readonly AuditAction[] = [...AUDIT_ACTIONS].sort();

/** Prefix filters (`membership.`) for each group of actions. */
export const ACTION_GROUPS: readonly string[] = [...new Set(KNOWN_ACTIONS.map(auditActionGroup))].sort();
