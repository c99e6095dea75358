// Development demo data. Refuses to run in production. Idempotent, entity by entity: a run
// that stopped half-way is completed by the next one; existing rows are kept as they are.
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { createTenant, createUser, setSubscription, type TestSubscription } from "@/server/testing/factories";
import type { DefaultRoleKey } from "@/lib/permissions";

export const DEMO_PASSWORD = "phteah-demo-2026";

export const DEMO_LOGINS = [
  { who: "platform admin", email: "admin@phteah.test", host: "apex" },
  { who: "acme owner", email: "owner@acme.test", host: "acme" },
  { who: "globex owner", email: "owner@globex.test", host: "globex" },
] as const;

const DAY = 86_400_000;

// acme pays for Pro; globex is two days into its 14-day trial (of Pro, so custom roles work there too)
const TENANTS = [
  { slug: "acme", name: "Acme Apartments", subscription: { plan: "pro", status: "active" } },
  {
    slug: "globex",
    name: "Globex Boarding House",
    subscription: {
      plan: "pro",
      status: "trialing",
      periodStart: new Date(Date.now() - 2 * DAY),
      periodEnd: new Date(Date.now() + 12 * DAY),
    },
  },
] satisfies Array<{ slug: string; name: string; subscription: TestSubscription }>;

async function ensureMember(tenantId: string, email: string, name: string, role: DefaultRoleKey): Promise<void> {
  const user = await createUser({ email, name, password: DEMO_PASSWORD });
  await new TenantDb(tenantId).run(async (tx) => {
    if (await tx.membership.findFirst({ where: { tenantId, userId: user.id }, select: { id: true } })) return;
    const roleRow = await tx.role.findFirstOrThrow({ where: { tenantId, key: role }, select: { id: true } });
    await tx.membership.create({ data: { tenantId, userId: user.id, roleId: roleRow.id } });
  });
}

export async function seed(): Promise<void> {
  if (process.env.NODE_ENV === "production") {
    throw new Error("Refusing to seed demo data: NODE_ENV=production.");
  }
  await createUser({ email: "admin@phteah.test", name: "Platform Admin", password: DEMO_PASSWORD, isPlatformAdmin: true });
  for (const { slug, name, subscription } of TENANTS) {
    const existing = await getDb().tenant.findUnique({ where: { slug }, select: { id: true } });
    const tenantId =
      existing?.id ??
      (
        await createTenant({
          slug,
          name,
          ownerEmail: `owner@${slug}.test`,
          ownerName: `${name} Owner`,
          password: DEMO_PASSWORD,
          subscription,
        })
      ).tenantId;
    if (!(await new TenantDb(tenantId).run((tx) => tx.subscription.findFirst({ select: { id: true } }))))
      await setSubscription(tenantId, subscription);
    await ensureMember(tenantId, `owner@${slug}.test`, `${name} Owner`, "owner");
    await ensureMember(tenantId, `manager@${slug}.test`, `${name} Manager`, "manager");
    await ensureMember(tenantId, `viewer@${slug}.test`, `${name} Viewer`, "viewer");
  }
}
