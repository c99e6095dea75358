// prisma/seed.ts: demo data for development, never in production, safe to run twice.
// The seed uses the fixed slugs acme/globex; no other test file uses them.
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { verifyPassword } from "@/server/auth/password";
import { DEMO_LOGINS, DEMO_PASSWORD, seed } from "@/prisma/seed";

const SLUGS = ["acme", "globex"];

async function demoState() {
  const tenants = await getDb().tenant.findMany({ where: { slug: { in: SLUGS } }, orderBy: { slug: "asc" } });
  const perTenant = await platformDb.run(async (tx) =>
    Promise.all(
      tenants.map(async (t) => ({
        slug: t.slug,
        roles: await tx.role.count({ where: { tenantId: t.id } }),
        members: (
          await tx.membership.findMany({ where: { tenantId: t.id }, include: { role: true, user: true }, orderBy: { id: "asc" } })
        ).map((m) => `${m.user.email}:${m.role.key}:${m.status}`),
      })),
    ),
  );
  const admins = await getDb().user.findMany({ where: { email: "admin@phteah.test" } });
  return { tenantIds: tenants.map((t) => t.id), perTenant, admins: admins.map((a) => ({ id: a.id, isPlatformAdmin: a.isPlatformAdmin })) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("seed", () => {
  it("refuses to run with NODE_ENV=production, before writing anything", async () => {
    const before = await getDb().user.count({ where: { email: "admin@phteah.test" } });
    vi.stubEnv("NODE_ENV", "production");
    await expect(seed()).rejects.toThrow(/Refusing to seed demo data: NODE_ENV=production/);
    vi.unstubAllEnvs();
    expect(await getDb().user.count({ where: { email: "admin@phteah.test" } })).toBe(before);
  });

  it("creates the demo workspaces and logins, and is idempotent", async () => {
    await seed();
    const first = await demoState();
    expect(first.perTenant).toEqual(
      SLUGS.map((slug) => ({
        slug,
        roles: 5,
        members: expect.arrayContaining([
          `owner@${slug}.test:owner:active`,
          `manager@${slug}.test:manager:active`,
          `viewer@${slug}.test:viewer:active`,
        ]),
      })),
    );
    for (const t of first.perTenant) expect(t.members).toHaveLength(3);
    expect(first.admins).toEqual([{ id: expect.any(String), isPlatformAdmin: true }]);

    // every advertised demo login has the demo password
    for (const login of DEMO_LOGINS) {
      const user = await getDb().user.findUniqueOrThrow({ where: { email: login.email } });
      expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD), login.email).toBe(true);
    }

    await seed();
    expect(await demoState()).toEqual(first);
  });
});
