import { changeMemberRoleSchema, listMembersSchema, setMemberStatusSchema } from "@/lib/schemas/members";
import { MemberService } from "@/server/services/tenant/member-service";
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
});
