-- The invoices and payments lists on indexes (issue 13): every page is one keyset query
-- `WHERE "tenantId" = … AND <equality filters> AND (key, id) < (cursor) ORDER BY key, id LIMIT n + 1`
-- (server/rent-invoices/rent-invoice-service.ts, server/payments/rent-payment-service.ts,
-- server/core/keyset.ts). Each index below is (tenantId, [equality filter,] sort key, id), so the
-- filter, the sort and the cursor are all index conditions and a page reads about a page of rows at
-- any depth. Text/uuid/int/date/timestamp comparisons are leakproof: they stay index conditions under
-- row-level security. Which filter × sort each serves: docs/ARCHITECTURE.md, "Lists: keyset pages on indexes".
-- (The invoice number sort uses the unique ("tenantId", number) index: numbers are unique, no tie.)

-- invoices, no status filter: one index per offered sort
CREATE INDEX "RentInvoice_list_issuedAt_idx" ON "RentInvoice"("tenantId", "issuedAt", "id");
CREATE INDEX "RentInvoice_list_dueDate_idx" ON "RentInvoice"("tenantId", "dueDate", "id");
CREATE INDEX "RentInvoice_list_total_idx" ON "RentInvoice"("tenantId", "total", "id");
CREATE INDEX "RentInvoice_list_period_idx" ON "RentInvoice"("tenantId", "period", "id");

-- invoices filtered by status (the status tabs, dashboard links): status is the equality prefix
CREATE INDEX "RentInvoice_list_status_issuedAt_idx" ON "RentInvoice"("tenantId", "status", "issuedAt", "id");
CREATE INDEX "RentInvoice_list_status_dueDate_idx" ON "RentInvoice"("tenantId", "status", "dueDate", "id");
CREATE INDEX "RentInvoice_list_status_total_idx" ON "RentInvoice"("tenantId", "status", "total", "id");
CREATE INDEX "RentInvoice_list_status_period_idx" ON "RentInvoice"("tenantId", "status", "period", "id");
CREATE INDEX "RentInvoice_list_status_number_idx" ON "RentInvoice"("tenantId", "status", "number", "id");

-- payments (always one purpose and one status): by paid date (paid, refunded), by created date
-- (pending, failed, expired), by amount; and by paid date within a method
CREATE INDEX "Payment_list_paidAt_idx" ON "Payment"("tenantId", "purpose", "status", "paidAt", "id");
CREATE INDEX "Payment_list_createdAt_idx" ON "Payment"("tenantId", "purpose", "status", "createdAt", "id");
CREATE INDEX "Payment_list_amount_idx" ON "Payment"("tenantId", "purpose", "status", "amount", "id");
CREATE INDEX "Payment_list_method_paidAt_idx" ON "Payment"("tenantId", "purpose", "status", "method", "paidAt", "id");
-- the search by the typed reference (cash / bank transfer)
CREATE INDEX "Payment_tenantId_reference_idx" ON "Payment"("tenantId", "reference");
