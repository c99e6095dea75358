// Consent (issue 14): sign-up records the terms and privacy notice versions accepted, with the time,
// for a new account and for an existing one opening another workspace; renters added by staff carry
// the date their contact channels were recorded. Account deletion (from the account page) keeps the
// consent records without the user.
import { describe, expect, it } from "vitest";
import { SignupService } from "@/server/workspaces/signup.public";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { PRIVACY_VERSION, TERMS_VERSION } from "@/lib/legal";
import { addMember, createTenant, uniqueSlug } from "@/server/testing/factories";
import { callerFor, expectTRPCError, hostOf, sessionFor, signedIn, testMeta, uniqueEmail } from "./support/world";

const PASSWORD = "a long enough password";

async function consentsOf(userId: string) {
  return getDb().consentRecord.findMany({ where: { userId }, orderBy: [{ acceptedAt: "asc" }, { document: "asc" }] });
}

describe("consent at sign-up", () => {
  it("records the terms and privacy notice versions accepted, with the time, for each workspace opened", async () => {
    const slug = uniqueSlug("consent");
    const email = uniqueEmail("owner", slug);
    const before = Date.now();
    const first = await new SignupService(testMeta()).signup(
      { name: "Dara", email, password: PASSWORD, workspaceName: "Dara Homes", slug },
      "en",
    );
    expect(first.ok).toBe(true);
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    const rows = await consentsOf(user.id);
    expect(rows.map((r) => [r.document, r.version])).toEqual([
      ["privacy", PRIVACY_VERSION],
      ["terms", TERMS_VERSION],
    ]);
    for (const r of rows) expect(r.acceptedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // the same account opening a second workspace accepts again (the versions then current)
    const second = await new SignupService(testMeta()).signup(
      { name: "Dara", email, password: PASSWORD, workspaceName: "Dara Two", slug: uniqueSlug("consent2") },
      "en",
    );
    expect(second.ok).toBe(true);
    expect(await consentsOf(user.id)).toHaveLength(4);
  });

  it("the database refuses a document that is not a known one", async () => {
    await expect(
      platformDb.run(
        (tx) => tx.$executeRaw`INSERT INTO "ConsentRecord" (id, document, version) VALUES (gen_random_uuid(), 'cookies', '1')`,
      ),
    ).rejects.toThrow(/ConsentRecord_document_check/);
  });
});

describe("renters' contact channels", () => {
  it("carry the date staff recorded them", async () => {
    const t = await createTenant({ slug: uniqueSlug("consentr") });
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    const created = await owner.renters.create({ nameLatin: "Keo Sreyneang", phone: "012 777 001", email: "keo@mail.test" });
    const row = await platformDb.run((tx) => tx.renter.findUniqueOrThrow({ where: { id: created.id } }));
    expect(row.contactConsentAt).toBeInstanceOf(Date);
  });
});

describe("account deletion", () => {
  it("is refused (by name) while the user owns a workspace; otherwise deletes the account, its memberships and sessions, audited", async () => {
    const slug = uniqueSlug("acctdel");
    const t = await createTenant({ slug, password: PASSWORD, ownerEmail: uniqueEmail("owner", slug) });
    const member = await addMember(t, { email: uniqueEmail("member", slug), role: "manager", password: PASSWORD });
    await getDb().consentRecord.create({ data: { userId: member.userId, document: "terms", version: TERMS_VERSION } });

    const owner = await signedIn(t.owner.userId, hostOf(slug));
    expect(await owner.accountDeletion.delete({ email: t.owner.email, password: PASSWORD })).toEqual({
      deleted: false,
      reason: "ownsWorkspace",
      workspaces: [slug],
    });
    expect(await getDb().user.count({ where: { id: t.owner.userId } })).toBe(1);

    const claims = await sessionFor(member.userId, hostOf(slug));
    const m = await callerFor(hostOf(slug), claims);
    await expectTRPCError(m.accountDeletion.delete({ email: t.owner.email, password: PASSWORD }), "NOT_FOUND", {
      key: "accountDeletion.errors.emailMismatch",
    });
    await expectTRPCError(m.accountDeletion.delete({ email: member.email, password: "wrong password" }), "BAD_REQUEST", {
      key: "accountDeletion.errors.wrongPassword",
    });
    expect(await m.accountDeletion.delete({ email: ` ${member.email.toUpperCase()} `, password: PASSWORD })).toEqual({ deleted: true });

    const db = getDb();
    expect(await db.user.count({ where: { id: member.userId } })).toBe(0);
    const left = await platformDb.run(async (tx) => ({
      memberships: await tx.membership.count({ where: { userId: member.userId } }),
      sessions: await tx.userSession.count({ where: { userId: member.userId } }),
      consents: await tx.consentRecord.count({ where: { userId: null, version: TERMS_VERSION } }),
      audit: await tx.auditLog.findMany({ where: { action: "account.deleted", targetId: member.userId } }),
    }));
    expect(left).toMatchObject({ memberships: 0, sessions: 0 });
    expect(left.consents).toBeGreaterThanOrEqual(1);
    expect(left.audit).toHaveLength(1);
    expect(left.audit[0]).toMatchObject({ tenantId: null, actorEmail: null, metadata: { memberships: 1 } });
    // the ended session no longer works (a new request with the same cookie)
    await expectTRPCError((await callerFor(hostOf(slug), claims)).workspace.current(), "UNAUTHORIZED");
  });
});
