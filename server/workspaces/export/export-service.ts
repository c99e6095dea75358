import "server-only";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import yazl from "yazl";
import pkg from "@/package.json";
import { AppError } from "@/server/core/errors";
import type { TenantContext } from "@/server/core/tenant-context";
import { logger } from "@/server/core/observability/logger";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { DbTx } from "@/server/db/tenant-db";
import { readStoredFile } from "@/server/files/storage";
import { dayIn } from "@/lib/dates";
import { EXPORT_FORMAT, EXPORT_VERSION, README, type ExportEntity, type ExportFile, type ExportManifest } from "./format";
import { columnType, quoteIdent, tenantTables, type TenantTable } from "./tables";

// "Export my data" (/settings, owners only): every row of every table with a tenantId and every
// uploaded file of the workspace, streamed into a zip (format.ts). One READ ONLY, REPEATABLE READ
// transaction gives one snapshot; each table is read in keyset batches on its primary key, and
// each batch is written to the zip before the next is read, so memory stays flat whatever the size.

export const EXPORT_BATCH_ROWS = 500;
const ZIP_TIME = new Date(Date.UTC(2020, 0, 1));

export interface ExportOptions {
  /** rows per keyset read (tests use a small one) */
  batchSize?: number;
  /** called with the row count of each batch read (tests prove memory stays flat) */
  onBatch?: (table: string, rows: number) => void;
  /** the snapshot's clock */
  now?: () => Date;
}

/** Set when the download is closed before the zip ended (the client went away): the export stops and its transaction ends. */
class Closed {
  aborted = false;
  readonly wait: Promise<void>;
  constructor(output: Readable) {
    this.wait = new Promise((resolve) =>
      output.once("close", () => {
        this.aborted = true;
        resolve();
      }),
    );
  }
  async until(event: Promise<unknown>): Promise<void> {
    await Promise.race([event, this.wait]);
    if (this.aborted) throw new Error("the download was closed before the export ended");
  }
}

class Hashed {
  private readonly hash = createHash("sha256");
  rows = 0;
  bytes = 0;
  constructor(
    readonly stream: PassThrough,
    private readonly closed: Closed,
  ) {}
  async write(chunk: string | Buffer, rows: number): Promise<void> {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    this.hash.update(buf);
    this.bytes += buf.length;
    this.rows += rows;
    if (!this.stream.write(buf)) await this.closed.until(once(this.stream, "drain"));
  }
  async end(): Promise<string> {
    const done = once(this.stream, "end");
    this.stream.end();
    await this.closed.until(done);
    return this.hash.digest("hex");
  }
}

export class WorkspaceExportService {
  constructor(private readonly ctx: TenantContext) {}

  /** Owners only: the export holds every private file and every member's e-mail. */
  assertOwner(): void {
    if (this.ctx.roleKey !== "owner") throw new AppError("FORBIDDEN", "workspaceExport.errors.ownerOnly");
  }

  async export(opts: ExportOptions = {}): Promise<{ filename: string; stream: ReadableStream<Uint8Array>; done: Promise<ExportManifest> }> {
    this.assertOwner();
    const now = (opts.now ?? (() => new Date()))();
    await this.ctx.db.run((tx) =>
      tenantAudit(this.ctx).log(tx, {
        action: "tenant.exported",
        targetType: "tenant",
        targetId: this.ctx.tenantId,
        metadata: { at: now.toISOString() },
      }),
    );
    const zip = new yazl.ZipFile();
    const done = this.fill(zip, now, opts).catch((error: unknown) => {
      // the 200 and part of the zip may be sent: the download ends broken (its central directory is missing)
      logger.error({ err: error, tenant: this.ctx.tenant.slug, requestId: this.ctx.meta.requestId }, "workspace export failed mid-stream");
      (zip.outputStream as Readable).destroy(error as Error);
      throw error;
    });
    done.catch(() => undefined);
    return {
      filename: `phteah-${this.ctx.tenant.slug}-${dayIn(now, this.ctx.tenant.timezone)}.zip`,
      stream: Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>,
      done,
    };
  }

  private entry(zip: yazl.ZipFile, path: string, closed: Closed): Hashed {
    const stream = new PassThrough({ highWaterMark: 64 * 1024 });
    zip.addReadStream(stream, path, { mtime: ZIP_TIME, mode: 0o100644 });
    return new Hashed(stream, closed);
  }

  private async fill(zip: yazl.ZipFile, now: Date, opts: ExportOptions): Promise<ExportManifest> {
    const closed = new Closed(zip.outputStream as Readable);
    const batch = opts.batchSize ?? EXPORT_BATCH_ROWS;
    zip.addBuffer(Buffer.from(README, "utf8"), "README.md", { mtime: ZIP_TIME, mode: 0o100644 });
    const manifest = await this.ctx.db.run(
      async (tx) => {
        await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
        const migrationHead = await tx
          .$queryRawUnsafe<{ name: string }[]>(
            `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1`,
          )
          .then((r) => r[0]?.name ?? null)
          .catch(() => null);
        const tables = await tenantTables(tx);

        const settingsOut = this.entry(zip, "workspace.json", closed);
        const [tenantRow] = await tx.$queryRawUnsafe<{ j: string; name: string }[]>(
          `SELECT row_to_json(t)::text AS j, t.name FROM "Tenant" t WHERE t.id = $1::uuid`,
          this.ctx.tenantId,
        );
        await settingsOut.write(`${tenantRow!.j}\n`, 1);
        const settings: ExportEntity = {
          name: "Tenant",
          path: "workspace.json",
          columns: [],
          primaryKey: ["id"],
          rows: 1,
          bytes: settingsOut.bytes,
          sha256: await settingsOut.end(),
        };

        const usersOut = this.entry(zip, "users.jsonl", closed);
        const users = await tx.$queryRawUnsafe<{ j: string }[]>(
          `SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'locale', u.locale)::text AS j
             FROM "User" u WHERE u.id IN (SELECT m."userId" FROM "Membership" m WHERE m."tenantId" = $1::uuid) ORDER BY u.id`,
          this.ctx.tenantId,
        );
        await usersOut.write(users.map((u) => `${u.j}\n`).join(""), users.length);
        const usersEntity: ExportEntity = {
          name: "User",
          path: "users.jsonl",
          columns: ["id", "email", "name", "locale"],
          primaryKey: ["id"],
          rows: usersOut.rows,
          bytes: usersOut.bytes,
          sha256: await usersOut.end(),
        };

        const plans = await tx.$queryRawUnsafe<{ id: string; code: string }[]>(`SELECT id::text AS id, code FROM "Plan" ORDER BY code`);
        const entities: ExportEntity[] = [];
        for (const t of tables) {
          const out = this.entry(zip, `data/${t.name}.jsonl`, closed);
          for await (const rows of this.batches(tx, t, batch)) {
            opts.onBatch?.(t.name, rows.length);
            await out.write(rows.map((r) => `${r.j}\n`).join(""), rows.length);
          }
          entities.push({
            name: t.name,
            path: `data/${t.name}.jsonl`,
            columns: t.columns.map((c) => c.name),
            primaryKey: t.primaryKey,
            rows: out.rows,
            bytes: out.bytes,
            sha256: await out.end(),
          });
        }

        // the files the File rows of this snapshot name, one at a time
        const files: ExportFile[] = [];
        const missingFiles: string[] = [];
        const fileTable = tables.find((t) => t.name === "File");
        if (fileTable) {
          for await (const rows of this.batches(tx, fileTable, batch)) {
            for (const { j } of rows) {
              const f = JSON.parse(j) as { id: string; storageKey: string; visibility: string };
              const bytes = await readStoredFile(f.storageKey);
              if (!bytes) {
                missingFiles.push(f.id);
                continue;
              }
              const out = this.entry(zip, `files/${f.id}`, closed);
              await out.write(bytes, 0);
              files.push({ id: f.id, visibility: f.visibility, bytes: out.bytes, sha256: await out.end() });
            }
          }
        }
        const m: ExportManifest = {
          format: EXPORT_FORMAT,
          version: EXPORT_VERSION,
          createdAt: now.toISOString(),
          app: { name: pkg.name, version: pkg.version },
          migrationHead,
          workspace: { id: this.ctx.tenantId, slug: this.ctx.tenant.slug, name: tenantRow!.name },
          entities,
          users: usersEntity,
          settings,
          plans,
          files,
          missingFiles,
          totals: {
            entities: entities.length,
            rows: entities.reduce((n, e) => n + e.rows, 0),
            files: files.length,
            fileBytes: files.reduce((n, f) => n + f.bytes, 0),
          },
        };
        return m;
      },
      { isolationLevel: "RepeatableRead", timeout: 60 * 60_000 },
    );
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2), "utf8"), "manifest.json", { mtime: ZIP_TIME, mode: 0o100644 });
    zip.end();
    return manifest;
  }

  /** The table's rows of this workspace, `size` at a time, on its primary key: WHERE (pk) > (last) ORDER BY pk LIMIT size. */
  private async *batches(tx: DbTx, t: TenantTable, size: number): AsyncGenerator<{ j: string }[]> {
    const pk = t.primaryKey;
    const cols = pk.map((c) => `t.${quoteIdent(c)}`).join(", ");
    const keys = pk.map((c, i) => `t.${quoteIdent(c)}::text AS "k${i}"`).join(", ");
    let last: string[] | null = null;
    for (;;) {
      const params: unknown[] = [this.ctx.tenantId, size];
      let after = "";
      if (last) {
        const values = last.map((v, i) => {
          params.push(v);
          return `$${params.length}::${columnType(t, pk[i]!)}`;
        });
        after = ` AND (${cols}) > (${values.join(", ")})`;
      }
      const rows = await tx.$queryRawUnsafe<({ j: string } & Record<string, string>)[]>(
        `SELECT row_to_json(t)::text AS j, ${keys} FROM ${quoteIdent(t.name)} t WHERE t."tenantId" = $1::uuid${after} ORDER BY ${cols} LIMIT $2`,
        ...params,
      );
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < size) return;
      const tail = rows[rows.length - 1]!;
      last = pk.map((_, i) => tail[`k${i}`]!);
    }
  }
}
