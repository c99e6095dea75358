// Development demo data. Refuses to run in production. Idempotent: existing rows are kept.
import { getDb } from "@/server/db/client";
import { addMember, createTenant, createUser } from "@/server/testing/factories";

export const DEMO_PASSWORD = "phteah-demo-2026";

export const DEMO_LOGINS = [
  { who: "platform admin", email: "admin@phteah.test", host: "apex" },
  { who: "acme owner", email: "owner@acme.test", host: "acme" },
  { who: "globex owner", email: "owner@globex.test", host: "globex" },
] as const;

export async function seed(): Promise<void> {
  if (process.env.NODE_ENV === "production") {
    throw new Error("Refusing to seed demo data: NODE_ENV=production.");
  }
  await createUser({ email: "admin@phteah.test", name: "Platform Admin", password: DEMO_PASSWORD, isPlatformAdmin: true });
  for (const [slug, name] of [
    ["acme", "Acme Apartments"],
    ["globex", "Globex Boarding House"],
  ] as const) {
    const exists = await getDb().tenant.findUnique({ where: { slug }, select: { id: true } });
    if (exists) continue;
    const tenant = await createTenant({
      slug,
      name,
      ownerEmail: `owner@${slug}.test`,
      ownerName: `${name} Owner`,
      password: DEMO_PASSWORD,
    });
    await addMember(tenant, { email: `manager@${slug}.test`, name: `${name} Manager`, password: DEMO_PASSWORD, role: "manager" });
    await addMember(tenant, { email: `viewer@${slug}.test`, name: `${name} Viewer`, password: DEMO_PASSWORD, role: "viewer" });
  }
}
