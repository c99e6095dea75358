// Every audit action the code can write (AUDIT_ACTIONS) has a readable label in English and in
// Khmer, and every group of actions has one too, so the audit log and its action filter show words
// rather than raw names. An action appended to AUDIT_ACTIONS without labels fails here.
import { describe, expect, it } from "vitest";
import { createTranslator } from "@/lib/i18n";
import { audit } from "@/lib/i18n/messages/areas/audit";
import { AUDIT_ACTIONS, auditActionGroup } from "@/lib/audit-actions";
import { ACTION_GROUPS, KNOWN_ACTIONS, actionLabel, groupLabel } from "@/components/audit/action-label";

const KHMER = /[\u1780-\u17FF]/;
const en = createTranslator("en");
const km = createTranslator("km");

function leaves(node: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(node).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : leaves(v as Record<string, unknown>, `${prefix}${k}.`),
  );
}

describe("AUDIT_ACTIONS", () => {
  it("is a non-empty list of distinct, well-formed names", () => {
    expect(AUDIT_ACTIONS.length).toBeGreaterThan(100);
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/);
  });
});

describe("audit action labels", () => {
  it.each(AUDIT_ACTIONS)("%s has an English and a Khmer label", (action) => {
    const enLabel = actionLabel(en, action);
    const kmLabel = actionLabel(km, action);
    expect(enLabel, "English label").not.toBe(action);
    expect(enLabel).not.toMatch(KHMER);
    expect(kmLabel, "Khmer label").not.toBe(action);
    expect(kmLabel).toMatch(KHMER);
    expect(kmLabel).not.toBe(enLabel);
  });

  it("give two different actions two different labels, in each language", () => {
    for (const t of [en, km]) {
      const byLabel = new Map<string, string[]>();
      for (const a of AUDIT_ACTIONS) byLabel.set(actionLabel(t, a), [...(byLabel.get(actionLabel(t, a)) ?? []), a]);
      const clashes = [...byLabel.values()].filter((names) => names.length > 1);
      expect(clashes).toEqual([]);
    }
  });

  it("exist only for real actions (no stale labels)", () => {
    const known = new Set<string>(AUDIT_ACTIONS);
    expect(leaves(audit.en.actions).filter((k) => !known.has(k))).toEqual([]);
  });

  it("fall back to the raw name for an action the catalog does not know", () => {
    expect(actionLabel(en, "legacy.thing_done")).toBe("legacy.thing_done");
    expect(actionLabel(km, "legacy.thing_done")).toBe("legacy.thing_done");
    expect(groupLabel(en, "legacy")).toBe("legacy");
  });
});

describe("audit action groups", () => {
  it("are derived from AUDIT_ACTIONS: the filter offers every action and every group", () => {
    expect([...KNOWN_ACTIONS].sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect([...ACTION_GROUPS].sort()).toEqual([...new Set(AUDIT_ACTIONS.map(auditActionGroup))].sort());
    expect(ACTION_GROUPS).toEqual(expect.arrayContaining(["membership", "rent", "property", "billing", "admin"]));
  });

  it.each([...new Set(AUDIT_ACTIONS.map(auditActionGroup))])("group %s has an English and a Khmer label", (group) => {
    const enLabel = groupLabel(en, group);
    const kmLabel = groupLabel(km, group);
    expect(enLabel).not.toBe(group);
    expect(kmLabel).not.toBe(group);
    expect(kmLabel).toMatch(KHMER);
    expect(kmLabel).not.toBe(enLabel);
    // the filter's "every event of the group" suggestion carries the group label
    expect(en("audit.allInGroup", { group: enLabel })).toContain(enLabel);
  });

  it("have distinct labels in each language", () => {
    const groups = [...new Set(AUDIT_ACTIONS.map(auditActionGroup))];
    for (const t of [en, km]) expect(new Set(groups.map((g) => groupLabel(t, g))).size).toBe(groups.length);
  });
});
