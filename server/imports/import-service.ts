import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { isAppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import { renterInputSchema } from "@/lib/schemas/renters";
import { RENT_CURRENCIES, unitInputSchema, type RentCurrency } from "@/lib/schemas/properties";
import { isImportable, type ImportCommitResult, type ImportPreview, type ImportPreviewRow } from "@/lib/schemas/imports";
import { formatMoney, parseMoney } from "@/lib/money";
import { PlanGate } from "../subscriptions/plan-gate";
import { RenterService } from "../renters/renter-service";
import type { TenantContext } from "../core/tenant-context";
import {
  finish,
  readSheet,
  RENTER_FIELD_COLUMNS,
  UNIT_FIELD_COLUMNS,
  zodIssues,
  type Checked,
  type ValidRenter,
  type ValidUnit,
} from "./import-sheet";

/**
 * CSV import of renters and units. `preview*` checks every row against the same rules as the
 * forms and the current data (duplicates in the file and in the workspace, the property named by
 * a unit row, the plan's unit limit) and writes nothing. `commit*` runs the same checks again
 * inside ONE transaction that holds the renter/unit write locks, and imports every row or none:
 * any problem → nothing is written and the fresh preview comes back.
 */
export class ImportService {
  constructor(private readonly ctx: TenantContext) {}

  // ───────── renters ─────────

  async previewRenters(csv: string): Promise<ImportPreview> {
    return this.ctx.db.run(async (tx) => (await this.checkRenters(tx, csv)).preview);
  }

  async commitRenters(csv: string): Promise<ImportCommitResult> {
    return this.ctx.db.run(async (tx) => {
      await RenterService.lockRenters(tx, this.ctx.tenantId);
      const { preview, valid } = await this.checkRenters(tx, csv);
      if (!isImportable(preview)) return { status: "invalid", preview };
      const created = await tx.renter.createManyAndReturn({
        data: valid.map((r) => ({ tenantId: this.ctx.tenantId, ...r.data })),
        select: { id: true },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "renter.imported",
        targetType: "Renter",
        metadata: { after: { count: created.length, renterIds: created.map((r) => r.id) } },
      });
      return { status: "imported", kind: "renters", count: created.length };
    });
  }

  private async checkRenters(tx: DbTx, csv: string): Promise<Checked<ValidRenter>> {
    const sheet = readSheet("renters", csv);
    const rows: ImportPreviewRow[] = [];
    const candidates: ValidRenter[] = [];
    for (const row of sheet.rows) {
      const c = row.cells;
      const issues = [...row.issues];
      const parsed = renterInputSchema.safeParse({
        nameKm: c.name_km ?? "",
        nameLatin: c.name_latin ?? "",
        phone: c.phone ?? "",
        email: c.email || null,
        telegram: c.telegram || null,
        emergencyName: c.emergency_name || null,
        emergencyPhone: c.emergency_phone || null,
        notes: c.notes ?? "",
        locale: (c.locale || "km").toLowerCase(),
      });
      if (!parsed.success) {
        issues.push(...zodIssues(row.line, parsed.error, RENTER_FIELD_COLUMNS));
        // a name in neither script, even when the zod refinement did not run because of other problems
        if (!c.name_km && !c.name_latin && !issues.some((i) => i.key === "renters.errors.nameRequired")) {
          issues.push({ line: row.line, column: "name_latin", key: "renters.errors.nameRequired" });
        }
      }
      const values: Record<string, string> = parsed.success
        ? {
            name_km: parsed.data.nameKm,
            name_latin: parsed.data.nameLatin,
            phone: parsed.data.phone,
            email: parsed.data.email ?? "",
            telegram: parsed.data.telegram ?? "",
            emergency_name: parsed.data.emergencyName ?? "",
            emergency_phone: parsed.data.emergencyPhone ?? "",
            notes: parsed.data.notes,
            locale: parsed.data.locale,
          }
        : { ...c };
      rows.push({ line: row.line, values, issues });
      if (parsed.success && issues.length === 0) candidates.push({ line: row.line, data: parsed.data });
    }

    // the same phone twice in the file, or on a current renter of the workspace
    const firstLineOfPhone = new Map<string, number>();
    const phones = [...new Set(candidates.map((r) => r.data.phone))];
    const existing = phones.length
      ? await tx.renter.findMany({
          where: { phone: { in: phones }, archivedAt: null },
          select: { phone: true, nameLatin: true, nameKm: true },
        })
      : [];
    const existingByPhone = new Map(existing.map((r) => [r.phone, r.nameLatin || r.nameKm]));
    const valid: ValidRenter[] = [];
    for (const r of candidates) {
      const row = rows.find((x) => x.line === r.line)!;
      const first = firstLineOfPhone.get(r.data.phone);
      if (first !== undefined) {
        row.issues.push({ line: r.line, column: "phone", key: "imports.errors.duplicatePhoneInFile", params: { line: first } });
        continue;
      }
      firstLineOfPhone.set(r.data.phone, r.line);
      const owner = existingByPhone.get(r.data.phone);
      if (owner !== undefined) {
        row.issues.push({ line: r.line, column: "phone", key: "renters.errors.phoneTaken", params: { name: owner } });
        continue;
      }
      valid.push(r);
    }
    return finish("renters", sheet, rows, valid);
  }

  // ───────── units ─────────

  async previewUnits(csv: string): Promise<ImportPreview> {
    return this.ctx.db.run(async (tx) => (await this.checkUnits(tx, csv)).preview);
  }

  async commitUnits(csv: string): Promise<ImportCommitResult> {
    return this.ctx.db.run(async (tx) => {
      // the same lock as UnitService.create: the plan's unit limit cannot be raced
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`units:${this.ctx.tenantId}`}, 0))`;
      const { preview, valid } = await this.checkUnits(tx, csv);
      if (!isImportable(preview)) return { status: "invalid", preview };
      await new PlanGate(this.ctx).assertWithinLimit(tx, "units", valid.length);
      const created = await tx.unit.createManyAndReturn({
        data: valid.map((u) => ({ tenantId: this.ctx.tenantId, ...u.data })),
        select: { id: true },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "unit.imported",
        targetType: "Unit",
        metadata: { after: { count: created.length, unitIds: created.map((u) => u.id) } },
      });
      return { status: "imported", kind: "units", count: created.length };
    });
  }

  private async checkUnits(tx: DbTx, csv: string): Promise<Checked<ValidUnit>> {
    const sheet = readSheet("units", csv);
    const names = [...new Set(sheet.rows.map((r) => r.cells.property ?? "").filter(Boolean))];
    const properties = names.length
      ? await tx.property.findMany({
          where: { OR: names.map((n) => ({ name: { equals: n, mode: "insensitive" as const } })) },
          select: { id: true, name: true, archivedAt: true },
        })
      : [];
    const propertyByName = new Map(properties.map((p) => [p.name.toLowerCase(), p]));
    const propertyIds = properties.filter((p) => !p.archivedAt).map((p) => p.id);
    const existingUnits = propertyIds.length
      ? await tx.unit.findMany({ where: { propertyId: { in: propertyIds } }, select: { propertyId: true, code: true } })
      : [];
    const taken = new Set(existingUnits.map((u) => `${u.propertyId}:${u.code.toLowerCase()}`));
    const firstLineOfCode = new Map<string, number>();

    const rows: ImportPreviewRow[] = [];
    const valid: ValidUnit[] = [];
    for (const row of sheet.rows) {
      const c = row.cells;
      const issues = [...row.issues];
      const name = c.property ?? "";
      const property = name ? propertyByName.get(name.toLowerCase()) : undefined;
      if (!name) issues.push({ line: row.line, column: "property", key: "validation.required" });
      else if (!property) issues.push({ line: row.line, column: "property", key: "imports.errors.propertyNotFound", params: { name } });
      else if (property.archivedAt)
        issues.push({ line: row.line, column: "property", key: "imports.errors.propertyArchived", params: { name: property.name } });

      const currencyRaw = (c.currency || "USD").toUpperCase();
      const currency = (RENT_CURRENCIES as readonly string[]).includes(currencyRaw) ? (currencyRaw as RentCurrency) : null;
      if (!currency)
        issues.push({ line: row.line, column: "currency", key: "imports.errors.currency", params: { value: c.currency ?? "" } });
      const floorRaw = c.floor ?? "";
      const floor = floorRaw === "" ? null : /^-?\d+$/.test(floorRaw) ? Number(floorRaw) : NaN;
      if (Number.isNaN(floor))
        issues.push({ line: row.line, column: "floor", key: "imports.errors.notAWholeNumber", params: { value: floorRaw } });
      const sizeRaw = (c.size_sqm ?? "").replace(",", ".");
      const sizeSqm = sizeRaw === "" ? null : /^\d+(\.\d+)?$/.test(sizeRaw) ? Number(sizeRaw) : NaN;
      if (Number.isNaN(sizeSqm)) issues.push({ line: row.line, column: "size_sqm", key: "properties.errors.positive" });
      const rentRaw = c.base_rent ?? "";
      const baseRent = currency && rentRaw !== "" ? parseMoney(rentRaw, currency) : null;
      if (rentRaw === "") issues.push({ line: row.line, column: "base_rent", key: "validation.required" });
      else if (currency && baseRent === null) issues.push({ line: row.line, column: "base_rent", key: "properties.errors.rentInvalid" });
      const status = (c.status || "vacant").toLowerCase();

      let data: ValidUnit["data"] | null = null;
      if (issues.length === 0) {
        const parsed = unitInputSchema.safeParse({ code: c.code ?? "", floor, sizeSqm, baseRent, currency, status });
        if (!parsed.success) {
          issues.push(
            ...zodIssues(row.line, parsed.error, UNIT_FIELD_COLUMNS).map((i) =>
              i.column === "status" ? { ...i, key: "imports.errors.unitStatus" as const, params: { value: status } } : i,
            ),
          );
        } else if (property) {
          data = { propertyId: property.id, ...parsed.data };
        }
      } else if (!(c.code ?? "")) {
        issues.push({ line: row.line, column: "code", key: "validation.required" });
      }

      if (data && property) {
        const key = `${property.id}:${data.code.toLowerCase()}`;
        const first = firstLineOfCode.get(key);
        if (first !== undefined)
          issues.push({
            line: row.line,
            column: "code",
            key: "imports.errors.duplicateCodeInFile",
            params: { code: data.code, line: first },
          });
        else if (taken.has(key))
          issues.push({ line: row.line, column: "code", key: "properties.errors.codeTaken", params: { code: data.code } });
        firstLineOfCode.set(key, first ?? row.line);
      }

      const values: Record<string, string> = data
        ? {
            property: property!.name,
            code: data.code,
            floor: data.floor === null ? "" : String(data.floor),
            size_sqm: data.sizeSqm === null ? "" : String(data.sizeSqm),
            base_rent: formatMoney(data.baseRent, data.currency, "en"),
            currency: data.currency,
            status: data.status,
          }
        : { ...c };
      rows.push({ line: row.line, values, issues });
      if (data && issues.length === 0) valid.push({ line: row.line, data });
    }

    const checked = finish("units", sheet, rows, valid);
    // the plan's unit limit, as a problem of the file (commit asks PlanGate again under the lock)
    if (valid.length > 0 && checked.preview.invalidCount === 0) {
      try {
        await new PlanGate(this.ctx).assertWithinLimit(tx, "units", valid.length);
      } catch (e) {
        if (!isAppError(e) || e.code !== "LIMIT_EXCEEDED") throw e;
        checked.preview.fileIssues.push({ line: null, column: null, key: e.key, params: e.params });
      }
    }
    return checked;
  }
}
