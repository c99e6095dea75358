import { updateWorkspaceSettingsSchema } from "@/lib/schemas/workspace-settings";
import { WorkspaceSettingsService } from "@/server/workspaces/workspace-settings-service";
import { updatePaymentInstructionsSchema } from "@/lib/schemas/payment-instructions";
import { PaymentInstructionsService } from "@/server/workspaces/payment-instructions";
import { createTRPCRouter, withPermission } from "../trpc";

// The workspace's own settings (/settings): name, default language, Bakong account, rent reminder days.
export const workspaceSettingsRouter = createTRPCRouter({
  get: withPermission("workspace.view").query(({ ctx }) => new WorkspaceSettingsService(ctx.tenant).get()),
  update: withPermission("workspace.settings")
    .input(updateWorkspaceSettingsSchema)
    .mutation(({ ctx, input }) => new WorkspaceSettingsService(ctx.tenant).update(input)),
  // the workspace's own cash and bank-transfer instructions (pay page and invoice PDF)
  paymentInstructions: withPermission("workspace.view").query(({ ctx }) => new PaymentInstructionsService(ctx.tenant).get()),
  updatePaymentInstructions: withPermission("workspace.settings")
    .input(updatePaymentInstructionsSchema)
    .mutation(({ ctx, input }) => new PaymentInstructionsService(ctx.tenant).update(input)),
});
