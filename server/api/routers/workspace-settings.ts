import { updateWorkspaceSettingsSchema } from "@/lib/schemas/workspace-settings";
import { WorkspaceSettingsService } from "@/server/workspaces/workspace-settings-service";
import { createTRPCRouter, withPermission } from "../trpc";

// The workspace's own settings (/settings): name, default language, Bakong account, rent reminder days.
export const workspaceSettingsRouter = createTRPCRouter({
  get: withPermission("workspace.view").query(({ ctx }) => new WorkspaceSettingsService(ctx.tenant).get()),
  update: withPermission("workspace.settings")
    .input(updateWorkspaceSettingsSchema)
    .mutation(({ ctx, input }) => new WorkspaceSettingsService(ctx.tenant).update(input)),
});
