import { z } from "zod";

/** The workspace logo: a tenant_logo upload, or null to remove it. */
export const setTenantLogoSchema = z.object({ fileId: z.uuid().nullable() });
