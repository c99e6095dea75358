// The audit log in words (issue 17): changes as "field: before → after", devices, record kinds
// and time zones, in English and Khmer, with no ids, JSON or user-agent strings.
import { describe, expect, it } from "vitest";
import { createTranslator } from "@/lib/i18n";
import {
  actionLabel,
  auditChanges,
  auditWords,
  changesText,
  deviceLabel,
  rememberingTranslator,
  targetLabel,
  targetReference,
} from "@/lib/audit-details";
import { timeZoneLabel } from "@/lib/time-zone-label";

const en = createTranslator("en");
const km = createTranslator("km");

describe("audit details in words", () => {
  it("writes an edit as field: before → after and leaves ids out", () => {
    const lines = auditChanges(en, {
      before: { role: "viewer", unitId: "0193c1de-7a1b-7c2d-8e3f-4a5b6c7d8e9f" },
      after: { role: "manager", unitId: "0193c1de-7a1b-7c2d-8e3f-4a5b6c7d8e90" },
      user: "manager@acme.test",
      fileId: "0193c1de-7a1b-7c2d-8e3f-4a5b6c7d8e91",
      archived: true,
      filters: { action: "membership.", sort: "desc" },
    });
    expect(changesText(lines)).toBe(
      "Role: viewer → manager; User: manager@acme.test; Archived: Yes; Filters: Action: membership.; Sort: desc",
    );
    expect(changesText(auditChanges(km, { before: { role: "viewer" }, after: { role: "manager" } }))).toBe("តួនាទី: viewer → manager");
    expect(auditChanges(en, null)).toEqual([]);
    expect(
      changesText(auditChanges(en, { unitIds: ["0193c1de-7a1b-7c2d-8e3f-4a5b6c7d8e9f", "0193c1de-7a1b-7c2d-8e3f-4a5b6c7d8e90"] })),
    ).toBe("Units: 2 records");
  });

  it("names the device, not the user agent", () => {
    const android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    const iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    const edge =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    expect(deviceLabel(en, android)).toBe("Chrome on Android");
    expect(deviceLabel(en, iphone)).toBe("Safari on iPhone");
    expect(deviceLabel(en, edge)).toBe("Edge on Windows");
    expect(deviceLabel(km, android)).toBe("Chrome លើ Android");
    expect(deviceLabel(en, "curl/8.5.0")).toBe("Another app (not a browser)");
    expect(deviceLabel(en, null)).toBeNull();
  });

  it("labels records and actions, and shows a reference only when it is not an id", () => {
    expect(targetLabel(en, "Contract")).toBe("Contract");
    expect(targetLabel(en, "rent_invoice")).toBe("Rent invoice");
    expect(targetLabel(en, "MeterReading")).toBe("Meter reading");
    expect(targetLabel(km, "membership")).toBe("សមាជិក");
    expect(targetReference("0193c1de-7a1b-7c2d-8e3f-4a5b6c7d8e9f")).toBe("");
    expect(targetReference("invoice-run")).toBe("invoice-run");
    expect(actionLabel(en, "membership.role_changed")).toBe("Member role changed");
  });

  it("says which clock in words, not the zone's id", () => {
    expect(timeZoneLabel("Asia/Phnom_Penh", "en")).toBe("Phnom Penh time");
    expect(timeZoneLabel("Asia/Phnom_Penh", "km")).toBe("ម៉ោងភ្នំពេញ");
    expect(timeZoneLabel("Asia/Yangon", "en")).toBe("Yangon time");
    expect(timeZoneLabel("UTC", "km")).toBe("UTC");
  });

  it("an export's remembered words are the same words, each distinct value formatted once", () => {
    const agents = [
      "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
      "Mozilla/5.0 (X11; Linux x86_64) bench",
      "curl/8.4.0",
      null,
    ];
    const metadata = [
      { before: { role: "viewer" }, after: { role: "manager" }, rentReminderDays: 3 },
      { unitIds: ["0193c1de-7a1b-7c2d-8e3f-4a5b6c7d8e9f"], archived: false, note: "" },
      null,
    ];
    for (const t of [en, km]) {
      let calls = 0;
      const counted = ((key, params) => {
        calls++;
        return t(key, params);
      }) as typeof t;
      const w = auditWords(counted);
      for (let round = 0; round < 3; round++) {
        for (const action of ["membership.role_changed", "rent.invoice.issued", "some.retired.action"])
          expect(w.action(action)).toBe(actionLabel(t, action));
        for (const target of ["rent_invoice", "RentInvoice", "someNewThing", null]) expect(w.target(target)).toBe(targetLabel(t, target));
        for (const ua of agents) expect(w.device(ua)).toBe(deviceLabel(t, ua));
        for (const m of metadata) expect(w.changes(m)).toBe(changesText(auditChanges(t, m)));
      }
      const afterThree = calls;
      // a fourth round formats nothing again
      for (const m of metadata) w.changes(m);
      for (const ua of agents) w.device(ua);
      expect(calls).toBe(afterThree);
    }
    const r = rememberingTranslator(en);
    expect(r("audit.records", { count: 2 })).toBe(en("audit.records", { count: 2 }));
    expect(r("audit.records", { count: 5 })).toBe(en("audit.records", { count: 5 }));
    expect(r("audit.none")).toBe(en("audit.none"));
  });
});
