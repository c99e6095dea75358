import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import { AuditLogger } from "@/server/audit/audit-logger";
import type { RequestMeta } from "@/server/core/request-meta";
import {
  assertValidTemplate,
  listTemplates,
  loadTemplateRows,
  templateDetail,
  type TemplateDetail,
  type TemplateListRow,
} from "@/server/notifications/templates";
import { previewTemplate, type TemplatePreview } from "@/server/notifications/template-render";
import type { MessageKey, TemplateLocale } from "@/lib/notifications/catalog";
import type { previewTemplateSchema, saveTemplateSchema } from "@/lib/schemas/templates";

const CHANNEL = "email" as const;

export interface AdminActor {
  userId: string;
  email: string;
}

/**
 * The global templates, edited by platform admins: what every workspace gets unless its plan lets
 * it override them. Without a stored row a key uses the built-in catalog text.
 */
export class TemplateAdminService {
  private readonly audit: AuditLogger;

  constructor(
    private readonly actor: AdminActor,
    meta: RequestMeta,
  ) {
    this.audit = new AuditLogger(meta);
  }

  list(): Promise<TemplateListRow[]> {
    return platformDb.run(async (tx) => listTemplates(await loadTemplateRows(tx, { tenantId: null, channel: CHANNEL }), "global"));
  }

  get(key: MessageKey, locale: TemplateLocale): Promise<TemplateDetail> {
    return platformDb.run(async (tx) =>
      templateDetail(await loadTemplateRows(tx, { tenantId: null, channel: CHANNEL, keys: [key] }), "global", key, locale, true),
    );
  }

  async save(input: z.output<typeof saveTemplateSchema>): Promise<TemplateDetail> {
    assertValidTemplate(input.key, input);
    await platformDb.run(async (tx) => {
      const where = { key_channel_locale: { key: input.key, channel: CHANNEL, locale: input.locale } };
      const before = await tx.globalTemplate.findUnique({ where, select: { subject: true, body: true } });
      const row = await tx.globalTemplate.upsert({
        where,
        create: {
          key: input.key,
          channel: CHANNEL,
          locale: input.locale,
          subject: input.subject,
          body: input.body,
          updatedById: this.actor.userId,
        },
        update: { subject: input.subject, body: input.body, updatedById: this.actor.userId },
        select: { id: true },
      });
      await this.audit.log(tx, null, {
        action: "admin.template.saved",
        actorUserId: this.actor.userId,
        actorEmail: this.actor.email,
        targetType: "global_template",
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

  /** Deletes the global text of key + locale (no-op when there is none): the built-in default applies again. */
  async reset(key: MessageKey, locale: TemplateLocale): Promise<TemplateDetail & { removed: boolean }> {
    const removed = await platformDb.run(async (tx) => {
      const row = await tx.globalTemplate.findUnique({
        where: { key_channel_locale: { key, channel: CHANNEL, locale } },
        select: { id: true, subject: true, body: true },
      });
      if (!row) return false;
      await tx.globalTemplate.delete({ where: { id: row.id } });
      await this.audit.log(tx, null, {
        action: "admin.template.reset",
        actorUserId: this.actor.userId,
        actorEmail: this.actor.email,
        targetType: "global_template",
        targetId: row.id,
        metadata: { key, locale, before: { subject: row.subject, body: row.body }, after: null },
      });
      return true;
    });
    return { ...(await this.get(key, locale)), removed };
  }

  /** Renders the given text with the key's sample values; stores nothing. */
  preview(input: z.output<typeof previewTemplateSchema>): Promise<TemplatePreview> {
    return previewTemplate({ key: input.key, locale: input.locale, template: { subject: input.subject, body: input.body } });
  }
}
