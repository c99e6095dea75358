import { z } from "zod";
import { TENANT_STATUS_VALUES } from "@/lib/enums";

export const listTenantsSchema = z.object({
  search: z.string().trim().max(100).optional(),
  status: z.enum(TENANT_STATUS_VALUES).optional(),
  sort: z.object({ id: z.enum(["name", "slug", "createdAt"]), desc: z.boolean() }).default({ id: "createdAt", desc: true }),
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const tenantIdSchema = z.object({ tenantId: z.uuid() });

export const suspendTenantSchema = z.object({
  tenantId: z.uuid(),
  reason: z.string().trim().min(3, { message: "validation.tooShort" }).max(500),
});

export const impersonateSchema = z.object({ tenantId: z.uuid(), membershipId: z.uuid() });

export const listUsersSchema = z.object({
  search: z.string().trim().max(100).optional(),
  filter: z.enum(["all", "locked", "admins", "reset_required"]).default("all"),
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const userIdSchema = z.object({ userId: z.uuid() });

export const runJobSchema = z.object({ id: z.string().min(1).max(50) });
