-- Issue 18, Telegram (docs/TELEGRAM.md): the telegram channel, a renter's linked chat and preferred
-- channel, and the one-time links that bind a chat to a renter.

-- Messages, templates and suppressions may be on Telegram. The widened sets accept every value
-- the previous release writes; each is added NOT VALID and validated apart (no write-blocking scan).
ALTER TABLE "GlobalTemplate" DROP CONSTRAINT "GlobalTemplate_channel_check";
ALTER TABLE "GlobalTemplate" ADD CONSTRAINT "GlobalTemplate_channel_check" CHECK ("channel" IN ('email', 'telegram')) NOT VALID;
ALTER TABLE "GlobalTemplate" VALIDATE CONSTRAINT "GlobalTemplate_channel_check";
ALTER TABLE "TenantTemplate" DROP CONSTRAINT "TenantTemplate_channel_check";
ALTER TABLE "TenantTemplate" ADD CONSTRAINT "TenantTemplate_channel_check" CHECK ("channel" IN ('email', 'telegram')) NOT VALID;
ALTER TABLE "TenantTemplate" VALIDATE CONSTRAINT "TenantTemplate_channel_check";
ALTER TABLE "OutboundMessage" DROP CONSTRAINT "OutboundMessage_channel_check";
ALTER TABLE "OutboundMessage" ADD CONSTRAINT "OutboundMessage_channel_check" CHECK ("channel" IN ('email', 'telegram')) NOT VALID;
ALTER TABLE "OutboundMessage" VALIDATE CONSTRAINT "OutboundMessage_channel_check";
ALTER TABLE "SuppressedAddress" DROP CONSTRAINT "SuppressedAddress_channel_check";
ALTER TABLE "SuppressedAddress" ADD CONSTRAINT "SuppressedAddress_channel_check" CHECK ("channel" IN ('email', 'telegram')) NOT VALID;
ALTER TABLE "SuppressedAddress" VALIDATE CONSTRAINT "SuppressedAddress_channel_check";

-- A renter's Telegram chat (set only by /start <link token>, cleared by /stop) and where renter
-- messages go: email, telegram or both (staff choose; server/notifications/telegram-recipients.ts).
ALTER TABLE "Renter"
  ADD COLUMN "messageChannel" TEXT NOT NULL DEFAULT 'email',
  ADD COLUMN "telegramChatId" TEXT,
  ADD COLUMN "telegramLinkedAt" TIMESTAMP(3);
ALTER TABLE "Renter" ADD CONSTRAINT "Renter_messageChannel_check" CHECK ("messageChannel" IN ('email', 'telegram', 'both')) NOT VALID;
ALTER TABLE "Renter" VALIDATE CONSTRAINT "Renter_messageChannel_check";

-- One-time deep links t.me/<bot>?start=<token>: only a SHA-256 of the token is stored; single-use,
-- expiring, bound to one tenant and one renter.
CREATE TABLE "TelegramLinkToken" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "renterId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramLinkToken_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "TelegramLinkToken_tokenHash_key" ON "TelegramLinkToken"("tokenHash");
CREATE UNIQUE INDEX "TelegramLinkToken_tenantId_id_key" ON "TelegramLinkToken"("tenantId", "id");
CREATE INDEX "TelegramLinkToken_tenantId_renterId_idx" ON "TelegramLinkToken"("tenantId", "renterId");
CREATE INDEX "TelegramLinkToken_expiresAt_idx" ON "TelegramLinkToken"("expiresAt");

ALTER TABLE "TelegramLinkToken" ADD CONSTRAINT "TelegramLinkToken_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TelegramLinkToken" ADD CONSTRAINT "TelegramLinkToken_tenantId_renterId_fkey" FOREIGN KEY ("tenantId", "renterId") REFERENCES "Renter"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "TelegramLinkToken" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TelegramLinkToken" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TelegramLinkToken"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());
