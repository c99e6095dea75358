// PlanGate: plan limits and features enforced by the services that create limited things
// (member invitations, custom roles, the audit export), the errors naming the plan that lifts
// them, and the usage figures billing.overview shows. Real database, real callers; only the
// Next plumbing of the audit export route (next/headers, the next-auth cookie reader) is
// replaced by the request under test, as in audit.test.ts.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { AuditService } from "@/server/audit/audit-service";
import { PlanGate } from "@/server/subscriptions/plan-gate";
import { flushDeliveries } from "@/server/notifications/queue";
import type { SessionClaims } from "@/server/auth/auth.public";
import { PORT, expectTRPCError, hostOf, sessionFor, signedIn, uniqueEmail, uniqueIp } from "./support/world";
import { captureMail, tenantContextFor } from "./support/team";
import { DAY, auditOf, englishMessage, expectAppError } from "./support/billing";
import type { AppError } from "@/server/core/errors";
import { auditFiltersSchema } from "@/lib/schemas/audit";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handler itself
import { GET as auditExport } from "@/app/(app)/t/[tenant]/(workspace)/audit/export/route";

captureMail();

async function workspace(prefix: string, plan: "free" | "starter" | "pro") {
  const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan, status: "active" } });
  return { t, owner: await signedIn(t.owner.userId, hostOf(t.slug)) };
}

async function members(t: CreatedTenant, n: number, status: "active" | "deactivated" = "active") {
  for (let i = 0; i < n; i++) await addMember(t, { email: uniqueEmail(`m${i}`, t.slug), role: "viewer", status });
}

describe("the members limit", () => {
  it("counts members plus pending invitations, and refuses the one over the limit naming the plan that lifts it", async () => {
    const { t, owner } = await workspace("pgfree", "free");
    const first = await owner.members.invite({ email: uniqueEmail("a", t.slug), roleId: t.roles.viewer });

    const e = await expectTRPCError(owner.members.invite({ email: uniqueEmail("b", t.slug), roleId: t.roles.viewer }), "FORBIDDEN", {
      code: "LIMIT_EXCEEDED",
      key: "billing.errors.limitExceeded",
    });
    expect((e.cause as AppError).params).toEqual({ limit: "members", max: 2, used: 2, plan: "Free", upgradeTo: "Starter" });
    expect(englishMessage(e)).toBe("Your Free plan allows 2 members (you use 2). Upgrade to Starter for more.");
    expect(await owner.members.invitations()).toHaveLength(1);

    // revoking the pending invitation frees its seat
    await owner.members.revokeInvitation({ invitationId: first.id });
    await owner.members.invite({ email: uniqueEmail("c", t.slug), roleId: t.roles.viewer });
  });

  it("does not count deactivated members, expired, accepted or revoked invitations", async () => {
    const { t, owner } = await workspace("pgcount", "free");
    await members(t, 3, "deactivated");
    await new TenantDb(t.tenantId).run(async (tx) => {
      const base = { tenantId: t.tenantId, roleId: t.roles.viewer, invitedByUserId: t.owner.userId };
      await tx.invitation.createMany({
        data: [
          { ...base, email: uniqueEmail("x", t.slug), tokenHash: randomUUID(), expiresAt: new Date(Date.now() - 1000) },
          {
            ...base,
            email: uniqueEmail("y", t.slug),
            tokenHash: randomUUID(),
            expiresAt: new Date(Date.now() + DAY),
            acceptedAt: new Date(),
          },
          {
            ...base,
            email: uniqueEmail("z", t.slug),
            tokenHash: randomUUID(),
            expiresAt: new Date(Date.now() + DAY),
            revokedAt: new Date(),
          },
        ],
      });
    });
    expect((await owner.billing.overview()).usage.members).toBe(1);
    await owner.members.invite({ email: uniqueEmail("ok", t.slug), roleId: t.roles.viewer });
    expect((await owner.billing.overview()).usage.members).toBe(2);
  });

  it("lets exactly one of two concurrent invitations take the last seat", async () => {
    const { t, owner } = await workspace("pgrace", "starter");
    await members(t, 3); // owner + 3 = 4 of 5
    const results = await Promise.allSettled([
      owner.members.invite({ email: uniqueEmail("r1", t.slug), roleId: t.roles.viewer }),
      owner.members.invite({ email: uniqueEmail("r2", t.slug), roleId: t.roles.viewer }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason.cause).toMatchObject({
      code: "LIMIT_EXCEEDED",
      params: { limit: "members", max: 5, used: 5, upgradeTo: "Pro" },
    });
    expect((await owner.billing.overview()).usage.members).toBe(5);
  });

  it("on the biggest plan there is no plan to upgrade to", async () => {
    const { t, owner } = await workspace("pgtop", "pro");
    await members(t, 24); // 25 of 25
    const e = await expectTRPCError(owner.members.invite({ email: uniqueEmail("over", t.slug), roleId: t.roles.viewer }), "FORBIDDEN", {
      code: "LIMIT_EXCEEDED",
      key: "billing.errors.limitExceededTop",
    });
    expect(englishMessage(e)).toBe("Your Pro plan allows 25 members (you use 25). Contact us for a bigger plan.");
  });
});

describe("the custom_roles feature", () => {
  const input = { name: "Night desk", permissions: ["properties.view" as const] };

  it("is refused on Starter and Free, naming Pro, and nothing is created", async () => {
    for (const plan of ["starter", "free"] as const) {
      const { t, owner } = await workspace(`pgrole${plan}`, plan);
      const e = await expectTRPCError(owner.roles.create(input), "FORBIDDEN", {
        code: "FORBIDDEN",
        key: "billing.errors.featureNotInPlan",
      });
      const name = plan === "free" ? "Free" : "Starter";
      expect((e.cause as AppError).params).toEqual({ feature: "custom_roles", plan: name, upgradeTo: "Pro" });
      expect(englishMessage(e)).toBe(`Your ${name} plan does not include this. Upgrade to Pro to use it.`);
      const roles = await new TenantDb(t.tenantId).run((tx) => tx.role.findMany({ where: { isSystem: false } }));
      expect(roles).toEqual([]);
      expect(await auditOf(t.tenantId, "role.created")).toEqual([]);
    }
  });

  it("works on Pro", async () => {
    const { owner } = await workspace("pgrolepro", "pro");
    expect(await owner.roles.create(input)).toMatchObject({ name: "Night desk" });
  });
});

describe("the audit_export feature", () => {
  function exportRequest(slug: string, claims: Partial<SessionClaims>) {
    current.headers = new Headers({ host: `${hostOf(slug)}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en" });
    current.claims = claims;
    return auditExport(new Request(`http://${hostOf(slug)}:${PORT}/audit/export`, { headers: current.headers }), {
      params: Promise.resolve({ tenant: slug }),
    });
  }

  it("is refused on Free (service and route), naming Starter, and the export is not audited", async () => {
    const { t } = await workspace("pgaudfree", "free");
    const ctx = await tenantContextFor(t.owner.userId, t.slug);
    const e = await expectAppError(
      new AuditService(ctx).exportCsv(auditFiltersSchema.parse({})),
      "FORBIDDEN",
      "billing.errors.featureNotInPlan",
    );
    expect(e.params).toEqual({ feature: "audit_export", plan: "Free", upgradeTo: "Starter" });

    const res = await exportRequest(t.slug, await sessionFor(t.owner.userId, hostOf(t.slug)));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { message: "Your Free plan does not include this. Upgrade to Starter to use it.", fieldErrors: null },
    });
    expect(await auditOf(t.tenantId, "audit.exported")).toEqual([]);
  });

  it("works on Starter", async () => {
    const { t } = await workspace("pgaudstarter", "starter");
    const res = await exportRequest(t.slug, await sessionFor(t.owner.userId, hostOf(t.slug)));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    await res.text();
    expect(await auditOf(t.tenantId, "audit.exported")).toHaveLength(1);
  });
});

describe("usage in billing.overview", () => {
  it("shows what the workspace uses next to its plan's limits and features", async () => {
    const { t, owner } = await workspace("pgusage", "starter");
    await members(t, 1);
    await members(t, 1, "deactivated");
    await owner.members.invite({ email: uniqueEmail("pending", t.slug), roleId: t.roles.viewer });
    await new TenantDb(t.tenantId).run((tx) =>
      tx.file.createMany({
        data: [2.5, 1].map((mb) => ({
          tenantId: t.tenantId,
          visibility: "private" as const,
          purpose: "test",
          storageKey: `test/${randomUUID()}`,
          originalName: "scan.pdf",
          mimeType: "application/pdf",
          sizeBytes: Math.round(mb * 1024 * 1024),
          checksumSha256: randomBytes(32).toString("hex"),
        })),
      }),
    );

    await flushDeliveries(); // the invitation e-mail: sent this month, so it counts
    const overview = await owner.billing.overview();
    expect(overview.usage).toEqual({ members: 3, storageMb: 4, properties: 0, units: 0, messagesPerMonth: 1 });
    expect(overview.plan).toMatchObject({
      code: "starter",
      name: "Starter",
      limits: { properties: 5, units: 60, members: 5, messagesPerMonth: 1000, storageMb: 1024 },
    });
    expect([...overview.plan.features].sort()).toEqual(["audit_export", "khqr_rent_collection"]);
    expect(overview.plans.map((p) => p.code)).toEqual(["free", "starter", "pro"]);
    expect(overview.readOnly).toBe(false);

    // the service-side gate gives the same answers
    const ctx = await tenantContextFor(t.owner.userId, t.slug);
    const gate = new PlanGate(ctx);
    expect(gate.can("audit_export")).toBe(true);
    expect(gate.can("custom_roles")).toBe(false);
    expect(await ctx.db.run((tx) => gate.usage(tx))).toEqual(overview.usage);
  });

  it("a workspace without a subscription row is on Free", async () => {
    const t = await createTenant({ slug: uniqueSlug("pgnosub"), subscription: null });
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    const overview = await owner.billing.overview();
    expect(overview.plan.code).toBe("free");
    expect(overview.subscription.status).toBe("active");
    // opening billing created the free subscription
    expect(await new TenantDb(t.tenantId).run((tx) => tx.subscription.count())).toBe(1);
  });
});
