import "server-only";
import { randomBytes } from "node:crypto";

// Ids for rows written by hand-built multi-row statements (the monthly run's chunks): the same
// format as the ids Prisma makes (@default(uuid(7)), generated in the client, not by PostgreSQL),
// so they sort by time like every other row's, with a counter keeping one process's ids in order
// within a millisecond.

let lastMs = 0;
let seq = 0;

/** A UUIDv7: 48 bits of Unix ms, version 7, a 12-bit counter within the ms, variant, 62 random bits. */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = randomBytes(2).readUInt16BE(0) & 0x7ff;
  } else {
    seq += 1;
    if (seq > 0xfff) {
      lastMs += 1;
      seq = 0;
    }
  }
  const b = randomBytes(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
