// Message templates against the real database, through the templates / adminTemplates procedures
// and renderMessage: the fallback order (tenant+locale → tenant default locale → global+locale →
// global en → built-in), validation on save, the custom_templates plan feature, the preview, the
// audit trail, and tenant isolation (one tenant's override never reaches another tenant).
//
// Global templates are shared with the test files running alongside: this file only stores global
// rows for the contract.* keys (nothing else sends them yet) and deletes them again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { safeError } from "@/server/api/errors";
import { renderMessage, resolveTemplate } from "@/server/services/notifications/templates";
import { MESSAGE_CATALOG, MESSAGE_KEYS, type TemplateLocale } from "@/lib/notifications/catalog";
import { createTenant, setSubscription, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { addMember } from "@/server/testing/factories";
import { expectTRPCError, hostOf, signedIn, uniqueEmail, type Caller } from "./support/world";
import { platformAdmin, platformAudit, tenantAudit } from "./support/team";

const EXPIRING = "contract.expiring" as const;
const ACTIVATED = "contract.activated" as const;
const VARS = {
  workspace: "ignored",
  renter: "Sok Dara",
  unit: "B-7",
  endDate: "31 Jan 2027",
  startDate: "1 Dec 2026",
};

let admin: Awaited<ReturnType<typeof platformAdmin>>;

beforeAll(async () => {
  admin = await platformAdmin("tpl");
});

afterAll(async () => {
  for (const key of [EXPIRING, ACTIVATED]) {
    for (const locale of ["km", "en"] as const) await admin.caller.adminTemplates.reset({ key, locale });
  }
});

async function owner(t: CreatedTenant): Promise<Caller> {
  return signedIn(t.owner.userId, hostOf(t.slug));
}

/** What the sender would get for this tenant, in a tenant transaction and in a platform one (same answer). */
async function rendered(tenantId: string, key: string, locale: string) {
  const m = { tenantId, key, channel: "email" as const, locale, variables: VARS };
  const inTenant = await new TenantDb(tenantId).run((tx) => renderMessage(tx, m));
  const onPlatform = await platformDb.run((tx) => renderMessage(tx, m));
  expect(onPlatform).toEqual(inTenant);
  return inTenant;
}

const text = (label: string, locale: string) => ({
  subject: `${label} ${locale} {{unit}} / {{renter}}`,
  body: `${label} ${locale}: {{renter}} leaves {{unit}} on {{endDate}}.`,
});
const subjectOf = (label: string, locale: string) => `${label} ${locale} B-7 / Sok Dara`;

describe("fallback order", () => {
  // both directions: a Khmer workspace asked for English, an English workspace asked for Khmer
  it.each([
    { asked: "en", workspace: "km" },
    { asked: "km", workspace: "en" },
  ] as Array<{ asked: TemplateLocale; workspace: TemplateLocale }>)(
    "asked $asked in a $workspace workspace: tenant → tenant default locale → global → global en → built-in",
    async ({ asked, workspace }) => {
      const t = await createTenant({ slug: uniqueSlug("tplf"), name: `Fallback ${asked}`, locale: workspace });
      const me = await owner(t);
      for (const locale of ["km", "en"] as const) {
        await admin.caller.adminTemplates.save({ key: EXPIRING, locale, ...text("Global", locale) });
        await me.templates.save({ key: EXPIRING, locale, ...text("Tenant", locale) });
      }

      const r1 = await rendered(t.tenantId, EXPIRING, asked);
      expect(r1).toMatchObject({ source: "tenant", locale: asked, subject: subjectOf("Tenant", asked) });
      expect(r1.html).toContain(`Fallback ${asked}`); // the heading is the tenant's name
      expect(r1.text).toContain(`Tenant ${asked}: Sok Dara leaves B-7 on 31 Jan 2027.`);
      expect(r1.html).toContain("Sok Dara leaves B-7");

      await me.templates.reset({ key: EXPIRING, locale: asked });
      expect(await rendered(t.tenantId, EXPIRING, asked)).toMatchObject({
        source: "tenant_default_locale",
        locale: workspace,
        subject: subjectOf("Tenant", workspace),
      });

      await me.templates.reset({ key: EXPIRING, locale: workspace });
      expect(await rendered(t.tenantId, EXPIRING, asked)).toMatchObject({
        source: "global",
        locale: asked,
        subject: subjectOf("Global", asked),
      });

      await admin.caller.adminTemplates.reset({ key: EXPIRING, locale: asked });
      const builtIn = (locale: TemplateLocale) =>
        MESSAGE_CATALOG[EXPIRING].defaults[locale].subject.replace("{{unit}}", "B-7").replace("{{endDate}}", "31 Jan 2027");
      if (asked === "en") {
        // English is the global default language itself: next comes the built-in English text
        expect(await rendered(t.tenantId, EXPIRING, asked)).toMatchObject({ source: "catalog", locale: "en", subject: builtIn("en") });
      } else {
        expect(await rendered(t.tenantId, EXPIRING, asked)).toMatchObject({
          source: "global_default_locale",
          locale: "en",
          subject: subjectOf("Global", "en"),
        });
        await admin.caller.adminTemplates.reset({ key: EXPIRING, locale: "en" });
        const r = await rendered(t.tenantId, EXPIRING, asked);
        expect(r).toMatchObject({ source: "catalog", locale: "km", subject: builtIn("km") });
        expect(r.html).toContain('lang="km"');
      }
      await admin.caller.adminTemplates.reset({ key: EXPIRING, locale: workspace });
    },
  );

  it("uses the tenant's language for a locale it does not know, and only global/built-in templates without a tenant", async () => {
    const t = await createTenant({ slug: uniqueSlug("tplx"), locale: "km" });
    expect(await rendered(t.tenantId, ACTIVATED, "fr")).toMatchObject({ source: "catalog", locale: "km" });
    await (await owner(t)).templates.save({ key: ACTIVATED, locale: "km", subject: "Mine {{unit}}", body: "Mine" });
    expect(await rendered(t.tenantId, ACTIVATED, "fr")).toMatchObject({ source: "tenant", subject: "Mine B-7" });
    const apex = await platformDb.run((tx) =>
      renderMessage(tx, { tenantId: null, key: ACTIVATED, channel: "email", locale: "km", variables: VARS }),
    );
    expect(apex).toMatchObject({ source: "catalog", locale: "km" });
    expect(apex.html).toContain("Phteah");
  });

  it("stops using a tenant's overrides when its plan loses custom_templates (kept, shown, not applied)", async () => {
    const t = await createTenant({ slug: uniqueSlug("tpld") });
    const me = await owner(t);
    await me.templates.save({ key: ACTIVATED, locale: "en", subject: "Custom {{unit}}", body: "Custom body" });
    expect(await rendered(t.tenantId, ACTIVATED, "en")).toMatchObject({ source: "tenant", subject: "Custom B-7" });

    await setSubscription(t.tenantId, { plan: "starter" });
    const after = await owner(t);
    expect(await rendered(t.tenantId, ACTIVATED, "en")).toMatchObject({ source: "catalog" });
    expect(await after.templates.get({ key: ACTIVATED, locale: "en" })).toMatchObject({
      overridden: true,
      canEdit: false,
      source: "catalog",
      subject: MESSAGE_CATALOG[ACTIVATED].defaults.en.subject,
    });
    // a reset still works without the feature
    expect(await after.templates.reset({ key: ACTIVATED, locale: "en" })).toMatchObject({ removed: true, overridden: false });
  });
});

describe("tenant isolation", () => {
  it("never applies one tenant's override to another tenant", async () => {
    const a = await createTenant({ slug: uniqueSlug("tpla"), name: "Tenant A" });
    const b = await createTenant({ slug: uniqueSlug("tplb"), name: "Tenant B" });
    await (await owner(a)).templates.save({ key: ACTIVATED, locale: "en", subject: "Only for A {{unit}}", body: "A's secret wording" });

    expect(await rendered(a.tenantId, ACTIVATED, "en")).toMatchObject({ source: "tenant", subject: "Only for A B-7" });
    const forB = await rendered(b.tenantId, ACTIVATED, "en");
    expect(forB.source).not.toBe("tenant");
    expect(JSON.stringify(forB)).not.toContain("A's secret wording");
    // even a platform transaction resolving for B does not pick up A's row
    const resolved = await platformDb.run((tx) =>
      resolveTemplate(tx, { tenantId: b.tenantId, key: ACTIVATED, channel: "email", locale: "en" }),
    );
    expect(resolved.source).not.toBe("tenant");

    const bOwner = await owner(b);
    const bList = await bOwner.templates.list();
    expect(bList.find((r) => r.key === ACTIVATED && r.locale === "en")).toMatchObject({ overridden: false });
    expect(JSON.stringify(await bOwner.templates.get({ key: ACTIVATED, locale: "en" }))).not.toContain("A's secret wording");
    // B's reset deletes nothing of A's
    expect(await bOwner.templates.reset({ key: ACTIVATED, locale: "en" })).toMatchObject({ removed: false });
    expect(await rendered(a.tenantId, ACTIVATED, "en")).toMatchObject({ source: "tenant" });
  });
});

describe("validation on save", () => {
  it("refuses unknown variables for a tenant, naming them, and stores nothing", async () => {
    const t = await createTenant({ slug: uniqueSlug("tplv") });
    const me = await owner(t);
    const e = await expectTRPCError(
      me.templates.save({ key: ACTIVATED, locale: "km", subject: "{{unit}} {{password}}", body: "{{renter}} {{token}} {{password}}" }),
      "BAD_REQUEST",
      { code: "VALIDATION", key: "templates.errors.unknownVariables" },
    );
    expect(safeError(e, "en", null).message).toContain("password, token");
    expect(safeError(e, "km", null).message).toContain("password, token");
    await expectTRPCError(me.templates.save({ key: ACTIVATED, locale: "km", subject: "ok", body: "{{renter" }), "BAD_REQUEST", {
      key: "templates.errors.malformedBody",
    });
    // the schema: a subject is one line
    await expectTRPCError(me.templates.save({ key: ACTIVATED, locale: "km", subject: "a\nb", body: "x" }), "BAD_REQUEST");
    expect((await me.templates.get({ key: ACTIVATED, locale: "km" })).overridden).toBe(false);
    expect(await tenantAudit(t.tenantId, "template.saved")).toEqual([]);
  });

  it("refuses unknown variables for a platform admin too", async () => {
    const e = await expectTRPCError(
      admin.caller.adminTemplates.save({ key: ACTIVATED, locale: "en", subject: "{{amount}}", body: "ok" }),
      "BAD_REQUEST",
      { key: "templates.errors.unknownVariables" },
    );
    expect(safeError(e, "en", null).message).toContain("amount");
    await expectTRPCError(admin.caller.adminTemplates.save({ key: ACTIVATED, locale: "en", subject: "}}", body: "ok" }), "BAD_REQUEST", {
      key: "templates.errors.malformedSubject",
    });
    expect((await admin.caller.adminTemplates.get({ key: ACTIVATED, locale: "en" })).source).toBe("catalog");
  });
});

describe("plan feature custom_templates", () => {
  it("refuses a tenant's save on a plan without it; reading, preview and reset still work", async () => {
    const t = await createTenant({ slug: uniqueSlug("tpls"), subscription: { plan: "starter" } });
    const me = await owner(t);
    await expectTRPCError(me.templates.save({ key: ACTIVATED, locale: "en", subject: "Mine", body: "Mine" }), "FORBIDDEN", {
      key: "billing.errors.featureNotInPlan",
    });
    expect(await me.templates.get({ key: ACTIVATED, locale: "en" })).toMatchObject({
      canEdit: false,
      overridden: false,
      source: "catalog",
    });
    expect((await me.templates.preview({ key: ACTIVATED, locale: "en", subject: "x {{unit}}", body: "y" })).subject).toBe("x A-203");
    expect(await me.templates.reset({ key: ACTIVATED, locale: "en" })).toMatchObject({ removed: false });
    expect(await new TenantDb(t.tenantId).run((tx) => tx.tenantTemplate.count())).toBe(0);
  });
});

describe("preview", () => {
  it("renders the typed text with sample values and the workspace's name, without storing anything", async () => {
    const t = await createTenant({ slug: uniqueSlug("tplp"), name: "Preview Flats" });
    const me = await owner(t);
    const p = await me.templates.preview({
      key: "rent.reminder",
      locale: "km",
      subject: "រំលឹក {{number}} {{oops}}",
      body: "សួស្ដី {{renter}} — {{amount}}\n\n[បង់]({{payLink}})",
    });
    const sample = MESSAGE_CATALOG["rent.reminder"].sample;
    expect(p.subject).toBe(`រំលឹក ${sample.number} {{oops}}`);
    expect(p.html).toContain("Preview Flats");
    expect(p.html).toContain(`សួស្ដី ${sample.renter} — ${sample.amount}`);
    expect(p.html).toContain(`href="${sample.payLink}"`);
    expect(p.text).toContain(`បង់ ${sample.payLink}`);
    expect(p.check).toEqual({ ok: false, unknown: ["oops"], malformed: [] });
    expect(await new TenantDb(t.tenantId).run((tx) => tx.tenantTemplate.count())).toBe(0);

    const g = await admin.caller.adminTemplates.preview({ key: ACTIVATED, locale: "en", ...MESSAGE_CATALOG[ACTIVATED].defaults.en });
    expect(g.html).toContain(MESSAGE_CATALOG[ACTIVATED].sample.workspace);
    expect(g.check.ok).toBe(true);
  });
});

describe("list, get, audit", () => {
  it("lists every key × locale with its source and marks this tenant's overrides; save and reset are audited", async () => {
    const t = await createTenant({ slug: uniqueSlug("tpll"), locale: "km" });
    const me = await owner(t);
    const before = await me.templates.list();
    expect(before).toHaveLength(MESSAGE_KEYS.length * 2);
    expect(before.every((r) => !r.overridden)).toBe(true);

    await me.templates.save({ key: "rent.overdue", locale: "km", subject: "v1 {{number}}", body: "v1" });
    const saved = await me.templates.save({ key: "rent.overdue", locale: "km", subject: "v2 {{number}}", body: "v2" });
    expect(saved).toMatchObject({ overridden: true, source: "tenant", subject: "v2 {{number}}", body: "v2", canEdit: true });
    expect(saved.fallback.source).toMatch(/^(global|catalog)/);
    const after = await me.templates.list();
    expect(after.filter((r) => r.overridden).map((r) => `${r.key}:${r.locale}`)).toEqual(["rent.overdue:km"]);
    // the English message of this Khmer workspace now falls back to its Khmer override
    expect(after.find((r) => r.key === "rent.overdue" && r.locale === "en")).toMatchObject({ source: "tenant_default_locale" });

    const rows = await tenantAudit(t.tenantId, "template.saved");
    expect(rows.map((r) => r.metadata)).toEqual([
      { key: "rent.overdue", locale: "km", before: null, after: { subject: "v1 {{number}}", body: "v1" } },
      {
        key: "rent.overdue",
        locale: "km",
        before: { subject: "v1 {{number}}", body: "v1" },
        after: { subject: "v2 {{number}}", body: "v2" },
      },
    ]);
    expect(rows[0]).toMatchObject({ actorUserId: t.owner.userId, targetType: "template" });

    await me.templates.reset({ key: "rent.overdue", locale: "km" });
    const reset = await tenantAudit(t.tenantId, "template.reset");
    expect(reset).toHaveLength(1);
    expect(reset[0]!.metadata).toEqual({
      key: "rent.overdue",
      locale: "km",
      before: { subject: "v2 {{number}}", body: "v2" },
      after: null,
    });
  });

  it("audits the console's saves and resets as platform events", async () => {
    const saved = await admin.caller.adminTemplates.save({ key: ACTIVATED, locale: "km", subject: "Global {{unit}}", body: "Global body" });
    expect(saved).toMatchObject({ overridden: true, source: "global", canEdit: true, fallback: { source: "catalog" } });
    const listed = await admin.caller.adminTemplates.list();
    expect(listed.find((r) => r.key === ACTIVATED && r.locale === "km")).toMatchObject({ overridden: true, source: "global" });
    const row = await platformDb.run((tx) => tx.globalTemplate.findFirstOrThrow({ where: { key: ACTIVATED, locale: "km" } }));
    expect(row.updatedById).toBe(admin.userId);
    const savedAudit = await platformAudit("admin.template.saved", row.id);
    expect(savedAudit).toHaveLength(1);
    expect(savedAudit[0]).toMatchObject({ actorUserId: admin.userId, actorEmail: admin.email, targetType: "global_template" });

    expect(await admin.caller.adminTemplates.reset({ key: ACTIVATED, locale: "km" })).toMatchObject({ removed: true, source: "catalog" });
    expect(await platformAudit("admin.template.reset", row.id)).toHaveLength(1);
  });

  it("needs templates.manage", async () => {
    const t = await createTenant({ slug: uniqueSlug("tplm") });
    const viewer = await addMember(t, { email: uniqueEmail("viewer", t.slug), role: "viewer" });
    const caller = await signedIn(viewer.userId, hostOf(t.slug));
    await expectTRPCError(caller.templates.list(), "FORBIDDEN", { key: "errors.missingPermission" });
  });
});
