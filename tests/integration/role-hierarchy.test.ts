// The role hierarchy, as one table: every actor role × every target role × every action on a
// member (deactivate, reactivate, change role, remove — which also ends the member's sessions —
// and inviting someone with that role). Owners act on everyone; nobody else acts on an owner;
// a non-owner acts only on members whose permissions are a subset of its own and hands out only
// roles whose permissions it holds itself.
import { describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { DEFAULT_ROLES, type PermissionCode } from "@/lib/permissions";
import { addMember, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { createRole, expectTRPCError, hostOf, setMembershipRole, signedIn, uniqueEmail } from "./support/world";

/** A custom role that may manage members but holds nothing else beyond what a viewer sees. */
const TEAM_LEAD: readonly PermissionCode[] = [...DEFAULT_ROLES.viewer, "members.manage"];

const ACTORS = ["owner", "admin", "teamLead", "viewer"] as const;
const TARGETS = ["owner", "admin", "manager", "accountant", "viewer", "teamLead"] as const;
const ACTIONS = ["deactivate", "reactivate", "changeRole", "remove", "invite"] as const;
type Actor = (typeof ACTORS)[number];
type Target = (typeof TARGETS)[number];
type Action = (typeof ACTIONS)[number];

function permissionsOf(role: Target): readonly PermissionCode[] {
  return role === "teamLead" ? TEAM_LEAD : DEFAULT_ROLES[role];
}

type Outcome = { ok: true } | { ok: false; key: string };

/** The rule under test, written out once. */
function expected(actor: Actor, target: Target, action: Action): Outcome {
  if (actor === "viewer") return { ok: false, key: "errors.missingPermission" };
  if (actor === "owner") return { ok: true };
  const mine = new Set(permissionsOf(actor));
  const subset = permissionsOf(target).every((c) => mine.has(c));
  if (action === "invite") {
    if (target === "owner") return { ok: false, key: "errors.onlyOwnerCanGrantOwner" };
    return subset ? { ok: true } : { ok: false, key: "errors.cannotGrantPermission" };
  }
  if (target === "owner") return { ok: false, key: "errors.onlyOwnerActsOnOwner" };
  return subset ? { ok: true } : { ok: false, key: "errors.memberOutranksYou" };
}

interface World {
  t: CreatedTenant;
  slug: string;
  teamLeadRole: string;
  actor: { userId: string; membershipId: string };
  targets: Record<Target, { userId: string; membershipId: string }>;
}

async function memberWith(t: CreatedTenant, slug: string, role: Target | Actor, teamLeadRole: string, status: "active" | "deactivated") {
  const m = await addMember(t, {
    email: uniqueEmail(role, slug),
    role: role === "teamLead" ? "viewer" : role,
    status,
  });
  if (role === "teamLead") await setMembershipRole(t.tenantId, m.membershipId, teamLeadRole);
  return m;
}

/** A workspace with the actor and one member of every target role (deactivated ones to reactivate). */
async function world(actorRole: Actor, action: Action): Promise<World> {
  const slug = uniqueSlug(`rh-${actorRole.slice(0, 4)}-${action.slice(0, 4)}`);
  const t = await createTenant({ slug });
  const teamLeadRole = await createRole(t.tenantId, "custom-team-lead", TEAM_LEAD);
  const actor =
    actorRole === "owner"
      ? { userId: t.owner.userId, membershipId: t.owner.membershipId }
      : await memberWith(t, slug, actorRole, teamLeadRole, "active");
  const targets = {} as World["targets"];
  if (action !== "invite") {
    for (const target of TARGETS) {
      targets[target] = await memberWith(t, slug, target, teamLeadRole, action === "reactivate" ? "deactivated" : "active");
    }
  }
  return { t, slug, teamLeadRole, actor, targets };
}

function roleIdOf(w: World, role: Target): string {
  return role === "teamLead" ? w.teamLeadRole : w.t.roles[role];
}

async function stateOf(w: World, membershipId: string) {
  return new TenantDb(w.t.tenantId).run((tx) =>
    tx.membership.findUnique({ where: { id: membershipId }, select: { status: true, roleId: true } }),
  );
}

async function openSessions(w: World, userId: string) {
  return new TenantDb(w.t.tenantId).run((tx) => tx.userSession.count({ where: { userId, tenantId: w.t.tenantId, revokedAt: null } }));
}

describe("role hierarchy: actor role × target role × action", () => {
  for (const actorRole of ACTORS) {
    for (const action of ACTIONS) {
      it(`${actorRole} → ${action}`, async () => {
        const w = await world(actorRole, action);
        const caller = await signedIn(w.actor.userId, hostOf(w.slug));
        if (action === "deactivate") {
          // the members list tells the UI the same answer, so it only offers what the server allows
          const listed = await caller.members.list({ limit: 50 });
          const roles = await caller.members.roles();
          for (const target of TARGETS) {
            const row = listed.items.find((m) => m.id === w.targets[target].membershipId);
            expect(row?.canManage, `${actorRole} sees ${target}`).toBe(actorRole !== "viewer" && expected(actorRole, target, action).ok);
            const role = roles.find((r) => r.id === roleIdOf(w, target));
            expect(role?.grantable, `${actorRole} grants ${target}`).toBe(
              actorRole !== "viewer" && expected(actorRole, target, "invite").ok,
            );
          }
        }
        for (const target of TARGETS) {
          const want = expected(actorRole, target, action);
          const member = w.targets[target];
          // the target signs in too, so "remove" can show its sessions end (or survive a refusal)
          if (member && action === "remove") await signedIn(member.userId, hostOf(w.slug));
          const before = member ? await stateOf(w, member.membershipId) : null;
          const sessionsBefore = member ? await openSessions(w, member.userId) : 0;
          const newRole: Target = target === "viewer" ? "teamLead" : "viewer";
          const call = (): Promise<unknown> => {
            switch (action) {
              case "deactivate":
                return caller.members.setStatus({ membershipId: member!.membershipId, status: "deactivated" });
              case "reactivate":
                return caller.members.setStatus({ membershipId: member!.membershipId, status: "active" });
              case "changeRole":
                return caller.members.changeRole({ membershipId: member!.membershipId, roleId: roleIdOf(w, newRole) });
              case "remove":
                return caller.members.remove({ membershipId: member!.membershipId });
              case "invite":
                return caller.members.invite({ email: uniqueEmail(`inv-${target}`, w.slug), roleId: roleIdOf(w, target) });
            }
          };
          const label = `${actorRole} ${action} ${target}`;
          if (want.ok) {
            await expect(call(), label).resolves.toBeDefined();
            if (!member) continue;
            const after = await stateOf(w, member.membershipId);
            if (action === "deactivate") expect(after?.status, label).toBe("deactivated");
            if (action === "reactivate") expect(after?.status, label).toBe("active");
            if (action === "changeRole") expect(after?.roleId, label).toBe(roleIdOf(w, newRole));
            if (action === "remove") {
              expect(after, label).toBeNull();
              expect(await openSessions(w, member.userId), label).toBe(0);
            }
          } else {
            const e = await expectTRPCError(call(), "FORBIDDEN", { key: want.key });
            expect(e.message, label).not.toBe("");
            if (member) {
              expect(await stateOf(w, member.membershipId), label).toEqual(before);
              expect(await openSessions(w, member.userId), label).toBe(sessionsBefore);
            }
          }
        }
        if (action === "invite") {
          const invited = await new TenantDb(w.t.tenantId).run((tx) =>
            tx.invitation.findMany({ select: { role: { select: { id: true } } } }),
          );
          const allowed = TARGETS.filter((r) => expected(actorRole, r, "invite").ok).map((r) => roleIdOf(w, r));
          expect(invited.map((i) => i.role.id).sort()).toEqual(allowed.sort());
        }
      });
    }
  }

  it("the rule as a table (what the loops above check)", () => {
    const row = (actor: Actor) => TARGETS.map((target) => (expected(actor, target, "deactivate").ok ? "✓" : "✗")).join("");
    // targets:        owner admin manager accountant viewer teamLead
    expect(row("owner")).toBe("✓✓✓✓✓✓");
    expect(row("admin")).toBe("✗✓✓✗✓✓");
    expect(row("teamLead")).toBe("✗✗✗✗✓✓");
    expect(row("viewer")).toBe("✗✗✗✗✗✗");
  });
});

describe("role hierarchy: pending invitations", () => {
  it("only someone who may hand out the invited role resends or revokes its invitation", async () => {
    const slug = uniqueSlug("rh-inv");
    const t = await createTenant({ slug });
    const admin = await addMember(t, { email: uniqueEmail("admin", slug), role: "admin" });
    const owner = await signedIn(t.owner.userId, hostOf(slug));
    const asAdmin = await signedIn(admin.userId, hostOf(slug));
    const ownerInvite = await owner.members.invite({ email: uniqueEmail("o2", slug), roleId: t.roles.owner });
    const accountantInvite = await owner.members.invite({ email: uniqueEmail("acc", slug), roleId: t.roles.accountant });
    const viewerInvite = await owner.members.invite({ email: uniqueEmail("v", slug), roleId: t.roles.viewer });
    await expectTRPCError(asAdmin.members.resendInvitation({ invitationId: ownerInvite.id }), "FORBIDDEN", {
      key: "errors.onlyOwnerCanGrantOwner",
    });
    await expectTRPCError(asAdmin.members.revokeInvitation({ invitationId: ownerInvite.id }), "FORBIDDEN", {
      key: "errors.onlyOwnerCanGrantOwner",
    });
    await expectTRPCError(asAdmin.members.revokeInvitation({ invitationId: accountantInvite.id }), "FORBIDDEN", {
      key: "errors.cannotGrantPermission",
    });
    const rows = await new TenantDb(t.tenantId).run((tx) =>
      tx.invitation.findMany({ where: { revokedAt: null }, select: { id: true, sendCount: true } }),
    );
    expect(rows.map((r) => r.id).sort()).toEqual([ownerInvite.id, accountantInvite.id, viewerInvite.id].sort());
    expect(rows.every((r) => r.sendCount === 1)).toBe(true);
    await expect(asAdmin.members.resendInvitation({ invitationId: viewerInvite.id })).resolves.toMatchObject({ sendCount: 2 });
    await expect(asAdmin.members.revokeInvitation({ invitationId: viewerInvite.id })).resolves.toEqual({ revoked: viewerInvite.id });
    await expect(owner.members.revokeInvitation({ invitationId: ownerInvite.id })).resolves.toEqual({ revoked: ownerInvite.id });
  });
});
