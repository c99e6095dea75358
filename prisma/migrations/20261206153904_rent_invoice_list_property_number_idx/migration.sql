-- The invoices list filtered by property, by number (server/rent-invoices/rent-invoice-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "RentInvoice_list_property_number_idx" ON "RentInvoice"("tenantId", "propertyId", "number", "id");
