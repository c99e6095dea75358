-- The property triggers of 20261206153900_invoice_payment_property ran a lookup for EVERY inserted
-- row, also when the insert already carries the right "propertyId" (every insert of the app does):
-- about 0.3-0.7 ms a row as the app role, so the monthly run's 1,000-row invoice INSERT took 0.3-0.7 s
-- and a 20,000-contract run 90 s instead of 4.5 s (npm run bench). Same rules, set-based:
-- - the row triggers only fill in a property an insert left out (WHEN … IS NULL: the previous
--   release, raw inserts), with the same lookup as before;
-- - the check that a given property is the contract's unit's (invoices) or the invoice's (payments)
--   runs once per statement over the statement's new rows (a transition table), one join.
-- Both still run as the inserting role under row-level security.

DROP TRIGGER "RentInvoice_property" ON "RentInvoice";
DROP TRIGGER "Payment_property" ON "Payment";

CREATE TRIGGER "RentInvoice_property_fill" BEFORE INSERT OR UPDATE OF "contractId", "propertyId" ON "RentInvoice"
  FOR EACH ROW WHEN (NEW."propertyId" IS NULL) EXECUTE FUNCTION rent_invoice_property();
CREATE TRIGGER "Payment_property_fill" BEFORE INSERT OR UPDATE OF "rentInvoiceId", "propertyId" ON "Payment"
  FOR EACH ROW WHEN (NEW."propertyId" IS NULL AND NEW."rentInvoiceId" IS NOT NULL) EXECUTE FUNCTION payment_property();

CREATE FUNCTION rent_invoice_property_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n."propertyId" AS given, u."propertyId" AS expected, n."contractId" AS contract INTO bad
    FROM new_rows n
    JOIN "Contract" c ON c."tenantId" = n."tenantId" AND c.id = n."contractId"
    JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
    WHERE n."propertyId" IS DISTINCT FROM u."propertyId"
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'RentInvoice.propertyId % is not the property % of contract %', bad.given, bad.expected, bad.contract
      USING ERRCODE = 'check_violation', CONSTRAINT = 'RentInvoice_property_check';
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION payment_property_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n."propertyId" AS given, i."propertyId" AS expected, n."rentInvoiceId" AS invoice INTO bad
    FROM new_rows n
    JOIN "RentInvoice" i ON i."tenantId" = n."tenantId" AND i.id = n."rentInvoiceId"
    WHERE n."propertyId" IS DISTINCT FROM i."propertyId"
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Payment.propertyId % is not the property % of rent invoice %', bad.given, bad.expected, bad.invoice
      USING ERRCODE = 'check_violation', CONSTRAINT = 'Payment_property_check';
  END IF;
  RETURN NULL;
END
$$;

-- (a trigger with transition tables takes no column list: the update check runs after every UPDATE
-- statement, a join of the updated rows only)
CREATE TRIGGER "RentInvoice_property_check_insert" AFTER INSERT ON "RentInvoice"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rent_invoice_property_check();
CREATE TRIGGER "RentInvoice_property_check_update" AFTER UPDATE ON "RentInvoice"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rent_invoice_property_check();
CREATE TRIGGER "Payment_property_check_insert" AFTER INSERT ON "Payment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_property_check();
CREATE TRIGGER "Payment_property_check_update" AFTER UPDATE ON "Payment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_property_check();
