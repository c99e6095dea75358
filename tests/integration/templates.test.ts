// Message templates against the real database, through the templates / adminTemplates procedures
// and renderMessage: the fallback order (tenant+locale → tenant default locale → global+locale →
// global en → built-in), validation on save, the custom_templates plan feature, the preview, the
// audit trail, and tenant isolation (one tenant's override never reaches another tenant).
//
// Global templates are shared with the test files running alongside: this file only stores global
// rows for the contract.* keys (nothing else sends them yet) and deletes them again.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { setMailTransportForTests, type MailMessage, type MailTransport } from "@/server/notifications/mail";
import { deliverSoon, flushDeliveries, queueMessage } from "@/server/notifications/queue";
import { AuthService } from "@/server/auth/auth.public";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { safeError } from "@/server/api/errors";
import { resolveTemplate } from "@/server/notifications/templates";
import { renderMessage } from "@/server/notifications/template-render";
import {
  APEX_KEYS,
  MESSAGE_CATALOG,
  MESSAGE_KEYS,
  SECURITY_KEYS,
  DIRECT_KEYS,
  TENANT_TEMPLATE_KEYS,
  WORKSPACE_SECRET_KEYS,
  type MessageKey,
  type TemplateLocale,
} from "@/lib/notifications/catalog";
import { createTenant, setSubscription, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { addMember } from "@/server/testing/factories";
import { expectTRPCError, hostOf, signedIn, testMeta, uniqueEmail, type Caller } from "./support/world";
import { platformAdmin, platformAudit, tenantAudit, tenantScope } from "./support/team";

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
  setMailTransportForTests(captureTransport);
});

afterAll(async () => {
  setMailTransportForTests(undefined);
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
    expect(p.check).toEqual({ ok: false, unknown: ["oops"], malformed: [], misplaced: [] });
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
    // every message but the security ones (password reset, invitation), which workspaces cannot override
    expect(before).toHaveLength(TENANT_TEMPLATE_KEYS.length * 2);
    expect(before.some((r) => SECURITY_KEYS.includes(r.key))).toBe(false);
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

// ---------------------------------------------------------------------------------------------
// Issue 11: a secret variable (a single-use link that signs someone in or joins them to a
// workspace) may appear only as the address of a button in the body. A workspace cannot override
// the security messages that carry one at all; platform admins can, under the same placement
// rule; a stored template that breaks the rule (old data) is skipped at render; and nothing that is
// stored or shown in the message log carries the secret's value.

const captured: MailMessage[] = [];
const captureTransport: MailTransport = {
  name: "capture",
  async send(message) {
    captured.push(message);
    return { id: `captured-${randomUUID()}` };
  },
};
const mail = { to: (email: string) => captured.filter((m) => m.to === email) };
const SECRET_KEYS = MESSAGE_KEYS.filter((k) => MESSAGE_CATALOG[k].secrets.length > 0);

/**
 * The workspace messages with a secret, sent through their real service to a new address of `t`
 * (the link's path, to find it in the mail). Any other key with a secret goes through the queue
 * with the catalog's sample values and a fresh token (see `sendThroughQueue`).
 */
const TRIGGERS: Record<string, { path: "invite" | "reset-password"; send: (t: CreatedTenant) => Promise<string> }> = {
  "auth.password_reset": {
    path: "reset-password",
    send: async (t) => {
      const email = uniqueEmail("victim", t.slug);
      const victim = await addMember(t, { email, role: "manager" });
      const user = await getDb().user.findUniqueOrThrow({ where: { id: victim.userId } });
      await new AuthService(testMeta()).sendResetLink(await tenantScope(t.slug), user, "en");
      return email;
    },
  },
  "team.invitation": {
    path: "invite",
    send: async (t) => {
      const email = uniqueEmail("invitee", t.slug);
      await (await owner(t)).members.invite({ email, roleId: t.roles.admin });
      return email;
    },
  },
};

async function sendThroughQueue(key: MessageKey, t: CreatedTenant): Promise<string> {
  const to = uniqueEmail("secret", t.slug);
  const variables: Record<string, string> = { ...MESSAGE_CATALOG[key].sample };
  for (const name of MESSAGE_CATALOG[key].secrets) variables[name] = `https://${t.slug}.localhost:3000/secret?token=q-${randomUUID()}`;
  const { id } = await new TenantDb(t.tenantId).run((tx) =>
    queueMessage(tx, { tenantId: t.tenantId, key, to, locale: "en", variables, dedupeKey: `secret:${randomUUID()}` }),
  );
  deliverSoon([id]);
  return to;
}

/** Sends the key's message; after `flushDeliveries()` its mail (if any) is captured and its row stored. */
const sendSecret = (key: MessageKey, t: CreatedTenant) => (TRIGGERS[key] ? TRIGGERS[key].send(t) : sendThroughQueue(key, t));
const linkPath = (key: MessageKey) => TRIGGERS[key]?.path ?? "secret";

/** The secret link of a sent mail (the first address with `?token=` of its text). */
function secretLink(m: MailMessage): { url: string; token: string } {
  const found = /(https?:\/\/[^\s/]+\/[a-z-]+\?token=)([A-Za-z0-9_%-]+)/.exec(m.text);
  if (!found) throw new Error(`no secret link in: ${m.text}`);
  return { url: `${found[1]}${found[2]}`, token: decodeURIComponent(found[2]!) };
}

describe("secret variables", () => {
  it("covers every key that carries a secret: each is a security message", () => {
    expect(SECRET_KEYS).toEqual(expect.arrayContaining(["auth.password_reset", "team.invitation"]));
    // and the apex's own messages (sent without a workspace)
    // and the messages sent directly, never logged (the renter portal's sign-in code)
    // but the workspace's own renter messages with a one-time Telegram link: secret, yet their wording is the workspace's
    const closedSecrets = SECRET_KEYS.filter((k) => !WORKSPACE_SECRET_KEYS.includes(k));
    expect([...SECURITY_KEYS].sort()).toEqual([...closedSecrets, ...APEX_KEYS, ...DIRECT_KEYS].sort());
    expect(WORKSPACE_SECRET_KEYS).toEqual(["contract.activated"]);
    for (const k of WORKSPACE_SECRET_KEYS)
      expect(SECRET_KEYS.includes(k as MessageKey) && TENANT_TEMPLATE_KEYS.includes(k as MessageKey), k).toBe(true);
  });

  describe.each(SECRET_KEYS)("%s", (key) => {
    const secret = MESSAGE_CATALOG[key].secrets[0]!;
    const tok = `{{${secret}}}`;

    it("a workspace cannot see or override it: the attack (the link in the subject) and a harmless text are both refused", async () => {
      const t = await createTenant({ slug: uniqueSlug("tsec") });
      const me = await owner(t);
      if (WORKSPACE_SECRET_KEYS.includes(key)) {
        // open to the workspace's wording, under the same placement rule: the attack is refused, the harmless text saved
        const e = await expectTRPCError(
          me.templates.save({ key, locale: "en", subject: `Click ${tok}`, body: MESSAGE_CATALOG[key].defaults.en.body }),
          "BAD_REQUEST",
          { key: "templates.errors.secretInSubject" },
        );
        expect(safeError(e, "en", null).message).toContain(tok);
        expect(await new TenantDb(t.tenantId).run((tx) => tx.tenantTemplate.count())).toBe(0);
        expect((await me.templates.list()).some((r) => r.key === key)).toBe(true);
        return;
      }
      for (const text of [{ subject: `Click ${tok}`, body: MESSAGE_CATALOG[key].defaults.en.body }, MESSAGE_CATALOG[key].defaults.en]) {
        const e = await expectTRPCError(me.templates.save({ key, locale: "en", ...text }), "FORBIDDEN", {
          key: "templates.errors.securityMessage",
        });
        expect(safeError(e, "en", null).message).not.toMatch(/templates\.errors/);
        expect(safeError(e, "km", null).message).not.toBe(safeError(e, "en", null).message);
      }
      await expectTRPCError(me.templates.get({ key, locale: "en" }), "FORBIDDEN", { key: "templates.errors.securityMessage" });
      await expectTRPCError(me.templates.preview({ key, locale: "en", subject: "x", body: "y" }), "FORBIDDEN", {
        key: "templates.errors.securityMessage",
      });
      expect((await me.templates.list()).some((r) => r.key === key)).toBe(false);
      expect(await new TenantDb(t.tenantId).run((tx) => tx.tenantTemplate.count())).toBe(0);
      expect(await tenantAudit(t.tenantId, "template.saved")).toEqual([]);
    });

    it("a platform admin may place it only as a button's address", async () => {
      const d = MESSAGE_CATALOG[key].defaults.en;
      const cases: Array<[string, { subject: string; body: string }, string]> = [
        ["subject", { subject: `${d.subject} ${tok}`, body: d.body }, "templates.errors.secretInSubject"],
        [
          "free text",
          { subject: d.subject, body: `${d.body}\n\nOr paste ${tok} into your browser.` },
          "templates.errors.secretOutsideButton",
        ],
        ["a line of text", { subject: d.subject, body: `${d.body}\n\n${tok}` }, "templates.errors.secretOutsideButton"],
        [
          "a button's label",
          { subject: d.subject, body: `${d.body}\n\n[${tok}](https://example.test)` },
          "templates.errors.secretOutsideButton",
        ],
        [
          "part of another address",
          { subject: d.subject, body: `[Go](https://evil.example/?t=${tok})` },
          "templates.errors.secretOutsideButton",
        ],
      ];
      for (const [where, text, errorKey] of cases) {
        const e = await expectTRPCError(admin.caller.adminTemplates.save({ key, locale: "en", ...text }), "BAD_REQUEST", {
          code: "VALIDATION",
          key: errorKey,
        });
        expect(safeError(e, "en", null).message, where).toContain(tok);
        expect(safeError(e, "km", null).message, where).toContain(tok);
        const preview = await admin.caller.adminTemplates.preview({ key, locale: "en", ...text });
        expect(preview.check.ok, where).toBe(false);
        expect(preview.check.misplaced, where).toContainEqual({ field: where === "subject" ? "subject" : "body", variable: secret });
        // the preview never shows a secret outside a button either
        expect(preview.subject).not.toContain(MESSAGE_CATALOG[key].sample[secret]!);
      }
      expect(await platformDb.run((tx) => tx.globalTemplate.count({ where: { key } }))).toBe(0);
      // the built-in wording (the link as the button) is accepted; saving it changes nothing for anyone
      expect(await admin.caller.adminTemplates.save({ key, locale: "en", ...d })).toMatchObject({ overridden: true, source: "global" });
      expect(await admin.caller.adminTemplates.reset({ key, locale: "en" })).toMatchObject({ removed: true });
    });

    it("old templates with the secret in the subject and text are skipped: the mail keeps its working button, the log never shows the token", async () => {
      const t = await createTenant({ slug: uniqueSlug("tsel"), name: "Quiet Flats" });
      const viewer = await addMember(t, { email: uniqueEmail("viewer", t.slug), role: "viewer" });
      const viewerCaller = await signedIn(viewer.userId, hostOf(t.slug));
      const leaky = { subject: `Leak ${tok}`, body: `Token: ${tok}\n\n[Open]({{${secret}}})` };
      // rows written before the rule (straight to the tables): the workspace's override and a global one
      await new TenantDb(t.tenantId).run((tx) =>
        tx.tenantTemplate.createMany({
          data: (["en", "km"] as const).map((locale) => ({ tenantId: t.tenantId, key, channel: "email" as const, locale, ...leaky })),
        }),
      );
      const global = await platformDb.run((tx) => tx.globalTemplate.create({ data: { key, channel: "email", locale: "en", ...leaky } }));
      try {
        const to = await sendSecret(key, t);
        await flushDeliveries();
        const sent = mail.to(to);
        expect(sent).toHaveLength(1);
        const { url, token } = secretLink(sent[0]!);
        // the e-mail: the built-in wording, the link only as the button (and its plain-text twin)
        expect(sent[0]!.subject).not.toContain(token);
        expect(sent[0]!.subject).not.toContain("Leak");
        expect(sent[0]!.html).toContain(`href="${url}"`);
        expect(sent[0]!.html).not.toContain("Token:");

        const row = await new TenantDb(t.tenantId).run((tx) => tx.outboundMessage.findFirstOrThrow({ where: { to, key } }));
        expect(row.status).toBe("sent");
        expect(JSON.stringify(row)).not.toContain(token);
        expect(row.bodyText).toContain("[hidden]");

        const listed = await viewerCaller.messages.list({});
        const detail = await viewerCaller.messages.get({ messageId: row.id });
        const inConsole = await admin.caller.adminMessages.get({ messageId: row.id });
        for (const shown of [listed, detail, inConsole]) expect(JSON.stringify(shown)).not.toContain(token);
        expect(detail.subject).toBe(sent[0]!.subject);
      } finally {
        await platformDb.run((tx) => tx.globalTemplate.delete({ where: { id: global.id } }));
      }
    });

    it("renders a stored template that breaks the rule by falling back, and never puts the secret outside a button", async () => {
      const t = await createTenant({ slug: uniqueSlug("tser") });
      const link = `https://${t.slug}.example.test/${linkPath(key)}?token=render-${t.slug}`;
      const variables = { ...MESSAGE_CATALOG[key].sample, [secret]: link };
      await new TenantDb(t.tenantId).run((tx) =>
        tx.tenantTemplate.create({
          data: { tenantId: t.tenantId, key, channel: "email", locale: "en", subject: `S ${tok}`, body: `B ${tok}` },
        }),
      );
      const r = await new TenantDb(t.tenantId).run((tx) =>
        renderMessage(tx, { tenantId: t.tenantId, key, channel: "email", locale: "en", variables }),
      );
      expect(r.source).toMatch(/^(global|catalog)/);
      expect(r.subject).not.toContain(link);
      expect(r.html).toContain(`href="${link}"`);
      expect(r.redactedText).not.toContain(link);

      // even a well-formed workspace override of a security message is ignored (a workspace-editable one is used,
      // with the secret still only as the button's address)
      const d = MESSAGE_CATALOG[key].defaults.en;
      await new TenantDb(t.tenantId).run((tx) =>
        tx.tenantTemplate.updateMany({ where: { key }, data: { subject: "Workspace wording", body: `Hi\n\n[Go](${tok})` } }),
      );
      const r2 = await new TenantDb(t.tenantId).run((tx) =>
        renderMessage(tx, { tenantId: t.tenantId, key, channel: "email", locale: "en", variables }),
      );
      if (WORKSPACE_SECRET_KEYS.includes(key)) {
        expect(r2).toMatchObject({ source: "tenant", subject: "Workspace wording" });
        expect(r2.redactedText).not.toContain(link);
      } else {
        expect(r2.source).toMatch(/^(global|catalog)/);
        expect(r2.subject).not.toBe("Workspace wording");
      }
      expect(r2.html).toContain(`href="${link}"`);
      expect(d.body).toContain(`(${tok})`);
    });

    it("a failed send stores no token in the error either", async () => {
      const t = await createTenant({ slug: uniqueSlug("tsef") });
      // a provider whose refusal quotes the message back (as some do)
      setMailTransportForTests({
        name: "echo",
        async send(m) {
          throw new Error(`rejected ${m.subject} ${m.text}`);
        },
      });
      try {
        const to = await sendSecret(key, t);
        await flushDeliveries();
        const row = await new TenantDb(t.tenantId).run((tx) => tx.outboundMessage.findFirstOrThrow({ where: { to, key } }));
        expect(row.status).toBe("queued");
        expect(row.lastError).toContain("rejected");
        const vars = row.variables as Record<string, string>;
        const value = vars[secret]!;
        expect(value).toMatch(/token=/);
        expect(row.lastError).not.toContain(value);
        expect(row.subject ?? "").not.toContain(value);
        expect(row.bodyText ?? "").not.toContain(value);
        const viewer = await addMember(t, { email: uniqueEmail("viewer", t.slug), role: "viewer" });
        const shown = await (await signedIn(viewer.userId, hostOf(t.slug))).messages.get({ messageId: row.id });
        expect(JSON.stringify(shown)).not.toContain(value);
      } finally {
        setMailTransportForTests(captureTransport);
      }
    });

    it("hides a token a message sent before the fix kept in its subject, text and error", async () => {
      const t = await createTenant({ slug: uniqueSlug("tseo") });
      const viewer = await addMember(t, { email: uniqueEmail("viewer", t.slug), role: "viewer" });
      const leaked = `https://${t.slug}.localhost:3000/${linkPath(key)}?token=old-${t.slug}-Zx9`;
      const m = await new TenantDb(t.tenantId).run((tx) =>
        tx.outboundMessage.create({
          data: {
            tenantId: t.tenantId,
            key,
            locale: "en",
            to: `someone@${t.slug}.test`,
            dedupeKey: `old:${t.slug}`,
            status: "sent",
            variables: {},
            subject: `Reset ${leaked}`,
            bodyText: `Your link: ${leaked}\n\n[Open] ${leaked}`,
            lastError: `rejected: ${leaked}`,
          },
        }),
      );
      const caller = await signedIn(viewer.userId, hostOf(t.slug));
      const shown = [
        await caller.messages.list({}),
        await caller.messages.get({ messageId: m.id }),
        await admin.caller.adminMessages.get({ messageId: m.id }),
      ];
      for (const s of shown) {
        expect(JSON.stringify(s)).not.toContain(`old-${t.slug}-Zx9`);
        expect(JSON.stringify(s)).toContain("[hidden]");
      }
    });
  });
});
