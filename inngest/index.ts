import { outboxRelay } from "./functions/outbox-relay";
import { cleanup } from "./functions/cleanup";
import { retention } from "./functions/retention";
import { backup } from "./functions/backup";
import { billingCycle } from "./functions/billing-cycle";
import { bakongReconciliation } from "./functions/bakong-reconciliation";
import { billingInvoiceMail, billingReceipt, billingReminderMail, billingStatusMail } from "./functions/billing-notifications";
import { messageSend } from "./functions/message-send";
import { messageRetry } from "./functions/message-retry";
import { contractExpiring } from "./functions/contract-expiring";
import { rentInvoiceRun } from "./functions/rent-invoice-run";
import { rentOverdue } from "./functions/rent-overdue";
import { workspaceDeletion } from "./functions/workspace-deletion";
import { telegramUpdate } from "./functions/telegram-update";
import { exchangeRates } from "./functions/exchange-rates";

export { inngest } from "./client";
export const functions = [
  outboxRelay,
  cleanup,
  retention,
  backup,
  billingCycle,
  bakongReconciliation,
  billingReceipt,
  billingInvoiceMail,
  billingReminderMail,
  billingStatusMail,
  messageSend,
  messageRetry,
  contractExpiring,
  rentInvoiceRun,
  rentOverdue,
  workspaceDeletion,
  telegramUpdate,
  exchangeRates,
];
