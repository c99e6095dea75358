import { setTenantLogoSchema } from "@/lib/schemas/files";
import { publicFileUrl } from "@/lib/files/urls";
import { FileService } from "@/server/files/file-service";
import { createTRPCRouter, withPermission } from "../trpc";

// Uploads go through POST /api/files (multipart); this router attaches them where a tenant-wide
// setting holds one (the workspace logo).
export const filesRouter = createTRPCRouter({
  tenantLogo: withPermission("workspace.view").query(async ({ ctx }) => {
    const { logoFileId } = await new FileService(ctx.tenant).tenantLogo();
    return { logoFileId, url: logoFileId ? publicFileUrl(logoFileId) : null };
  }),
  setTenantLogo: withPermission("workspace.settings")
    .input(setTenantLogoSchema)
    .mutation(async ({ ctx, input }) => {
      const { logoFileId } = await new FileService(ctx.tenant).setTenantLogo(input.fileId);
      return { logoFileId, url: logoFileId ? publicFileUrl(logoFileId) : null };
    }),
});
