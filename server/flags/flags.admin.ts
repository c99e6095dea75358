import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { AppError, isUniqueViolation } from "@/server/core/errors";
import { AuditLogger, type AuditAction } from "@/server/audit/audit-logger";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import type { createFlagSchema, listFlagsSchema, updateFlagSchema } from "@/lib/schemas/flags";

export interface FlagRow {
  key: string;
  description: string;
  owner: string;
  expiresAt: Date;
  defaultEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** past its expiry: still evaluated, shown in red until its code path and then the flag are removed */
  isExpired: boolean;
  overrides: number;
}

export interface FlagOverrideRow {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  enabled: boolean;
  updatedAt: Date;
}

export interface FlagDetail extends FlagRow {
  overrideList: FlagOverrideRow[];
}

export interface AdminActor {
  userId: string;
  email: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FLAG_FIELDS = { key: true, description: true, owner: true, expiresAt: true, defaultEnabled: true } as const;
type FlagFields = { key: string; description: string; owner: string; expiresAt: Date; defaultEnabled: boolean };

/** The audited shape of a flag (dates as ISO strings so before/after compare as JSON). */
function snapshot(f: FlagFields) {
  return { key: f.key, description: f.description, owner: f.owner, expiresAt: f.expiresAt.toISOString(), defaultEnabled: f.defaultEnabled };
}

/**
 * The admin console's feature-flag operations (platform handle: the flags are global, the
 * overrides belong to tenants). Every change writes an audit row with before/after in the
 * same transaction. Evaluation lives apart, in server/flags/feature-flags.ts.
 */
export class FeatureFlagService {
  private readonly audit: AuditLogger;

  constructor(
    private readonly actor: AdminActor,
    meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {
    this.audit = new AuditLogger(meta);
  }

  private log(
    tx: DbTx,
    action: AuditAction,
    key: string,
    metadata: { before: unknown; after: unknown; tenantId?: string; tenantSlug?: string },
  ): Promise<void> {
    // platform-level rows (tenantId null): an operator's change, kept in the console's trail
    return this.audit.log(tx, null, {
      action,
      actorUserId: this.actor.userId,
      actorEmail: this.actor.email,
      targetType: "FeatureFlag",
      targetId: key,
      metadata: JSON.parse(JSON.stringify(metadata)),
    });
  }

  async list(input: z.output<typeof listFlagsSchema>): Promise<FlagRow[]> {
    const now = this.clock();
    const where = input.status === "expired" ? { expiresAt: { lte: now } } : input.status === "active" ? { expiresAt: { gt: now } } : {};
    const dir = input.sort.desc ? ("desc" as const) : ("asc" as const);
    const first: Prisma.FeatureFlagOrderByWithRelationInput =
      input.sort.id === "overrides" ? { overrides: { _count: dir } } : { [input.sort.id]: dir };
    const orderBy = input.sort.id === "key" ? [first] : [first, { key: "asc" as const }];
    const rows = await platformDb.run((tx) =>
      tx.featureFlag.findMany({
        where,
        orderBy,
        select: { ...FLAG_FIELDS, createdAt: true, updatedAt: true, _count: { select: { overrides: true } } },
      }),
    );
    return rows.map(({ _count, ...f }) => ({ ...f, isExpired: f.expiresAt <= now, overrides: _count.overrides }));
  }

  async get(key: string): Promise<FlagDetail> {
    const flag = await platformDb.run((tx) =>
      tx.featureFlag.findUnique({
        where: { key },
        select: {
          ...FLAG_FIELDS,
          createdAt: true,
          updatedAt: true,
          overrides: {
            select: { tenantId: true, enabled: true, updatedAt: true, tenant: { select: { slug: true, name: true } } },
            orderBy: { tenant: { slug: "asc" } },
          },
        },
      }),
    );
    if (!flag) throw new AppError("NOT_FOUND", "flags.errors.notFound", { key });
    const { overrides, ...f } = flag;
    return {
      ...f,
      isExpired: f.expiresAt <= this.clock(),
      overrides: overrides.length,
      overrideList: overrides.map((o) => ({
        tenantId: o.tenantId,
        tenantSlug: o.tenant.slug,
        tenantName: o.tenant.name,
        enabled: o.enabled,
        updatedAt: o.updatedAt,
      })),
    };
  }

  async create(input: z.output<typeof createFlagSchema>): Promise<FlagFields> {
    if (input.expiresAt <= this.clock()) throw new AppError("VALIDATION", "flags.validation.expiryPast");
    try {
      return await platformDb.run(async (tx) => {
        if (await tx.featureFlag.findUnique({ where: { key: input.key }, select: { key: true } })) {
          throw new AppError("CONFLICT", "flags.errors.duplicate", { key: input.key });
        }
        const { key, description, owner, expiresAt, defaultEnabled } = input;
        const flag = await tx.featureFlag.create({ data: { key, description, owner, expiresAt, defaultEnabled }, select: FLAG_FIELDS });
        await this.log(tx, "admin.flag.created", flag.key, { before: null, after: snapshot(flag) });
        return flag;
      });
    } catch (e) {
      // two admins creating the same key at once: the primary key decides
      if (isUniqueViolation(e)) throw new AppError("CONFLICT", "flags.errors.duplicate", { key: input.key });
      throw e;
    }
  }

  async update(input: z.output<typeof updateFlagSchema>): Promise<FlagFields> {
    const { key, description, owner, expiresAt, defaultEnabled } = input;
    const data = { description, owner, expiresAt, defaultEnabled };
    return platformDb.run(async (tx) => {
      const before = await tx.featureFlag.findUnique({ where: { key }, select: FLAG_FIELDS });
      if (!before) throw new AppError("NOT_FOUND", "flags.errors.notFound", { key });
      const after = await tx.featureFlag.update({ where: { key }, data, select: FLAG_FIELDS });
      await this.log(tx, "admin.flag.updated", key, { before: snapshot(before), after: snapshot(after) });
      return after;
    });
  }

  /** Deletes the flag and its overrides (do this once no code evaluates it any more). */
  async delete(key: string): Promise<{ key: string; overridesRemoved: number }> {
    return platformDb.run(async (tx) => {
      const before = await tx.featureFlag.findUnique({
        where: { key },
        select: { ...FLAG_FIELDS, overrides: { select: { tenantId: true, enabled: true }, orderBy: { tenantId: "asc" } } },
      });
      if (!before) throw new AppError("NOT_FOUND", "flags.errors.notFound", { key });
      const removed = await tx.featureFlagOverride.deleteMany({ where: { flagKey: key } });
      await tx.featureFlag.delete({ where: { key } });
      await this.log(tx, "admin.flag.deleted", key, { before: { ...snapshot(before), overrides: before.overrides }, after: null });
      return { key, overridesRemoved: removed.count };
    });
  }

  private async resolve(tx: DbTx, key: string, tenantRef: string) {
    const flag = await tx.featureFlag.findUnique({ where: { key }, select: { key: true } });
    if (!flag) throw new AppError("NOT_FOUND", "flags.errors.notFound", { key });
    const tenant = await tx.tenant.findUnique({
      where: UUID.test(tenantRef) ? { id: tenantRef.toLowerCase() } : { slug: tenantRef.toLowerCase() },
      select: { id: true, slug: true, name: true },
    });
    if (!tenant) throw new AppError("NOT_FOUND", "flags.errors.tenantNotFound", { tenant: tenantRef });
    return tenant;
  }

  /** Pins the flag on or off for one tenant (a pilot); `null` clears the pin. */
  async setOverride(
    key: string,
    tenantRef: string,
    enabled: boolean | null,
  ): Promise<{ key: string; tenantSlug: string; enabled: boolean | null; changed: boolean }> {
    if (enabled === null) {
      const cleared = await this.clearOverride(key, tenantRef);
      return { key, tenantSlug: cleared.tenantSlug, enabled: null, changed: cleared.cleared };
    }
    return platformDb.run(async (tx) => {
      const tenant = await this.resolve(tx, key, tenantRef);
      const where = { tenantId_flagKey: { tenantId: tenant.id, flagKey: key } };
      const before = await tx.featureFlagOverride.findUnique({ where, select: { enabled: true } });
      if (before?.enabled === enabled) return { key, tenantSlug: tenant.slug, enabled, changed: false };
      await tx.featureFlagOverride.upsert({ where, create: { tenantId: tenant.id, flagKey: key, enabled }, update: { enabled } });
      await this.log(tx, "admin.flag.override_set", key, {
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        before: before ? { enabled: before.enabled } : null,
        after: { enabled },
      });
      return { key, tenantSlug: tenant.slug, enabled, changed: true };
    });
  }

  /** Removes one tenant's override (idempotent: nothing to clear is not an error, and writes no audit row). */
  async clearOverride(key: string, tenantRef: string): Promise<{ key: string; tenantSlug: string; cleared: boolean }> {
    return platformDb.run(async (tx) => {
      const tenant = await this.resolve(tx, key, tenantRef);
      const where = { tenantId_flagKey: { tenantId: tenant.id, flagKey: key } };
      const before = await tx.featureFlagOverride.findUnique({ where, select: { enabled: true } });
      if (!before) return { key, tenantSlug: tenant.slug, cleared: false };
      await tx.featureFlagOverride.delete({ where });
      await this.log(tx, "admin.flag.override_cleared", key, {
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        before: { enabled: before.enabled },
        after: null,
      });
      return { key, tenantSlug: tenant.slug, cleared: true };
    });
  }
}
