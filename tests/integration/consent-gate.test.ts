// Consent (issue 14, docs/PRIVACY_RETENTION.md "Consent"): the sign-up form's box must be ticked
// (refused server-side with a translated error, nothing created), and a user whose last accepted
// terms of service / privacy notice version is older than lib/legal.ts's is refused by every
// workspace and console procedure and route until they accept on the accept page; accepting
// records one ConsentRecord per document with the current version and an audit row.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionClaims } from "@/server/auth/auth.public";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { CURRENT_VERSIONS, PRIVACY_VERSION, TERMS_VERSION } from "@/lib/legal";
import { pendingConsents } from "@/server/auth/consent.public";
import { safeError } from "@/server/api/errors";
import { loadLegalText } from "@/server/auth/legal-documents";
import { createTenant, createUser, uniqueSlug } from "@/server/testing/factories";
import { APEX, PORT, callerFor, expectTRPCError, hostOf, passMfa, sessionFor, uniqueEmail, uniqueIp } from "./support/world";

const current = vi.hoisted(() => ({ claims: null as Partial<SessionClaims> | null }));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims, signOut: async () => undefined }));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as signupRoute } from "@/app/api/session/signup/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as acceptRoute } from "@/app/api/session/accept-terms/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as exportRoute } from "@/app/(app)/t/[tenant]/(workspace)/settings/export/route";

const OLD = "2025-01-01";

afterEach(() => {
  current.claims = null;
});

function post(
  handler: (r: Request) => Promise<Response>,
  hostname: string,
  path: string,
  body: Record<string, unknown>,
  opts: { form?: boolean; lang?: string } = {},
) {
  const host = `${hostname}:${PORT}`;
  const headers: Record<string, string> = {
    host,
    origin: `http://${host}`,
    "x-forwarded-for": uniqueIp(),
    "accept-language": opts.lang ?? "en",
    "content-type": opts.form ? "application/x-www-form-urlencoded" : "application/json",
  };
  const payload = opts.form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
  return handler(new Request(`http://${host}${path}`, { method: "POST", headers, body: payload }));
}

function signupFields(slug: string) {
  return { name: "Dara", email: uniqueEmail("owner", slug), password: "a long enough password", workspaceName: "Dara Homes", slug };
}

/** A user who accepted an older version of both documents than the current one. */
async function acceptedOld(userId: string) {
  await getDb().consentRecord.createMany({
    data: [
      { userId, document: "terms", version: OLD, acceptedAt: new Date("2025-01-02T00:00:00Z") },
      { userId, document: "privacy", version: OLD, acceptedAt: new Date("2025-01-02T00:00:00Z") },
    ],
  });
}

async function consentsOf(userId: string) {
  return getDb().consentRecord.findMany({ where: { userId }, orderBy: [{ version: "asc" }, { document: "asc" }] });
}

describe("the sign-up consent box", () => {
  it("refuses a sign-up without the box ticked: a translated field error, and nothing is created", async () => {
    const fields = signupFields(uniqueSlug("noconsent"));
    for (const [lang, text] of [
      ["en", "Tick the box to accept the terms of service and the privacy notice."],
      ["km", "សូមធីកប្រអប់ ដើម្បីយល់ព្រមលើលក្ខខណ្ឌប្រើប្រាស់ និងសេចក្ដីជូនដំណឹងអំពីឯកជនភាព។"],
    ] as const) {
      for (const acceptTerms of [undefined, false, "", "no"]) {
        const res = await post(signupRoute, APEX, "/api/session/signup", { ...fields, acceptTerms }, { lang });
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { fieldErrors: Record<string, string> } };
        expect(body.error.fieldErrors).toEqual({ acceptTerms: text });
      }
    }
    expect(await getDb().tenant.findUnique({ where: { slug: fields.slug } })).toBeNull();
    expect(await getDb().user.findUnique({ where: { email: fields.email } })).toBeNull();
  });

  it("a plain form post without the box comes back to the form with the field named, nothing typed in the URL", async () => {
    const fields = signupFields(uniqueSlug("noconsentf"));
    const res = await post(signupRoute, APEX, "/api/session/signup", fields, { form: true });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/signup?error=consentRequired&field=acceptTerms");
    expect(await getDb().tenant.findUnique({ where: { slug: fields.slug } })).toBeNull();
  });

  it('with the box ticked (JSON true, or the form\'s "on") the workspace is created and the versions recorded with the time', async () => {
    for (const [acceptTerms, form] of [
      [true, false],
      ["on", true],
    ] as const) {
      const fields = signupFields(uniqueSlug("consentok"));
      const before = Date.now();
      const res = await post(signupRoute, APEX, "/api/session/signup", { ...fields, acceptTerms }, { form });
      expect(res.status).toBe(form ? 303 : 201);
      const user = await getDb().user.findUniqueOrThrow({ where: { email: fields.email } });
      const rows = await consentsOf(user.id);
      expect(rows.map((r) => [r.document, r.version])).toEqual([
        ["privacy", PRIVACY_VERSION],
        ["terms", TERMS_VERSION],
      ]);
      for (const r of rows) expect(r.acceptedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(await pendingConsents(user.id)).toEqual([]);
    }
  });
});

describe("the legal texts", () => {
  it("exist for the current version of each document in English and Khmer, and state that version", async () => {
    for (const document of ["terms", "privacy"] as const) {
      for (const locale of ["en", "km"] as const) {
        const text = await loadLegalText(document, locale);
        expect(text.version).toBe(CURRENT_VERSIONS[document]);
        expect(text.blocks.length).toBeGreaterThan(3);
        if (locale === "km") expect(text.title).toMatch(/[\u1780-\u17FF]/);
      }
    }
  });
});

describe("re-consent after a new version", () => {
  it("refuses a member's workspace procedures and routes until they accept; accepting records the versions and an audit row", async () => {
    const t = await createTenant({ slug: uniqueSlug("reconsent") });
    await acceptedOld(t.owner.userId);
    expect(await pendingConsents(t.owner.userId)).toEqual(["terms", "privacy"]);
    const host = hostOf(t.slug);
    const claims = await sessionFor(t.owner.userId, host);
    const caller = await callerFor(host, claims, { "accept-language": "en" });

    const refused = await expectTRPCError(caller.account.profile(), "FORBIDDEN", { code: "FORBIDDEN", key: "consent.pending" });
    expect(safeError(refused, "en", null).message).toBe("Accept the updated terms of service and privacy notice to continue.");
    await expectTRPCError(caller.properties.list({}), "FORBIDDEN", { key: "consent.pending" });
    // a route handler of the workspace too (the export download)
    current.claims = claims;
    const exp = await exportRoute(
      new Request(`http://${host}:${PORT}/settings/export`, { headers: { host: `${host}:${PORT}`, "accept-language": "en" } }),
      { params: Promise.resolve({ tenant: t.slug }) },
    );
    expect(exp.status).toBe(403);

    // another user's session cannot accept for them: the accept route needs this host's member
    current.claims = null;
    expect((await post(acceptRoute, host, "/api/session/accept-terms", {})).status).toBe(401);
    expect(await pendingConsents(t.owner.userId)).toHaveLength(2);

    current.claims = claims;
    const res = await post(acceptRoute, host, "/api/session/accept-terms", {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redirectTo: "/" });
    const rows = await consentsOf(t.owner.userId);
    expect(rows.map((r) => [r.document, r.version])).toEqual([
      ["privacy", OLD],
      ["terms", OLD],
      ["privacy", PRIVACY_VERSION],
      ["terms", TERMS_VERSION],
    ]);
    const audit = await platformDb.run((tx) =>
      tx.auditLog.findMany({ where: { tenantId: t.tenantId, action: "account.terms_accepted", actorUserId: t.owner.userId } }),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.metadata).toEqual({ terms: TERMS_VERSION, privacy: PRIVACY_VERSION });

    // now the same session works, and accepting again records nothing more
    await expect(caller.account.profile()).resolves.toMatchObject({ email: t.owner.email });
    expect((await post(acceptRoute, host, "/api/session/accept-terms", {})).status).toBe(200);
    expect(await consentsOf(t.owner.userId)).toHaveLength(4);
  });

  it("asks only for the document whose version is newer; a user who never accepted anything is not asked", async () => {
    const t = await createTenant({ slug: uniqueSlug("reconsent1") });
    await getDb().consentRecord.createMany({
      data: [
        { userId: t.owner.userId, document: "terms", version: TERMS_VERSION },
        { userId: t.owner.userId, document: "privacy", version: OLD },
      ],
    });
    expect(await pendingConsents(t.owner.userId)).toEqual(["privacy"]);
    const fresh = await createTenant({ slug: uniqueSlug("noconsentrec") });
    expect(await pendingConsents(fresh.owner.userId)).toEqual([]);
    const caller = await callerFor(hostOf(fresh.slug), await sessionFor(fresh.owner.userId, hostOf(fresh.slug)));
    await expect(caller.account.profile()).resolves.toMatchObject({ email: fresh.owner.email });
  });

  it("a plain form post accepts and goes on to the workspace", async () => {
    const t = await createTenant({ slug: uniqueSlug("reconsentf") });
    await acceptedOld(t.owner.userId);
    const host = hostOf(t.slug);
    current.claims = await sessionFor(t.owner.userId, host);
    const res = await post(acceptRoute, host, "/api/session/accept-terms", {}, { form: true });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect(await pendingConsents(t.owner.userId)).toEqual([]);
  });

  it("refuses the admin console's procedures (after 2FA) until the platform admin accepts on the apex; the 2FA step itself stays open", async () => {
    const email = uniqueEmail("admin", uniqueSlug("reconsenta"));
    const admin = await createUser({ email, isPlatformAdmin: true, password: "admin password long" });
    await acceptedOld(admin.id);
    const claims = await passMfa(await sessionFor(admin.id, APEX));
    const caller = await callerFor(APEX, claims, { "accept-language": "km" });
    const refused = await expectTRPCError(caller.admin.tenants({}), "FORBIDDEN", { key: "consent.pending" });
    expect(safeError(refused, "km", null).message).toBe("សូមយល់ព្រមលើលក្ខខណ្ឌប្រើប្រាស់ និងសេចក្ដីជូនដំណឹងអំពីឯកជនភាព ដែលបានធ្វើបច្ចុប្បន្នភាព ដើម្បីបន្ត។");

    current.claims = claims;
    const res = await post(acceptRoute, APEX, "/api/session/accept-terms", {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redirectTo: "/admin" });
    await expect(caller.admin.tenants({})).resolves.toBeDefined();
    const audit = await platformDb.run((tx) =>
      tx.auditLog.findMany({ where: { tenantId: null, action: "account.terms_accepted", actorUserId: admin.id } }),
    );
    expect(audit).toHaveLength(1);
  });

  it("a non-admin on the apex cannot use the accept route (not found)", async () => {
    const t = await createTenant({ slug: uniqueSlug("reconsentn") });
    await acceptedOld(t.owner.userId);
    current.claims = await sessionFor(t.owner.userId, APEX);
    expect((await post(acceptRoute, APEX, "/api/session/accept-terms", {})).status).toBe(404);
    expect(await pendingConsents(t.owner.userId)).toHaveLength(2);
  });
});
