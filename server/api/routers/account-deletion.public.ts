import { deleteAccountSchema } from "@/lib/schemas/data-lifecycle";
import { AccountDeletionService } from "@/server/auth/account-deletion.public";
import { createTRPCRouter, withPermission } from "../trpc";

// Deleting one's own account from the account page (server/auth/account-deletion.public.ts); works in
// a read-only (unpaid) workspace too, like the rest of the account page.
export const accountDeletionRouter = createTRPCRouter({
  delete: withPermission("workspace.view", { allowWhenReadOnly: true })
    .input(deleteAccountSchema)
    .mutation(({ ctx, input }) => new AccountDeletionService().delete(ctx.tenant, input)),
});
