import { createCallerFactory, createTRPCRouter } from "./trpc";
import { workspaceRouter } from "./routers/workspace";
import { membersRouter } from "./routers/members";
import { adminRouter } from "./routers/admin";

export const appRouter = createTRPCRouter({
  workspace: workspaceRouter,
  members: membersRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
