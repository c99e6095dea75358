import "server-only";
import { PlanGate } from "../subscriptions/plan-gate";
import type { z } from "zod";
import { AppError } from "@/server/core/errors";
import { newToken } from "@/server/auth/tokens";
import { tenantAudit } from "@/server/audit/audit-logger";
import { originForTenant } from "@/server/core/host-scope";
import { deliverSoon, queueMessage } from "@/server/notifications/queue";
import { isLocale } from "@/lib/i18n";
import { systemClock, type Clock } from "@/server/core/request-meta";
import type { TenantContext } from "@/server/core/tenant-context";
import type { DbTx } from "@/server/db/tenant-db";
import { assertCanGrantRole } from "./member-service";
import type { inviteMemberSchema } from "@/lib/schemas/members";

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export interface InvitationRow {
  id: string;
  email: string;
  role: { id: string; key: string; name: string };
  expiresAt: Date;
  lastSentAt: Date;
  sendCount: number;
  isExpired: boolean;
}

const select = {
  id: true,
  email: true,
  expiresAt: true,
  lastSentAt: true,
  sendCount: true,
  role: { select: { id: true, key: true, name: true } },
} as const;

/** Invitations of one tenant: create, list pending, resend (new token), revoke. */
export class InvitationService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: Clock = systemClock,
  ) {}

  private toRow(i: Omit<InvitationRow, "isExpired">): InvitationRow {
    return { ...i, isExpired: i.expiresAt <= this.clock() };
  }

  /** Only an owner hands out the owner role, by invitation as by role change. */
  private async roleForGrant(tx: DbTx, roleId: string) {
    const role = await tx.role.findUnique({ where: { id: roleId }, select: { id: true, key: true, name: true } });
    if (!role) throw new AppError("NOT_FOUND", "errors.notFound");
    if (role.key === "owner" && this.ctx.roleKey !== "owner") throw new AppError("FORBIDDEN", "errors.onlyOwnerCanGrantOwner");
    await assertCanGrantRole(tx, this.ctx, role.id);
    return role;
  }

  async list(): Promise<InvitationRow[]> {
    const rows = await this.ctx.db.run((tx) =>
      tx.invitation.findMany({
        where: { tenantId: this.ctx.tenantId, acceptedAt: null, revokedAt: null },
        select,
        orderBy: { createdAt: "desc" },
        take: 200,
      }),
    );
    return rows.map((r) => this.toRow(r));
  }

  async invite(input: z.output<typeof inviteMemberSchema>): Promise<InvitationRow> {
    const now = this.clock();
    const { token, tokenHash } = newToken();
    const { row, messageId } = await this.ctx.db.run(async (tx) => {
      // one pending invitation per address: serialise concurrent invites of the same email
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`invite:${this.ctx.tenantId}:${input.email}`}))`;
      const role = await this.roleForGrant(tx, input.roleId);
      // members + pending invitations count against the plan's member limit
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`members:${this.ctx.tenantId}`}))`;
      await new PlanGate(this.ctx, this.clock).assertWithinLimit(tx, "members");
      const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
      if (user) {
        const member = await tx.membership.findFirst({
          where: { tenantId: this.ctx.tenantId, userId: user.id, status: "active" },
          select: { id: true },
        });
        if (member) throw new AppError("CONFLICT", "errors.alreadyMember");
      }
      await tx.invitation.updateMany({
        where: { tenantId: this.ctx.tenantId, email: input.email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: now },
      });
      const row = await tx.invitation.create({
        data: {
          tenantId: this.ctx.tenantId,
          email: input.email,
          roleId: role.id,
          tokenHash,
          invitedByUserId: this.ctx.userId,
          expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
          lastSentAt: now,
        },
        select,
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "invitation.created",
        targetType: "invitation",
        targetId: row.id,
        metadata: { email: input.email, role: role.key },
      });
      const messageId = await this.queueMail(tx, row, token);
      return { row, messageId };
    });
    deliverSoon([messageId]);
    return this.toRow(row);
  }

  /** A new token (the old link stops working) and seven more days. */
  async resend(invitationId: string): Promise<InvitationRow> {
    const now = this.clock();
    const { token, tokenHash } = newToken();
    const { row, messageId } = await this.ctx.db.run(async (tx) => {
      const current = await tx.invitation.findFirst({
        where: { id: invitationId, tenantId: this.ctx.tenantId, acceptedAt: null, revokedAt: null },
        select: { id: true, roleId: true },
      });
      if (!current) throw new AppError("NOT_FOUND", "errors.notFound");
      // a resend re-issues the grant: only someone who may hand out the role renews it
      await this.roleForGrant(tx, current.roleId);
      const row = await tx.invitation.update({
        where: { id: current.id },
        data: { tokenHash, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS), lastSentAt: now, sendCount: { increment: 1 } },
        select,
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "invitation.resent",
        targetType: "invitation",
        targetId: row.id,
        metadata: { email: row.email },
      });
      return { row, messageId: await this.queueMail(tx, row, token) };
    });
    deliverSoon([messageId]);
    return this.toRow(row);
  }

  async revoke(invitationId: string): Promise<{ revoked: string }> {
    return this.ctx.db.run(async (tx) => {
      const pending = await tx.invitation.findFirst({
        where: { id: invitationId, tenantId: this.ctx.tenantId, acceptedAt: null, revokedAt: null },
        select: { roleId: true },
      });
      if (!pending) throw new AppError("NOT_FOUND", "errors.notFound");
      // only an owner withdraws an owner invitation, as only an owner acts on owners
      await this.roleForGrant(tx, pending.roleId);
      const { count } = await tx.invitation.updateMany({
        where: { id: invitationId, tenantId: this.ctx.tenantId, acceptedAt: null, revokedAt: null },
        data: { revokedAt: this.clock() },
      });
      if (count !== 1) throw new AppError("NOT_FOUND", "errors.notFound");
      await tenantAudit(this.ctx).log(tx, { action: "invitation.revoked", targetType: "invitation", targetId: invitationId });
      return { revoked: invitationId };
    });
  }

  /**
   * The invitation e-mail, queued in the invitation's transaction: link to
   * <slug>.<root>/invite?token=…, valid 7 days, in the invitee's language (else the workspace's).
   * One message per invitation and send: a resend is a new token, so a new message.
   */
  private async queueMail(tx: DbTx, row: Omit<InvitationRow, "isExpired">, token: string): Promise<string> {
    const invitee = await tx.user.findUnique({ where: { email: row.email }, select: { locale: true } });
    const inviter = await tx.user.findUnique({ where: { id: this.ctx.userId }, select: { name: true } });
    const tenant = this.ctx.tenant;
    const locale = isLocale(invitee?.locale) ? invitee.locale : isLocale(tenant.locale) ? tenant.locale : "en";
    const { id } = await queueMessage(tx, {
      tenantId: this.ctx.tenantId,
      key: "team.invitation",
      to: row.email,
      locale,
      variables: {
        workspace: tenant.name,
        inviter: inviter?.name || this.ctx.userEmail,
        role: row.role.name,
        link: `${originForTenant(tenant.slug)}/invite?token=${encodeURIComponent(token)}`,
        days: String(INVITATION_TTL_MS / (24 * 3600_000)),
      },
      dedupeKey: `invitation:${row.id}:${row.sendCount}`,
    });
    return id;
  }
}
