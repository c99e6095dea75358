-- The invoices and payments lists' property filter on an index (issue 13). The property was
-- reached through contract -> unit, so a property-filtered page read all of the property's rows and
-- sorted them. Each rent invoice and rent payment now carries its property ("propertyId"), indexed
-- with every offered sort: a property-filtered page is an index walk of about a page at any depth.
--
-- Consistency: a unit never moves between properties (server/properties/unit-service.ts does not
-- change a unit's propertyId) and only a draft contract (which has no invoices) can change unit, so
-- the property of an invoice is fixed at insert. The triggers below fill "propertyId" when an insert
-- leaves it out (the previous release, raw inserts) and refuse one that disagrees with the contract's
-- unit (invoices) or the invoice (payments). They run as the inserting role under row-level security:
-- the contract and the invoice are the inserting tenant's own rows.
--
-- Expand only (docs/OPERATIONS.md): this adds the nullable columns, the triggers, the backfill and the
-- constraints NOT VALID; 20261206153901_invoice_payment_property_validate validates them and makes
-- the invoice's column NOT NULL; 20261206153902…153909 build the list indexes CONCURRENTLY, one each.

-- The backfill reads and writes every workspace's rows: the platform setting of the RLS policies,
-- for this migration's transaction only.
SELECT set_config('app.platform', 'on', true);

-- AlterTable
ALTER TABLE "RentInvoice" ADD COLUMN "propertyId" UUID;
UPDATE "RentInvoice" i SET "propertyId" = u."propertyId"
  FROM "Contract" c JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
  WHERE c."tenantId" = i."tenantId" AND c.id = i."contractId";
-- validated in the next migration, which then sets NOT NULL without a scan
ALTER TABLE "RentInvoice" ADD CONSTRAINT "RentInvoice_propertyId_check" CHECK ("propertyId" IS NOT NULL) NOT VALID;

ALTER TABLE "Payment" ADD COLUMN "propertyId" UUID;
UPDATE "Payment" p SET "propertyId" = i."propertyId"
  FROM "RentInvoice" i
  WHERE i."tenantId" = p."tenantId" AND i.id = p."rentInvoiceId";
-- a rent payment (it has an invoice) has a property; a subscription payment has none
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_property_check" CHECK (("rentInvoiceId" IS NULL) = ("propertyId" IS NULL)) NOT VALID;

SELECT set_config('app.platform', '', true);

-- CreateFunction
CREATE FUNCTION rent_invoice_property() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p uuid;
BEGIN
  SELECT u."propertyId" INTO p
    FROM "Contract" c JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
    WHERE c."tenantId" = NEW."tenantId" AND c.id = NEW."contractId";
  IF NEW."propertyId" IS NULL THEN
    NEW."propertyId" := p;
  ELSIF p IS NOT NULL AND NEW."propertyId" <> p THEN
    RAISE EXCEPTION 'RentInvoice.propertyId % is not the property % of contract %', NEW."propertyId", p, NEW."contractId"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'RentInvoice_property_check';
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION payment_property() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p uuid;
BEGIN
  IF NEW."rentInvoiceId" IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT i."propertyId" INTO p FROM "RentInvoice" i WHERE i."tenantId" = NEW."tenantId" AND i.id = NEW."rentInvoiceId";
  IF NEW."propertyId" IS NULL THEN
    NEW."propertyId" := p;
  ELSIF p IS NOT NULL AND NEW."propertyId" <> p THEN
    RAISE EXCEPTION 'Payment.propertyId % is not the property % of rent invoice %', NEW."propertyId", p, NEW."rentInvoiceId"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'Payment_property_check';
  END IF;
  RETURN NEW;
END
$$;

-- CreateTrigger
CREATE TRIGGER "RentInvoice_property" BEFORE INSERT OR UPDATE OF "contractId", "propertyId" ON "RentInvoice"
  FOR EACH ROW EXECUTE FUNCTION rent_invoice_property();
CREATE TRIGGER "Payment_property" BEFORE INSERT OR UPDATE OF "rentInvoiceId", "propertyId" ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION payment_property();
