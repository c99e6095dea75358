// Every audit action written by the notifications code (templates, message log, suppression list,
// Resend webhook replays) has a readable label in both languages, so the audit log and its action
// filter show words rather than raw names.
import { describe, expect, it } from "vitest";
import { createTranslator } from "@/lib/i18n";
import type { AuditAction } from "@/server/services/audit-logger";
import { ACTION_GROUPS, KNOWN_ACTIONS, actionLabel } from "@/components/audit/action-label";

const NOTIFICATION_ACTIONS = [
  "template.saved",
  "template.reset",
  "admin.template.saved",
  "admin.template.reset",
  "message.retried",
  "admin.message.retried",
  "suppression.added",
  "suppression.lifted",
  "admin.webhook.replayed",
] as const satisfies readonly AuditAction[];

describe("audit labels of the notification actions", () => {
  const en = createTranslator("en");
  const km = createTranslator("km");

  it.each(NOTIFICATION_ACTIONS)("%s has an English and a Khmer label", (action) => {
    const enLabel = actionLabel(en, action);
    const kmLabel = actionLabel(km, action);
    expect(enLabel).not.toBe(action);
    expect(kmLabel).not.toBe(action);
    expect(kmLabel).not.toBe(enLabel);
    expect(kmLabel).toMatch(/[\u1780-\u17FF]/);
  });

  it("are offered by the audit filter, with their groups", () => {
    for (const action of NOTIFICATION_ACTIONS) expect(KNOWN_ACTIONS).toContain(action);
    expect(ACTION_GROUPS).toEqual(expect.arrayContaining(["template", "message", "suppression"]));
  });

  it("leave two different actions with two different labels", () => {
    const labels = NOTIFICATION_ACTIONS.map((a) => actionLabel(en, a));
    expect(new Set(labels).size).toBe(labels.length);
  });
});
