import { z } from "zod";
import { MEMBERSHIP_STATUS_VALUES } from "@/lib/enums";

export const listMembersSchema = z.object({
  search: z.string().trim().max(100).optional(),
  status: z.enum(MEMBERSHIP_STATUS_VALUES).optional(),
  /** keyset cursor: the id of the last row of the previous page (the list is ordered by id alone) */
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const changeMemberRoleSchema = z.object({
  membershipId: z.uuid(),
  roleId: z.uuid(),
});

export const setMemberStatusSchema = z.object({
  membershipId: z.uuid(),
  status: z.enum(MEMBERSHIP_STATUS_VALUES),
});

export type ListMembersInput = z.input<typeof listMembersSchema>;

export const inviteMemberSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "validation.email" }))
    .pipe(z.string().max(254)),
  roleId: z.uuid({ message: "validation.required" }),
});

export const invitationIdSchema = z.object({ invitationId: z.uuid() });
export const membershipIdSchema = z.object({ membershipId: z.uuid() });

export const acceptInvitationSchema = z.object({
  token: z.string().min(20).max(200),
  /** new accounts only */
  name: z.string().trim().min(1, { message: "validation.required" }).max(100).optional(),
  password: z.string().min(1, { message: "validation.required" }).max(200),
});
