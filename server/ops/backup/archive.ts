// The backup archive (docs/OPERATIONS.md, "Backups"): a gzip'd tar holding
//   manifest.json            what is inside and how to check it (see BackupManifest)
//   db/<table>.copy          one file per table, PostgreSQL COPY text format, rows in primary-key order
//   files/<key>              every uploaded file under FILE_STORAGE_DIR, by its storage key
// A plain archive is readable with `tar -tzf`. With BACKUP_ENCRYPTION_KEY set, the whole tar.gz is
// sealed with AES-256-GCM: MAGIC, a 16-byte scrypt salt, a 12-byte IV, the ciphertext, the 16-byte tag.
// The tag covers every byte, so a damaged or truncated encrypted archive is refused before any use.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync, createHash } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export const ARCHIVE_FORMAT = "phteah-backup";
export const ARCHIVE_VERSION = 1;
const MAGIC = Buffer.from("PHTEAH-BACKUP-AES256GCM-1\n");
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TableEntry {
  /** table name in the app's schema */
  name: string;
  /** columns in COPY order */
  columns: string[];
  /** primary-key columns: the rows' order in the file */
  primaryKey: string[];
  rows: number;
  bytes: number;
  /** sha256 (hex) of the COPY text */
  sha256: string;
}

export interface FileEntry {
  /** storage key, relative to FILE_STORAGE_DIR, with forward slashes */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  createdAt: string;
  app: { name: string; version: string; commit: string | null };
  server: { version: string };
  /** migrations applied when the snapshot was taken, oldest first, with Prisma's checksums */
  migrations: { name: string; checksum: string }[];
  tables: TableEntry[];
  files: FileEntry[];
  totals: { tables: number; rows: number; tableBytes: number; files: number; fileBytes: number };
  /** true when the archive is sealed (the manifest inside is the same either way) */
  encrypted: boolean;
}

/** A clear, operator-facing failure: the CLI prints the message and exits non-zero. */
export class BackupError extends Error {
  override name = "BackupError";
}

/** The key for BACKUP_ENCRYPTION_KEY: any passphrase of at least 16 characters, stretched with scrypt. */
export function encryptionKeyFrom(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env.BACKUP_ENCRYPTION_KEY?.trim();
  if (!raw) return null;
  if (raw.length < 16) throw new BackupError("BACKUP_ENCRYPTION_KEY must be at least 16 characters (a long random passphrase).");
  return raw;
}

const deriveKey = (passphrase: string, salt: Buffer) =>
  scryptSync(passphrase, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });

/** A pass-through that hashes (sha256) and counts what flows through it. */
export class Digest extends Transform {
  private readonly hash = createHash("sha256");
  bytes = 0;
  newlines = 0;
  constructor(private readonly countLines = false) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, c?: Buffer) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.countLines) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines++;
    done(null, chunk);
  }
  hex(): string {
    return this.hash.digest("hex");
  }
}

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const d = new Digest();
  await pipeline(createReadStream(file), d, drain);
  return { sha256: d.hex(), bytes: d.bytes };
}

/** Seals `plainFile` (a tar.gz) into `out` with the passphrase. */
export async function sealFile(plainFile: string, out: string, passphrase: string): Promise<void> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(passphrase, salt), iv);
  await pipeline(
    createReadStream(plainFile),
    cipher,
    async function* (ciphertext: AsyncIterable<Buffer>) {
      yield Buffer.concat([MAGIC, salt, iv]);
      for await (const chunk of ciphertext) yield chunk;
      yield cipher.getAuthTag(); // the cipher has flushed once its output ended
    },
    createWriteStream(out),
  );
}

/** Whether the file starts like a sealed archive. */
export async function isSealed(file: string): Promise<boolean> {
  const fh = await fs.open(file, "r");
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await fh.read(head, 0, MAGIC.length, 0);
    return bytesRead === MAGIC.length && head.equals(MAGIC);
  } finally {
    await fh.close();
  }
}

/** Opens a sealed archive into `plainOut`; refuses a wrong key, a damaged or a truncated file. */
export async function unsealFile(file: string, plainOut: string, passphrase: string | null): Promise<void> {
  if (!passphrase) throw new BackupError("The archive is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was written with.");
  const { size } = await fs.stat(file);
  const bodyStart = MAGIC.length + SALT_BYTES + IV_BYTES;
  if (size < bodyStart + TAG_BYTES) throw new BackupError("The archive is truncated (shorter than its header).");
  const fh = await fs.open(file, "r");
  const header = Buffer.alloc(bodyStart);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await fh.read(header, 0, bodyStart, 0);
    await fh.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await fh.close();
  }
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const iv = header.subarray(MAGIC.length + SALT_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(passphrase, salt), iv);
  decipher.setAuthTag(tag);
  try {
    await pipeline(createReadStream(file, { start: bodyStart, end: size - TAG_BYTES - 1 }), decipher, createWriteStream(plainOut));
  } catch {
    await fs.rm(plainOut, { force: true });
    throw new BackupError("The archive is damaged, truncated, or was sealed with another key (authentication failed).");
  }
}

/** Drains a stream into nothing (the end of a hashing pipeline). */
export async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) void _;
}

export function parseManifest(text: string): BackupManifest {
  let m: BackupManifest;
  try {
    m = JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError("The archive's manifest.json is not valid JSON.");
  }
  if (m.format !== ARCHIVE_FORMAT) throw new BackupError(`Not a Phteah backup (format ${JSON.stringify(m.format)}).`);
  if (m.version !== ARCHIVE_VERSION)
    throw new BackupError(`Backup format version ${m.version} is not supported (this release reads ${ARCHIVE_VERSION}).`);
  if (!Array.isArray(m.tables) || !Array.isArray(m.files) || !Array.isArray(m.migrations))
    throw new BackupError("The archive's manifest is incomplete.");
  return m;
}
