import "server-only";
import { randomUUID } from "node:crypto";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { hashPassword } from "@/server/auth/password";
import { createDefaultRoles } from "@/server/services/tenant-setup";
import type { DefaultRoleKey } from "@/lib/permissions";

// Shared by integration tests, e2e set-up and the development seed. Each call creates what it
// names, nothing global; callers pick unique slugs and emails (see uniqueSlug).

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
}

export function uniqueSlug(prefix = "t"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface CreatedTenant {
  tenantId: string;
  slug: string;
  roles: Record<DefaultRoleKey, string>;
  owner: { userId: string; email: string; membershipId: string };
}

export async function createUser(input: { email: string; name?: string; password?: string; isPlatformAdmin?: boolean; locale?: string }) {
  return getDb().user.upsert({
    where: { email: input.email },
    update: {},
    create: {
      email: input.email,
      name: input.name ?? input.email.split("@")[0]!,
      passwordHash: input.password ? await cachedHash(input.password) : null,
      isPlatformAdmin: input.isPlatformAdmin ?? false,
      locale: input.locale ?? null,
    },
  });
}

export async function createTenant(input: {
  slug?: string;
  name?: string;
  ownerEmail?: string;
  ownerName?: string;
  password?: string;
  status?: "active" | "suspended";
  locale?: string;
}): Promise<CreatedTenant> {
  const slug = input.slug ?? uniqueSlug();
  const tenantId = randomUUID();
  const owner = await createUser({
    email: input.ownerEmail ?? `owner@${slug}.test`,
    name: input.ownerName ?? `Owner of ${slug}`,
    password: input.password,
  });
  return new TenantDb(tenantId).run(async (tx) => {
    await tx.tenant.create({
      data: { id: tenantId, slug, name: input.name ?? slug, status: input.status ?? "active", locale: input.locale ?? "en" },
    });
    const roles = await createDefaultRoles(tx, tenantId);
    const membership = await tx.membership.create({ data: { tenantId, userId: owner.id, roleId: roles.owner } });
    return { tenantId, slug, roles, owner: { userId: owner.id, email: owner.email, membershipId: membership.id } };
  });
}

/** An existing tenant's id and default role ids, by slug (for fixtures on seeded tenants). */
export async function tenantBySlug(slug: string): Promise<Pick<CreatedTenant, "tenantId" | "slug" | "roles">> {
  const tenant = await getDb().tenant.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const roles = await new TenantDb(tenant.id).run((tx) => tx.role.findMany({ where: { isSystem: true }, select: { id: true, key: true } }));
  return { tenantId: tenant.id, slug, roles: Object.fromEntries(roles.map((r) => [r.key, r.id])) as Record<DefaultRoleKey, string> };
}

export async function addMember(
  tenant: Pick<CreatedTenant, "tenantId" | "roles">,
  input: { email: string; name?: string; password?: string; role: DefaultRoleKey; status?: "active" | "deactivated" },
) {
  const user = await createUser(input);
  const membership = await new TenantDb(tenant.tenantId).run((tx) =>
    tx.membership.create({
      data: { tenantId: tenant.tenantId, userId: user.id, roleId: tenant.roles[input.role], status: input.status ?? "active" },
    }),
  );
  return { userId: user.id, email: user.email, membershipId: membership.id };
}

/** Enrols a user in TOTP with a known secret (tests and the e2e admin). */
export async function enrolTotp(userId: string, secret: string): Promise<void> {
  const { encryptSecret } = await import("@/server/auth/totp");
  await getDb().user.update({ where: { id: userId }, data: { totpSecretEnc: encryptSecret(secret), totpEnabledAt: new Date() } });
}
