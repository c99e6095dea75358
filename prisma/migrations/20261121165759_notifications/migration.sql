-- CreateEnum
CREATE TYPE "MessageChannel" AS ENUM ('email');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('queued', 'sending', 'sent', 'delivered', 'bounced', 'complained', 'failed', 'suppressed');

-- CreateTable
CREATE TABLE "GlobalTemplate" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "channel" "MessageChannel" NOT NULL DEFAULT 'email',
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GlobalTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenantTemplate" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "channel" "MessageChannel" NOT NULL DEFAULT 'email',
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenantTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "channel" "MessageChannel" NOT NULL DEFAULT 'email',
    "locale" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "variables" JSONB NOT NULL,
    "subject" TEXT,
    "bodyText" TEXT,
    "status" "MessageStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "provider" TEXT,
    "providerId" TEXT,
    "sentAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "bouncedAt" TIMESTAMP(3),
    "complainedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SuppressedAddress" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "channel" "MessageChannel" NOT NULL DEFAULT 'email',
    "address" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "messageId" UUID,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SuppressedAddress_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GlobalTemplate_key_channel_locale_key" ON "GlobalTemplate"("key", "channel", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "TenantTemplate_tenantId_id_key" ON "TenantTemplate"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TenantTemplate_tenantId_key_channel_locale_key" ON "TenantTemplate"("tenantId", "key", "channel", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_providerId_key" ON "OutboundMessage"("providerId");

-- CreateIndex
CREATE INDEX "OutboundMessage_status_nextAttemptAt_idx" ON "OutboundMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboundMessage_tenantId_createdAt_idx" ON "OutboundMessage"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_tenantId_id_key" ON "OutboundMessage"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_tenantId_dedupeKey_key" ON "OutboundMessage"("tenantId", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "SuppressedAddress_tenantId_id_key" ON "SuppressedAddress"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SuppressedAddress_tenantId_channel_address_key" ON "SuppressedAddress"("tenantId", "channel", "address");

-- AddForeignKey
ALTER TABLE "TenantTemplate" ADD CONSTRAINT "TenantTemplate_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundMessage" ADD CONSTRAINT "OutboundMessage_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SuppressedAddress" ADD CONSTRAINT "SuppressedAddress_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for the new tenant tables (see 20261121130600_row_level_security).
ALTER TABLE "TenantTemplate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TenantTemplate" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TenantTemplate"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "OutboundMessage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OutboundMessage" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OutboundMessage"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "SuppressedAddress" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SuppressedAddress" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SuppressedAddress"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());
