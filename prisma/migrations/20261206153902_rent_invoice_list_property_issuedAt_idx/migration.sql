-- The invoices list filtered by property, by issuedAt (server/rent-invoices/rent-invoice-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "RentInvoice_list_property_issuedAt_idx" ON "RentInvoice"("tenantId", "propertyId", "issuedAt", "id");
