-- Issue 18, a workspace's own Telegram bot (docs/TELEGRAM.md, "A workspace's own bot"): the bot's
-- token encrypted at rest (server/auth/totp.ts encryptSecret), its Telegram id (one workspace per
-- bot), and the SHA-256 of the per-workspace webhook secret the route looks the workspace up by.
CREATE TABLE "WorkspaceTelegramBot" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "botId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "tokenEnc" TEXT NOT NULL,
    "tokenLast4" TEXT NOT NULL,
    "webhookSecretHash" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkspaceTelegramBot_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "WorkspaceTelegramBot_tenantId_key" ON "WorkspaceTelegramBot"("tenantId");
CREATE UNIQUE INDEX "WorkspaceTelegramBot_tenantId_id_key" ON "WorkspaceTelegramBot"("tenantId", "id");
CREATE UNIQUE INDEX "WorkspaceTelegramBot_botId_key" ON "WorkspaceTelegramBot"("botId");
CREATE UNIQUE INDEX "WorkspaceTelegramBot_webhookSecretHash_key" ON "WorkspaceTelegramBot"("webhookSecretHash");

ALTER TABLE "WorkspaceTelegramBot" ADD CONSTRAINT "WorkspaceTelegramBot_botId_check" CHECK ("botId" ~ '^[0-9]{1,20}$');
ALTER TABLE "WorkspaceTelegramBot" ADD CONSTRAINT "WorkspaceTelegramBot_secret_check" CHECK ("webhookSecretHash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "WorkspaceTelegramBot" ADD CONSTRAINT "WorkspaceTelegramBot_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "WorkspaceTelegramBot" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "WorkspaceTelegramBot" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "WorkspaceTelegramBot"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

-- Which bot a renter's chat was linked through: NULL = the platform bot, else the workspace bot's
-- Telegram id. A chat is only ever written to through the bot it was linked with.
ALTER TABLE "Renter" ADD COLUMN "telegramBotId" TEXT;
