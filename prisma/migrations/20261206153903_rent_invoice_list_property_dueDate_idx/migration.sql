-- The invoices list filtered by property, by dueDate (server/rent-invoices/rent-invoice-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "RentInvoice_list_property_dueDate_idx" ON "RentInvoice"("tenantId", "propertyId", "dueDate", "id");
