import { createTRPCRouter } from "../trpc";

// Filled in by its feature; registered in server/api/root.ts.
export const accountRouter = createTRPCRouter({});
