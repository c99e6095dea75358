import { z } from "zod";

// Inputs of workspace deletion, renter erasure and account deletion (typed confirmations).
const typed = z.string().trim().min(1, { message: "validation.required" }).max(200, { message: "validation.passwordTooLong" });
const password = z.string().min(1, { message: "validation.required" }).max(200, { message: "validation.passwordTooLong" });

export const closeWorkspaceSchema = z.object({ slug: typed, password });
export const restoreTenantSchema = z.object({ tenantId: z.uuid() });
export const eraseRenterSchema = z.object({ renterId: z.uuid(), phone: typed });
export const deleteAccountSchema = z.object({ email: typed, password });
