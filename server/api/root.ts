import { createCallerFactory, createTRPCRouter } from "./trpc";
import { workspaceRouter } from "./routers/workspace";
import { membersRouter } from "./routers/members";
import { adminRouter } from "./routers/admin";
import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { mfaRouter } from "./routers/mfa";
import { rolesRouter } from "./routers/roles";
import { billingRouter } from "./routers/billing";
import { billingSimulatorRouter } from "./routers/billing-simulator";
import { adminBillingRouter } from "./routers/admin-billing";
import { templatesRouter } from "./routers/templates";
import { adminTemplatesRouter } from "./routers/admin-templates";
import { messagesRouter } from "./routers/messages";
import { adminMessagesRouter } from "./routers/admin-messages";

export const appRouter = createTRPCRouter({
  workspace: workspaceRouter,
  members: membersRouter,
  admin: adminRouter,
  account: accountRouter,
  audit: auditRouter,
  mfa: mfaRouter,
  roles: rolesRouter,
  billing: billingRouter,
  billingSimulator: billingSimulatorRouter,
  adminBilling: adminBillingRouter,
  templates: templatesRouter,
  adminTemplates: adminTemplatesRouter,
  messages: messagesRouter,
  adminMessages: adminMessagesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
