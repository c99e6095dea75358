-- Issue 18, renter portal sign-in when renters of one workspace share a phone number or e-mail
-- (docs/RENTER_PORTAL.md, "Shared addresses"): the renters a sign-in proved — the active renters of
-- the identifier typed whose own address the code reached (the renter it was sent for, and those
-- with the very e-mail address it was e-mailed to). Filled only when there are two or more; the
-- person may then open any of them (names shown only after the code was verified), never another.
ALTER TABLE "RenterSession" ADD COLUMN "renterChoices" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[];

-- The address a code was e-mailed to (null: not e-mailed, Telegram only), kept with the code so the
-- check knows what the code proved; deleted with the code (erasure deletes a renter's codes).
ALTER TABLE "RenterLoginCode" ADD COLUMN "emailedTo" TEXT;
