import { changePasswordSchema, revokeSessionSchema, setLocaleSchema, updateProfileSchema } from "@/lib/schemas/account";
import { AccountService } from "@/server/auth/account-service";
import { createTRPCRouter, withPermission, type TenantProcedureContext } from "../trpc";

// The signed-in member's own account. Every member holds workspace.view; the service only ever
// touches the caller's own user and sessions.
// your own account (password, language, sessions) keeps working in a read-only (suspended) workspace
const member = withPermission("workspace.view", { allowWhenReadOnly: true });
const service = (ctx: TenantProcedureContext) => new AccountService(ctx.tenant, ctx.session.sessionId);

export const accountRouter = createTRPCRouter({
  profile: member.query(({ ctx }) => service(ctx).profile()),
  updateProfile: member.input(updateProfileSchema).mutation(({ ctx, input }) => service(ctx).updateProfile(input)),
  changePassword: member.input(changePasswordSchema).mutation(({ ctx, input }) => service(ctx).changePassword(input)),
  setLocale: member.input(setLocaleSchema).mutation(({ ctx, input }) => service(ctx).setLocale(input)),
  sessions: member.query(({ ctx }) => service(ctx).sessions()),
  revokeSession: member.input(revokeSessionSchema).mutation(({ ctx, input }) => service(ctx).revokeSession(input)),
  signOutEverywhere: member.mutation(({ ctx }) => service(ctx).signOutEverywhere()),
});
