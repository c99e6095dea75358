import "server-only";
import type { z } from "zod";
import { PlanGate } from "../subscriptions/plan-gate";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import {
  assertValidTemplate,
  listTemplates,
  loadTemplateRows,
  templateDetail,
  type TemplateDetail,
  type TemplateListRow,
} from "@/server/notifications/templates";
import { previewTemplate, type TemplatePreview } from "@/server/notifications/template-render";
import { AppError } from "@/server/core/errors";
import { isSecurityKey, type MessageKey, type TemplateLocale } from "@/lib/notifications/catalog";
import type { previewTemplateSchema, saveTemplateSchema } from "@/lib/schemas/templates";

const CHANNEL = "email" as const;

/** Security messages are worded by the platform only (see the class comment). */
function assertWorkspaceKey(key: MessageKey): void {
  if (isSecurityKey(key)) throw new AppError("FORBIDDEN", "templates.errors.securityMessage");
}

/**
 * A tenant's overrides of the message templates (plan feature `custom_templates`). Reading and
 * previewing work on every plan; saving needs the feature; a reset (deleting the override) always works.
 * The security messages (password reset, invitation: they carry a link that signs someone in) are
 * not the workspace's to word: every call about one is refused, and old overrides are ignored at render.
 */
export class TemplateService {
  constructor(private readonly ctx: TenantContext) {}

  private get canEdit(): boolean {
    return new PlanGate(this.ctx).can("custom_templates");
  }

  async list(): Promise<TemplateListRow[]> {
    return this.ctx.db.run(async (tx) =>
      listTemplates(await loadTemplateRows(tx, { tenantId: this.ctx.tenantId, channel: CHANNEL }), "tenant"),
    );
  }

  async get(key: MessageKey, locale: TemplateLocale): Promise<TemplateDetail> {
    assertWorkspaceKey(key);
    return this.ctx.db.run(async (tx) => {
      const rows = await loadTemplateRows(tx, { tenantId: this.ctx.tenantId, channel: CHANNEL, keys: [key] });
      const detail = templateDetail(rows, "tenant", key, locale, this.canEdit);
      if (detail.overridden || this.canEdit) return detail;
      // a stored override that the plan no longer applies: show it, but say what is really used
      const stored = await tx.tenantTemplate.findFirst({ where: { key, locale, channel: CHANNEL }, select: { updatedAt: true } });
      return stored ? { ...detail, overridden: true, updatedAt: stored.updatedAt } : detail;
    });
  }

  async save(input: z.output<typeof saveTemplateSchema>): Promise<TemplateDetail> {
    assertWorkspaceKey(input.key);
    assertValidTemplate(input.key, input);
    await this.ctx.db.run(async (tx) => {
      await new PlanGate(this.ctx).assertFeature(tx, "custom_templates");
      const where = {
        tenantId_key_channel_locale: { tenantId: this.ctx.tenantId, key: input.key, channel: CHANNEL, locale: input.locale },
      };
      const before = await tx.tenantTemplate.findUnique({ where, select: { id: true, subject: true, body: true } });
      const row = await tx.tenantTemplate.upsert({
        where,
        create: {
          tenantId: this.ctx.tenantId,
          key: input.key,
          channel: CHANNEL,
          locale: input.locale,
          subject: input.subject,
          body: input.body,
          updatedById: this.ctx.userId,
        },
        update: { subject: input.subject, body: input.body, updatedById: this.ctx.userId },
        select: { id: true },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "template.saved",
        targetType: "template",
        targetId: row.id,
        metadata: {
          key: input.key,
          locale: input.locale,
          before: before ? { subject: before.subject, body: before.body } : null,
          after: { subject: input.subject, body: input.body },
        },
      });
    });
    return this.get(input.key, input.locale);
  }

  /** Deletes the override of key + locale (no-op when there is none); the next level applies again. */
  async reset(key: MessageKey, locale: TemplateLocale): Promise<TemplateDetail & { removed: boolean }> {
    assertWorkspaceKey(key);
    const removed = await this.ctx.db.run(async (tx) => {
      const row = await tx.tenantTemplate.findFirst({
        where: { key, locale, channel: CHANNEL },
        select: { id: true, subject: true, body: true },
      });
      if (!row) return false;
      await tx.tenantTemplate.delete({ where: { id: row.id } });
      await tenantAudit(this.ctx).log(tx, {
        action: "template.reset",
        targetType: "template",
        targetId: row.id,
        metadata: { key, locale, before: { subject: row.subject, body: row.body }, after: null },
      });
      return true;
    });
    return { ...(await this.get(key, locale)), removed };
  }

  /** Renders the given text with the key's sample values and this workspace's name; stores nothing. */
  async preview(input: z.output<typeof previewTemplateSchema>): Promise<TemplatePreview> {
    assertWorkspaceKey(input.key);
    return previewTemplate({
      key: input.key,
      locale: input.locale,
      template: { subject: input.subject, body: input.body },
      heading: this.ctx.tenant.name,
    });
  }
}
