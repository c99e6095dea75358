import { createTRPCRouter } from "../trpc";

// Filled in by its feature; registered in server/api/root.ts (or admin.ts).
export const adminFlagsRouter = createTRPCRouter({});
