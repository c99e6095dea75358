import { z } from "zod";
import { isPermissionCode } from "@/lib/permissions";

const permissionList = z
  .array(z.string())
  .max(100)
  .refine((codes) => codes.every(isPermissionCode), { message: "validation.invalidPermission" })
  .refine((codes) => codes.length > 0, { message: "validation.pickOnePermission" });

export const createRoleSchema = z.object({
  name: z.string().trim().min(2, { message: "validation.tooShort" }).max(60),
  description: z.string().trim().max(300).optional(),
  permissions: permissionList,
});

export const updateRoleSchema = createRoleSchema.extend({ roleId: z.uuid() });
export const roleIdSchema = z.object({ roleId: z.uuid() });
