import { z } from "zod";

export const listTenantsSchema = z.object({
  search: z.string().trim().max(100).optional(),
  status: z.enum(["active", "suspended"]).optional(),
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const runJobSchema = z.object({ id: z.string().min(1).max(50) });
