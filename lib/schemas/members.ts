import { z } from "zod";

export const listMembersSchema = z.object({
  search: z.string().trim().max(100).optional(),
  status: z.enum(["active", "deactivated"]).optional(),
  /** keyset cursor: the id of the last row of the previous page */
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const changeMemberRoleSchema = z.object({
  membershipId: z.uuid(),
  roleId: z.uuid(),
});

export const setMemberStatusSchema = z.object({
  membershipId: z.uuid(),
  status: z.enum(["active", "deactivated"]),
});

export type ListMembersInput = z.input<typeof listMembersSchema>;
