// "Find my workspace" (apex): the one field, shared by the form and the route handler.
import { z } from "zod";
import { emailSchema } from "@/lib/schemas/auth";

export const findWorkspaceSchema = z.object({ email: emailSchema });
