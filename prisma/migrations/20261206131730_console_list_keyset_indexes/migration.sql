-- The console's billing lists page by keyset across every workspace (server/payments/payments.admin.ts,
-- server/payments/webhooks.admin.ts, server/subscriptions/subscription-invoices.admin.ts): one index per
-- filter the list offers, ending in the sort key and the id, so `(key, id) < ($k, $id) … LIMIT n` is an
-- index condition that reads about a page of entries at any depth.

-- CreateIndex
CREATE INDEX "Payment_console_createdAt_idx" ON "Payment"("purpose", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_console_status_createdAt_idx" ON "Payment"("purpose", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_console_method_createdAt_idx" ON "Payment"("purpose", "method", "createdAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_id_idx" ON "WebhookEvent"("receivedAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_provider_receivedAt_id_idx" ON "WebhookEvent"("provider", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_id_idx" ON "WebhookEvent"("status", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_provider_status_receivedAt_id_idx" ON "WebhookEvent"("provider", "status", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "SubscriptionInvoice_issuedAt_id_idx" ON "SubscriptionInvoice"("issuedAt", "id");

-- CreateIndex
CREATE INDEX "SubscriptionInvoice_status_issuedAt_id_idx" ON "SubscriptionInvoice"("status", "issuedAt", "id");
