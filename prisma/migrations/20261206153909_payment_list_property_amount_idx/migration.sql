-- The payments list filtered by property, by amount within a status (server/payments/rent-payment-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Payment_list_property_amount_idx" ON "Payment"("tenantId", "propertyId", "status", "amount", "id");
