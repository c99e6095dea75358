-- Receipts for every rent payment (issue 17/18) and the workspace's own cash and bank-transfer
-- instructions (issue 17). Expand-only: nullable columns without defaults.
--
-- Payment: the receipt number (RC-<year>-<6 digits>, gap-free per workspace and year from
-- InvoiceCounter scope "receipt:<tenantId>", unique per workspace by the next migration's index),
-- taken once when the payment is applied (server/receipts/receipts.ts), with what the invoice took
-- and what was left open after it. A retry finds the number already there and takes none.
ALTER TABLE "Payment" ADD COLUMN "receiptNumber" TEXT;
ALTER TABLE "Payment" ADD COLUMN "receiptApplied" INTEGER;
ALTER TABLE "Payment" ADD COLUMN "receiptBalanceAfter" INTEGER;

-- Tenant: shown on the pay page and the invoice PDF when set (each optional, edited in /settings).
ALTER TABLE "Tenant" ADD COLUMN "payBankName" TEXT;
ALTER TABLE "Tenant" ADD COLUMN "payAccountName" TEXT;
ALTER TABLE "Tenant" ADD COLUMN "payAccountNumber" TEXT;
ALTER TABLE "Tenant" ADD COLUMN "payPhone" TEXT;
