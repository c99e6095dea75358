import {
  changeMemberRoleSchema,
  invitationIdSchema,
  inviteMemberSchema,
  listMembersSchema,
  membershipIdSchema,
  setMemberStatusSchema,
} from "@/lib/schemas/members";
import { MemberService } from "@/server/team/member-service";
import { InvitationService } from "@/server/team/invitation-service";
import { createTRPCRouter, withPermission } from "../trpc";

export const membersRouter = createTRPCRouter({
  list: withPermission("members.view")
    .input(listMembersSchema)
    .query(({ ctx, input }) => new MemberService(ctx.tenant).list(input)),
  roles: withPermission("members.view").query(({ ctx }) => new MemberService(ctx.tenant).roles()),
  changeRole: withPermission("members.manage")
    .input(changeMemberRoleSchema)
    .mutation(({ ctx, input }) => new MemberService(ctx.tenant).changeRole(input)),
  setStatus: withPermission("members.manage")
    .input(setMemberStatusSchema)
    .mutation(({ ctx, input }) => new MemberService(ctx.tenant).setStatus(input)),
  remove: withPermission("members.manage")
    .input(membershipIdSchema)
    .mutation(({ ctx, input }) => new MemberService(ctx.tenant).remove(input.membershipId)),
  transferOwnership: withPermission("members.manage")
    .input(membershipIdSchema)
    .mutation(({ ctx, input }) => new MemberService(ctx.tenant).transferOwnership(input.membershipId)),
  invitations: withPermission("members.view").query(({ ctx }) => new InvitationService(ctx.tenant).list()),
  invite: withPermission("members.manage")
    .input(inviteMemberSchema)
    .mutation(({ ctx, input }) => new InvitationService(ctx.tenant).invite(input)),
  resendInvitation: withPermission("members.manage")
    .input(invitationIdSchema)
    .mutation(({ ctx, input }) => new InvitationService(ctx.tenant).resend(input.invitationId)),
  revokeInvitation: withPermission("members.manage")
    .input(invitationIdSchema)
    .mutation(({ ctx, input }) => new InvitationService(ctx.tenant).revoke(input.invitationId)),
});
