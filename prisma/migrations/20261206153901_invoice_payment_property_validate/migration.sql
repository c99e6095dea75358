-- Validates the constraints 20261206153900_invoice_payment_property added NOT VALID (a scan that
-- blocks no reads or writes), then makes the invoice's property NOT NULL: the validated CHECK proves
-- it, so PostgreSQL skips the scan.
ALTER TABLE "RentInvoice" VALIDATE CONSTRAINT "RentInvoice_propertyId_check";
ALTER TABLE "Payment" VALIDATE CONSTRAINT "Payment_property_check";
-- migration-lint: allow set-not-null because the validated CHECK ("propertyId" IS NOT NULL) above proves it without a scan, and the trigger of 20261206153900 fills the column for the previous release's inserts, which leave it out
ALTER TABLE "RentInvoice" ALTER COLUMN "propertyId" SET NOT NULL;
ALTER TABLE "RentInvoice" DROP CONSTRAINT "RentInvoice_propertyId_check";
