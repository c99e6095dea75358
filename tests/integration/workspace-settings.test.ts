// Workspace settings through the workspaceSettings router: name, default language, Bakong account
// and rent reminder days, saved and audited in one transaction; validation by the shared zod
// schema (and the database CHECK behind it); refused to members without workspace.settings, in a
// read-only workspace and across tenants. Real database, real sessions.
import { ZodError } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { updateWorkspaceSettingsSchema, type UpdateWorkspaceSettingsInput } from "@/lib/schemas/workspace-settings";
import { safeError } from "@/server/api/errors";
import { createTranslator } from "@/lib/i18n";
import { callerFor, expectTRPCError, hostOf, sessionFor, signedIn, uniqueEmail, type Caller } from "./support/world";

type Member = { userId: string; email: string };
let a: CreatedTenant & { manager: Member; viewer: Member; admin: Member };
let b: CreatedTenant;

const VALID: UpdateWorkspaceSettingsInput = {
  name: "Sokha Apartments",
  locale: "km",
  bakongAccountId: "sokha_apartments@aclb",
  rentReminderDays: [7, -3, 0],
};

async function tenantRow(tenantId: string) {
  return getDb().tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { name: true, locale: true, bakongAccountId: true, rentReminderDays: true, slug: true },
  });
}

async function settingsAudit(tenantId: string) {
  return new TenantDb(tenantId).run((tx) =>
    tx.auditLog.findMany({ where: { action: "workspace.settings_updated" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  );
}

/** Awaits a rejected update and returns the zod issues (path → message key) the router refused it with. */
async function zodIssues(promise: Promise<unknown>): Promise<Record<string, string>> {
  const e = await expectTRPCError(promise, "BAD_REQUEST");
  expect(e.cause).toBeInstanceOf(ZodError);
  const out: Record<string, string> = {};
  for (const issue of (e.cause as ZodError).issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}

const owner = (t: CreatedTenant): Promise<Caller> => signedIn(t.owner.userId, hostOf(t.slug));

beforeAll(async () => {
  const slug = uniqueSlug("wsa");
  const t = await createTenant({ slug, name: "Before name", locale: "en" });
  const [manager, viewer, admin] = await Promise.all([
    addMember(t, { email: uniqueEmail("manager", slug), role: "manager" }),
    addMember(t, { email: uniqueEmail("viewer", slug), role: "viewer" }),
    addMember(t, { email: uniqueEmail("admin", slug), role: "admin" }),
  ]);
  a = { ...t, manager, viewer, admin };
  b = await createTenant({ slug: uniqueSlug("wsb"), name: "Globex B", locale: "en" });
});

describe("workspaceSettings.get / update", () => {
  it("starts from the defaults: no Bakong account, reminders -3, 1 and 7", async () => {
    const t = await createTenant({ slug: uniqueSlug("wsd"), name: "Fresh" });
    await expect((await owner(t)).workspaceSettings.get()).resolves.toEqual({
      name: "Fresh",
      locale: "en",
      bakongAccountId: null,
      rentReminderDays: [-3, 1, 7],
    });
  });

  it("saves all four settings, normalised, and audits before/after of what changed in the same transaction", async () => {
    const caller = await owner(a);
    const saved = await caller.workspaceSettings.update({ ...VALID, bakongAccountId: "  Sokha_Apartments@ACLB " });
    expect(saved).toEqual({
      name: "Sokha Apartments",
      locale: "km",
      bakongAccountId: "sokha_apartments@aclb",
      rentReminderDays: [-3, 0, 7],
    });
    expect(await caller.workspaceSettings.get()).toEqual(saved);
    expect(await tenantRow(a.tenantId)).toMatchObject({
      name: "Sokha Apartments",
      locale: "km",
      bakongAccountId: "sokha_apartments@aclb",
      rentReminderDays: [-3, 0, 7],
    });

    const rows = await settingsAudit(a.tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorUserId: a.owner.userId,
      targetType: "Tenant",
      targetId: a.tenantId,
      metadata: {
        before: { name: "Before name", locale: "en", bakongAccountId: null, rentReminderDays: [-3, 1, 7] },
        after: { name: "Sokha Apartments", locale: "km", bakongAccountId: "sokha_apartments@aclb", rentReminderDays: [-3, 0, 7] },
      },
    });

    // the same values again: nothing written, nothing audited
    await caller.workspaceSettings.update({ ...VALID, rentReminderDays: [0, 7, -3] });
    expect(await settingsAudit(a.tenantId)).toHaveLength(1);

    // an admin (has workspace.settings) clears the account and all reminders: only those fields are audited
    const admin = await signedIn(a.admin.userId, hostOf(a.slug));
    const cleared = await admin.workspaceSettings.update({ ...VALID, bakongAccountId: "", rentReminderDays: [] });
    expect(cleared).toMatchObject({ bakongAccountId: null, rentReminderDays: [] });
    const after = await settingsAudit(a.tenantId);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({
      actorUserId: a.admin.userId,
      metadata: {
        before: { bakongAccountId: "sokha_apartments@aclb", rentReminderDays: [-3, 0, 7] },
        after: { bakongAccountId: null, rentReminderDays: [] },
      },
    });
    expect(Object.keys((after[1]!.metadata as { after: object }).after).sort()).toEqual(["bakongAccountId", "rentReminderDays"]);
    expect(await tenantRow(a.tenantId)).toMatchObject({ bakongAccountId: null, rentReminderDays: [] });

    // six reminders at the limits are fine
    const six = await caller.workspaceSettings.update({ ...VALID, rentReminderDays: [60, -30, 0, 1, -1, 30] });
    expect(six.rentReminderDays).toEqual([-30, -1, 0, 1, 30, 60]);
  });
});

describe("validation", () => {
  it("refuses bad values field by field with i18n keys, and changes nothing", async () => {
    const caller = await owner(a);
    const before = await tenantRow(a.tenantId);
    const auditBefore = (await settingsAudit(a.tenantId)).length;

    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, name: "   " }))).toEqual({ name: "validation.required" });
    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, name: "x".repeat(101) }))).toEqual({
      name: "settings.errors.nameTooLong",
    });
    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, locale: "fr" as "en" }))).toEqual({
      locale: "settings.errors.locale",
    });
    for (const bad of [
      "sokha",
      "sokha@",
      "@aclb",
      "a@b@aclb",
      "so kha@aclb",
      "sokha@ac-lb",
      "_sokha@aclb",
      "sokha_apartments_phnom_penh_1@aclb",
    ]) {
      const issues = await zodIssues(caller.workspaceSettings.update({ ...VALID, bakongAccountId: bad }));
      expect(issues, bad).toEqual({
        bakongAccountId: bad.length > 32 ? "settings.errors.bakongTooLong" : "settings.errors.bakongFormat",
      });
    }
    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, rentReminderDays: [-3, 61] }))).toEqual({
      "rentReminderDays.1": "settings.errors.reminderDayRange",
    });
    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, rentReminderDays: [-31] }))).toEqual({
      "rentReminderDays.0": "settings.errors.reminderDayRange",
    });
    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, rentReminderDays: [1.5] }))).toEqual({
      "rentReminderDays.0": "settings.errors.reminderDayNumber",
    });
    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, rentReminderDays: [1, 7, 1] }))).toEqual({
      rentReminderDays: "settings.errors.reminderDuplicate",
    });
    expect(await zodIssues(caller.workspaceSettings.update({ ...VALID, rentReminderDays: [-3, -2, -1, 0, 1, 2, 3] }))).toEqual({
      rentReminderDays: "settings.errors.reminderTooMany",
    });

    expect(await tenantRow(a.tenantId)).toEqual(before);
    expect(await settingsAudit(a.tenantId)).toHaveLength(auditBefore);
  });

  it("sends the client the translated field errors (what the form shows inline), the same the form computes itself", async () => {
    const caller = await owner(a);
    const e = await expectTRPCError(
      caller.workspaceSettings.update({ ...VALID, bakongAccountId: "sokha", rentReminderDays: [90] }),
      "BAD_REQUEST",
    );
    const km = createTranslator("km");
    expect(safeError(e, "km", null)).toMatchObject({
      appCode: "VALIDATION",
      fieldErrors: { bakongAccountId: km("settings.errors.bakongFormat"), "rentReminderDays.0": km("settings.errors.reminderDayRange") },
    });
    expect(km("settings.errors.bakongFormat")).not.toBe(createTranslator("en")("settings.errors.bakongFormat"));
    const parsed = updateWorkspaceSettingsSchema.safeParse({ ...VALID, bakongAccountId: "sokha", rentReminderDays: [90] });
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["bakongAccountId", "settings.errors.bakongFormat"],
      ["rentReminderDays.0", "settings.errors.reminderDayRange"],
    ]);
  });

  it("is backed by the database CHECK on reminder days", async () => {
    await expect(getDb().tenant.update({ where: { id: b.tenantId }, data: { rentReminderDays: [1, 2, 3, 4, 5, 6, 7] } })).rejects.toThrow(
      /Tenant_reminder_days_check|check constraint/i,
    );
    await expect(getDb().tenant.update({ where: { id: b.tenantId }, data: { rentReminderDays: [61] } })).rejects.toThrow(
      /Tenant_reminder_days_check|check constraint/i,
    );
  });
});

describe("permissions", () => {
  it.each(["manager", "viewer"] as const)("lets a %s read the settings but not change them", async (role) => {
    const caller = await signedIn(a[role].userId, hostOf(a.slug));
    const before = await tenantRow(a.tenantId);
    await expect(caller.workspaceSettings.get()).resolves.toMatchObject({ name: before.name });
    await expectTRPCError(caller.workspaceSettings.update({ ...VALID, name: "Hijacked" }), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "errors.missingPermission",
    });
    expect(await tenantRow(a.tenantId)).toEqual(before);
  });

  it("refuses changes in a read-only (suspended subscription) workspace, reads still work", async () => {
    const t = await createTenant({ slug: uniqueSlug("wsro"), name: "Read only", subscription: { status: "suspended" } });
    const caller = await owner(t);
    await expect(caller.workspaceSettings.get()).resolves.toMatchObject({ name: "Read only" });
    await expectTRPCError(caller.workspaceSettings.update({ ...VALID }), "FORBIDDEN", { key: "errors.workspaceReadOnly" });
    expect(await tenantRow(t.tenantId)).toMatchObject({ name: "Read only", bakongAccountId: null });
    expect(await settingsAudit(t.tenantId)).toHaveLength(0);
  });

  it("needs a session", async () => {
    await expectTRPCError((await callerFor(hostOf(a.slug), null)).workspaceSettings.get(), "UNAUTHORIZED");
    await expectTRPCError((await callerFor(hostOf(a.slug), null)).workspaceSettings.update({ ...VALID }), "UNAUTHORIZED");
  });
});

describe("tenant isolation", () => {
  it("changes only the caller's own workspace and never shows another's settings", async () => {
    const aBefore = await tenantRow(a.tenantId);
    const aAudit = (await settingsAudit(a.tenantId)).length;
    const bCaller = await owner(b);
    const got = await bCaller.workspaceSettings.get();
    expect(got).toEqual({ name: "Globex B", locale: "en", bakongAccountId: null, rentReminderDays: [-3, 1, 7] });
    await bCaller.workspaceSettings.update({ name: "Globex renamed", locale: "km", bakongAccountId: "globex@wing", rentReminderDays: [2] });
    expect(await tenantRow(b.tenantId)).toMatchObject({ name: "Globex renamed", bakongAccountId: "globex@wing", rentReminderDays: [2] });
    expect(await tenantRow(a.tenantId)).toEqual(aBefore);
    expect(await settingsAudit(a.tenantId)).toHaveLength(aAudit);
    expect(await settingsAudit(b.tenantId)).toHaveLength(1);
  });

  it("refuses A's owner on B's host: A's cookie (UNAUTHORIZED), or a session there without membership (NOT_FOUND)", async () => {
    const bBefore = await tenantRow(b.tenantId);
    const aClaims = await sessionFor(a.owner.userId, hostOf(a.slug));
    const replayed = await callerFor(hostOf(b.slug), aClaims);
    await expectTRPCError(replayed.workspaceSettings.get(), "UNAUTHORIZED");
    await expectTRPCError(replayed.workspaceSettings.update({ ...VALID, name: "Hijacked" }), "UNAUTHORIZED");

    const notMember = await callerFor(hostOf(b.slug), await sessionFor(a.owner.userId, hostOf(b.slug)));
    await expectTRPCError(notMember.workspaceSettings.get(), "NOT_FOUND", { key: "errors.notFound" });
    await expectTRPCError(notMember.workspaceSettings.update({ ...VALID, name: "Hijacked" }), "NOT_FOUND", { key: "errors.notFound" });
    expect(await tenantRow(b.tenantId)).toEqual(bBefore);
  });
});
