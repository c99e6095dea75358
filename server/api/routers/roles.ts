import { createRoleSchema, roleIdSchema, updateRoleSchema } from "@/lib/schemas/roles";
import { RoleService } from "@/server/team/role-service";
import { createTRPCRouter, withPermission } from "../trpc";

export const rolesRouter = createTRPCRouter({
  list: withPermission("roles.manage").query(({ ctx }) => new RoleService(ctx.tenant).list()),
  create: withPermission("roles.manage")
    .input(createRoleSchema)
    .mutation(({ ctx, input }) => new RoleService(ctx.tenant).create(input)),
  update: withPermission("roles.manage")
    .input(updateRoleSchema)
    .mutation(({ ctx, input }) => new RoleService(ctx.tenant).update(input)),
  delete: withPermission("roles.manage")
    .input(roleIdSchema)
    .mutation(({ ctx, input }) => new RoleService(ctx.tenant).delete(input.roleId)),
});
