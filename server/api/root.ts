import { createCallerFactory, createTRPCRouter } from "./trpc";
import { rentPaymentsRouter } from "./routers/rent-payments";
import { payPageRouter } from "./routers/pay-page.public";
import { workspaceRouter } from "./routers/workspace";
import { membersRouter } from "./routers/members";
import { adminRouter } from "./routers/console.admin";
import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { mfaRouter } from "./routers/mfa.admin";
import { rolesRouter } from "./routers/roles";
import { billingRouter } from "./routers/billing";
import { billingSimulatorRouter } from "./routers/billing-simulator.public";
import { adminBillingRouter } from "./routers/billing.admin";
import { templatesRouter } from "./routers/templates";
import { adminTemplatesRouter } from "./routers/templates.admin";
import { messagesRouter } from "./routers/messages";
import { adminMessagesRouter } from "./routers/messages.admin";
import { filesRouter } from "./routers/files";
import { propertiesRouter } from "./routers/properties";
import { dashboardRouter } from "./routers/dashboard";
import { rentInvoicesRouter } from "./routers/rent-invoices";
import { contractsRouter } from "./routers/contracts";
import { readingsRouter } from "./routers/readings";
import { rentersRouter } from "./routers/renters";
import { telegramRouter } from "./routers/telegram";
import { exchangeRatesRouter } from "./routers/exchange-rates";
import { importsRouter } from "./routers/imports";
import { workspaceSettingsRouter } from "./routers/workspace-settings";
import { workspaceDeletionRouter } from "./routers/workspace-deletion.public";
import { accountDeletionRouter } from "./routers/account-deletion.public";

export const appRouter = createTRPCRouter({
  rentPayments: rentPaymentsRouter,
  payPage: payPageRouter,
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
  files: filesRouter,
  properties: propertiesRouter,
  dashboard: dashboardRouter,
  rentInvoices: rentInvoicesRouter,
  contracts: contractsRouter,
  readings: readingsRouter,
  renters: rentersRouter,
  telegram: telegramRouter,
  exchangeRates: exchangeRatesRouter,
  imports: importsRouter,
  workspaceSettings: workspaceSettingsRouter,
  workspaceDeletion: workspaceDeletionRouter,
  accountDeletion: accountDeletionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
