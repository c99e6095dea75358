// SignupService: a workspace, its default roles, the owner, audit rows and the
// `tenant/workspace.created` outbox event are created in one transaction, or not at all.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { AppError } from "@/server/core/errors";
import { DEFAULT_ROLES, DEFAULT_ROLE_KEYS } from "@/lib/permissions";
import { AuthService } from "@/server/auth/auth.public";
import { SignupService } from "@/server/workspaces/signup.public";
import { createUser, uniqueSlug } from "@/server/testing/factories";
import type { SignupInput } from "@/lib/schemas/auth";
import { hostOf, testMeta } from "./support/world";

const PASSWORD = "signup password 1";

function input(overrides: Partial<SignupInput> = {}): SignupInput {
  const slug = overrides.slug ?? uniqueSlug("su");
  return { name: "Sok Dara", email: `dara@${slug}.test`, password: PASSWORD, workspaceName: `Dara Rentals ${slug}`, slug, ...overrides };
}

async function tenantBySlug(slug: string) {
  return getDb().tenant.findUnique({ where: { slug } });
}

async function everythingOf(tenantId: string) {
  return platformDb.run(async (tx) => ({
    roles: await tx.role.findMany({ where: { tenantId }, include: { permissions: true } }),
    memberships: await tx.membership.findMany({ where: { tenantId }, include: { role: true, user: true } }),
    audit: await tx.auditLog.findMany({ where: { tenantId }, orderBy: { createdAt: "asc" } }),
    outbox: await tx.outboxEvent.findMany({ where: { tenantId } }),
  }));
}

async function superuserQuery(sql: string, params: unknown[]) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

async function signupError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => {
      throw new Error("signup succeeded");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("SignupService.signup", () => {
  it("creates the workspace, five default roles, the owner, audit rows and one outbox event", async () => {
    const data = input();
    const result = await new SignupService(testMeta({ requestId: "req-signup" })).signup(data, "km");
    if (!result.ok) throw new Error("throttled");

    const tenant = await tenantBySlug(data.slug);
    expect(tenant).toMatchObject({ id: result.tenantId, name: data.workspaceName, status: "active", locale: "km" });

    const all = await everythingOf(result.tenantId);
    expect(all.roles.map((r) => r.key).sort()).toEqual([...DEFAULT_ROLE_KEYS].sort());
    for (const role of all.roles) {
      expect(role.isSystem).toBe(true);
      expect(role.permissions.map((p) => p.permissionCode).sort(), role.key).toEqual(
        [...DEFAULT_ROLES[role.key as keyof typeof DEFAULT_ROLES]].sort(),
      );
    }

    expect(all.memberships).toHaveLength(1);
    const owner = all.memberships[0]!;
    expect(owner).toMatchObject({ status: "active", role: { key: "owner" }, user: { email: data.email, name: data.name, locale: "km" } });
    expect(owner.user.passwordHash).toMatch(/^\$argon2id\$/);

    expect(all.audit.map((a) => [a.action, a.targetType, a.targetId, a.actorUserId, a.requestId])).toEqual([
      ["auth.signup", "tenant", result.tenantId, owner.userId, "req-signup"],
      ["membership.created", "membership", owner.id, owner.userId, "req-signup"],
    ]);

    expect(all.outbox).toHaveLength(1);
    expect(all.outbox[0]).toMatchObject({
      name: "tenant/workspace.created",
      payload: { slug: data.slug, ownerUserId: owner.userId, tenantId: result.tenantId },
    });
  });

  it("redirects to the new subdomain's handoff with a ticket that signs the owner in there", async () => {
    const data = input();
    const result = await new SignupService(testMeta()).signup(data, "en");
    if (!result.ok) throw new Error("throttled");
    const url = new URL(result.redirectTo);
    expect(`${url.origin}${url.pathname}`).toBe(`http://${data.slug}.localhost:3000/auth/handoff`);
    const token = url.searchParams.get("token")!;
    expect(token.length).toBeGreaterThanOrEqual(40);

    const auth = new AuthService(testMeta());
    expect(await auth.redeemHandoff(token, "localhost")).toBeNull();
    const claims = await auth.redeemHandoff(token, hostOf(data.slug));
    const user = await getDb().user.findUniqueOrThrow({ where: { email: data.email } });
    expect(claims).toMatchObject({ uid: user.id, host: hostOf(data.slug) });
  });

  it("refuses a taken slug before doing anything", async () => {
    const first = input();
    await new SignupService(testMeta()).signup(first, "en");
    const second = input({ slug: first.slug, email: `someone-else@${first.slug}.test` });
    const error = await signupError(new SignupService(testMeta()).signup(second, "en"));
    expect(error).toMatchObject({ code: "CONFLICT", key: "errors.slugTaken" });
    expect(await getDb().user.findUnique({ where: { email: second.email } })).toBeNull();
  });

  it("lets an existing account open another workspace only with its password", async () => {
    const slug = uniqueSlug("ex");
    const existing = await createUser({ email: `existing@${slug}.test`, name: "Existing", password: PASSWORD });

    const wrong = input({ email: existing.email, password: "not the password" });
    expect(await signupError(new SignupService(testMeta()).signup(wrong, "en"))).toMatchObject({
      code: "CONFLICT",
      key: "errors.emailTaken",
    });
    expect(await tenantBySlug(wrong.slug)).toBeNull();

    const right = input({ email: existing.email, name: "Ignored New Name" });
    const result = await new SignupService(testMeta()).signup(right, "en");
    if (!result.ok) throw new Error("throttled");
    const { memberships } = await everythingOf(result.tenantId);
    expect(memberships.map((m) => [m.userId, m.role.key])).toEqual([[existing.id, "owner"]]);
    const user = await getDb().user.findUniqueOrThrow({ where: { id: existing.id } });
    expect(user.name).toBe("Existing");
    expect(user.passwordHash).toBe(existing.passwordHash);
  });

  it("leaves exactly one workspace and no orphan user when two sign-ups race for one slug", async () => {
    // whether the loser fails at the pre-check or on the unique index inside its transaction,
    // the outcome must be the same
    const slug = uniqueSlug("race");
    const one = input({ slug, email: `one@${slug}.test` });
    const two = input({ slug, email: `two@${slug}.test` });
    const results = await Promise.allSettled([
      new SignupService(testMeta()).signup(one, "en"),
      new SignupService(testMeta()).signup(two, "en"),
    ]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(failure.reason).toBeInstanceOf(AppError);
    expect(failure.reason).toMatchObject({ code: "CONFLICT", key: "errors.slugTaken" });

    const tenant = (await tenantBySlug(slug))!;
    const winner = results[0]!.status === "fulfilled" ? one : two;
    const loser = winner === one ? two : one;
    const { memberships, roles, outbox, audit } = await everythingOf(tenant.id);
    expect(memberships.map((m) => m.user.email)).toEqual([winner.email]);
    expect(roles).toHaveLength(5);
    expect(outbox).toHaveLength(1);
    expect(audit).toHaveLength(2);
    expect(await getDb().user.findUnique({ where: { email: loser.email } })).toBeNull();
  });

  it("rolls back the tenant and its roles when the transaction fails after creating them", async () => {
    // Another session holds an uncommitted user with the same email: the sign-up's checks do
    // not see it, its transaction creates the tenant and roles, then waits on the email's
    // unique index. Committing the other session makes that insert fail mid-transaction.
    const data = input();
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES (gen_random_uuid(), $1, 'Blocker', now())`, [
        data.email,
      ]);
      const blockerPid = (await blocker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;

      const signup = new SignupService(testMeta()).signup(data, "en").then(
        () => null,
        (e: unknown) => e,
      );
      const waiting = async () =>
        (await blocker.query(`SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [blockerPid])).rowCount! > 0;
      const deadline = Date.now() + 10_000;
      while (!(await waiting())) {
        if (Date.now() > deadline) throw new Error("the sign-up never reached the user insert");
        await new Promise((r) => setTimeout(r, 20));
      }
      // the sign-up's transaction has inserted its tenant and is blocked on the user row now
      await blocker.query("COMMIT");

      const error = await signup;
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "CONFLICT", key: "errors.emailTaken" });
    } finally {
      await blocker.query("ROLLBACK").catch(() => undefined);
      await blocker.end();
    }

    expect(await tenantBySlug(data.slug)).toBeNull();
    const { rows } = await superuserQuery(
      `SELECT (SELECT count(*) FROM "Role" r WHERE NOT EXISTS (SELECT 1 FROM "Tenant" t WHERE t.id = r."tenantId"))::int AS orphan_roles,
              (SELECT count(*) FROM "AuditLog" WHERE metadata->>'slug' = $1)::int AS audit,
              (SELECT count(*) FROM "OutboxEvent" WHERE payload->>'slug' = $1)::int AS outbox`,
      [data.slug],
    );
    expect(rows[0]).toEqual({ orphan_roles: 0, audit: 0, outbox: 0 });
    expect((await getDb().user.findUniqueOrThrow({ where: { email: data.email } })).name).toBe("Blocker");
  });

  it("throttles sign-ups per client address (10 an hour)", async () => {
    const meta = testMeta();
    const service = new SignupService(meta);
    // failed attempts count too: a taken slug costs little to try
    const taken = input();
    await service.signup(taken, "en");
    for (let i = 0; i < 9; i++)
      await service.signup(input({ slug: taken.slug, email: `x${i}@${taken.slug}.test` }), "en").catch(() => undefined);
    const result = await service.signup(input(), "en");
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    if (result.ok) throw new Error("unreachable");
    expect(result.retryAfterSeconds).toBeGreaterThan(0);
    expect(result.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });
});
