import "server-only";
import { createHash, randomInt } from "node:crypto";
import QRCode from "qrcode";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import { decryptSecret, encryptSecret, matchTotp, newTotpSecret, otpauthUri } from "@/server/auth/totp";
import { AppError } from "@/server/core/errors";
import { AuditLogger, type AuditAction } from "@/server/audit/audit-logger";
import type { Prisma } from "@/server/db/generated/client";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import type { SessionUser } from "../core/session";
import { claimEnrolmentToken, emailEnrolmentLink, enrolmentTokenValid } from "./mfa-enrolment-links.admin";
import { AUTH_FAILURE_RULE, RateLimiter, type RateLimitSlot } from "@/server/core/rate-limiter";

export const RECOVERY_CODE_COUNT = 10;
/** No 0/o, 1/l/i: codes are read off paper and typed by hand. */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export interface MfaStatus {
  enrolled: boolean;
  enrolledAt: Date | null;
  /** a secret was issued but not confirmed with a code yet */
  pending: boolean;
  /** this session passed the check */
  verified: boolean;
  recoveryCodesLeft: number;
}

export interface MfaEnrollment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

type Method = "totp" | "recovery";
type Purpose = "enroll" | "verify" | "regenerate";

/** `abcd-2345`; null when the input cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const c = input.replace(/[\s-]/g, "").toLowerCase();
  return /^[a-z0-9]{8}$/.test(c) ? `${c.slice(0, 4)}-${c.slice(4)}` : null;
}

export function hashRecoveryCode(normalized: string): string {
  return createHash("sha256").update(normalized).digest("hex");
}

function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    let s = "";
    for (let i = 0; i < 8; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    codes.add(`${s.slice(0, 4)}-${s.slice(4)}`);
  }
  return [...codes];
}

/**
 * TOTP two-factor authentication for platform admins: enrolment (secret encrypted at rest,
 * confirmed with a first code), the per-session check with a TOTP code or a single-use
 * recovery code, and recovery-code renewal. A TOTP step is accepted at most once per user
 * (totpLastStep), failures are throttled per user and every outcome is audited.
 */
export class MfaService {
  private readonly limiter: RateLimiter;
  private readonly audit: AuditLogger;

  constructor(
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {
    this.limiter = new RateLimiter(clock);
    this.audit = new AuditLogger(meta);
  }

  private bucket(user: SessionUser): string {
    return `mfa:user:${user.userId}`;
  }

  async status(user: SessionUser): Promise<MfaStatus> {
    const row = await platformDb.run(async (tx) => {
      const u = await tx.user.findUniqueOrThrow({ where: { id: user.userId }, select: { totpSecretEnc: true, totpEnabledAt: true } });
      const left = u.totpEnabledAt ? await tx.recoveryCode.count({ where: { userId: user.userId, usedAt: null } }) : 0;
      return { ...u, left };
    });
    return {
      enrolled: row.totpEnabledAt !== null,
      enrolledAt: row.totpEnabledAt,
      pending: row.totpEnabledAt === null && row.totpSecretEnc !== null,
      verified: user.mfaVerified,
      recoveryCodesLeft: row.left,
    };
  }

  /**
   * An un-enrolled admin's sign-in e-mails a one-time enrolment link to the admin's own address
   * (at most one every five minutes); enrolment is refused without it.
   */
  async requestEnrolmentLink(user: SessionUser): Promise<{ sent: boolean }> {
    if ((await this.status(user)).enrolled) throw new AppError("INVALID_STATE", "mfa.errors.alreadyEnrolled");
    return { sent: await emailEnrolmentLink(user, this.meta, this.clock) };
  }

  /** Whether the enrolment link's token is valid for this admin now (the page shows the set-up only then). */
  async enrolmentLinkValid(user: SessionUser, enrolmentToken: string): Promise<{ valid: boolean }> {
    const valid = await platformDb.run((tx) => enrolmentTokenValid(tx, user.userId, enrolmentToken, this.clock()));
    return { valid };
  }

  /** Issues a new secret (replacing one still waiting for confirmation); refused once enrolled. */
  async startEnrollment(user: SessionUser, enrolmentToken: string): Promise<MfaEnrollment> {
    const secret = newTotpSecret();
    const stored = await platformDb.run(async (tx) => {
      // no trust on first use: only the holder of the e-mailed (or server-printed) link enrols
      if (!(await enrolmentTokenValid(tx, user.userId, enrolmentToken, this.clock()))) return await this.refuseEnrolment(tx, user);
      return tx.user.updateMany({
        where: { id: user.userId, totpEnabledAt: null },
        data: { totpSecretEnc: encryptSecret(secret), totpLastStep: null },
      });
    });
    if (stored.count !== 1) throw new AppError("INVALID_STATE", "mfa.errors.alreadyEnrolled");
    const uri = otpauthUri(secret, user.email);
    const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    return { secret, otpauthUri: uri, qrSvg };
  }

  /** The first valid code turns 2FA on, issues the recovery codes (shown once) and verifies this session. */
  async confirmEnrollment(user: SessionUser, code: string, enrolmentToken: string): Promise<{ recoveryCodes: string[] }> {
    const slot = await this.consumeAttempt(user);
    const now = this.clock();
    const recoveryCodes = newRecoveryCodes();
    const outcome = await this.inAttempt(slot, async (tx) => {
      const u = await tx.user.findUniqueOrThrow({ where: { id: user.userId }, select: { totpSecretEnc: true, totpEnabledAt: true } });
      if (u.totpEnabledAt) throw new AppError("INVALID_STATE", "mfa.errors.alreadyEnrolled");
      if (!u.totpSecretEnc) throw new AppError("INVALID_STATE", "mfa.errors.noPendingEnrollment");
      if (!(await enrolmentTokenValid(tx, user.userId, enrolmentToken, now))) await this.refuseEnrolment(tx, user);
      const step = matchTotp(decryptSecret(u.totpSecretEnc), code, now);
      if (step === null) return "invalid" as const;
      // the link is used up only by the enrolment it completes (a wrong code leaves it valid)
      if (!(await claimEnrolmentToken(tx, user.userId, enrolmentToken, now))) throw new AppError("CONFLICT", "errors.conflict");
      // the secret the code was checked against, still pending: a concurrent start or confirm loses
      const enabled = await tx.user.updateMany({
        where: { id: user.userId, totpEnabledAt: null, totpSecretEnc: u.totpSecretEnc },
        data: { totpEnabledAt: now, totpLastStep: step },
      });
      if (enabled.count !== 1) throw new AppError("CONFLICT", "errors.conflict");
      await this.replaceRecoveryCodes(tx, user.userId, recoveryCodes);
      await this.markSessionVerified(tx, user, now);
      await this.auditSelf(tx, user, "admin.mfa.enrolled", { recoveryCodes: RECOVERY_CODE_COUNT });
      return "ok" as const;
    });
    await this.settle(slot, user, "totp", "enroll", outcome);
    return { recoveryCodes };
  }

  /** The per-session check: a TOTP code for an unused step, or an unused recovery code. */
  async verify(user: SessionUser, code: string): Promise<{ method: Method }> {
    const slot = await this.consumeAttempt(user);
    const now = this.clock();
    const input = code.replace(/\s+/g, "");
    const method: Method = /^\d{6}$/.test(input) ? "totp" : "recovery";
    const outcome = await this.inAttempt(slot, async (tx) => {
      const secretEnc = await this.enrolledSecret(tx, user.userId);
      const result =
        method === "totp"
          ? await this.claimTotp(tx, user.userId, secretEnc, input, now)
          : await this.claimRecovery(tx, user.userId, input, now);
      if (result !== "ok") return result;
      await this.markSessionVerified(tx, user, now);
      await this.auditSelf(tx, user, "admin.mfa.verified", { method });
      return "ok" as const;
    });
    await this.settle(slot, user, method, "verify", outcome);
    return { method };
  }

  /** New recovery codes for a verified admin, confirmed with a fresh TOTP code; the old ones stop working. */
  async regenerateRecoveryCodes(user: SessionUser, code: string): Promise<{ recoveryCodes: string[] }> {
    if (!user.mfaVerified) throw new AppError("FORBIDDEN", "errors.mfaRequired");
    const slot = await this.consumeAttempt(user);
    const now = this.clock();
    const recoveryCodes = newRecoveryCodes();
    const outcome = await this.inAttempt(slot, async (tx) => {
      const secretEnc = await this.enrolledSecret(tx, user.userId);
      const result = await this.claimTotp(tx, user.userId, secretEnc, code.replace(/\s+/g, ""), now);
      if (result !== "ok") return result;
      await this.replaceRecoveryCodes(tx, user.userId, recoveryCodes);
      await this.auditSelf(tx, user, "admin.mfa.recovery_codes_regenerated", { recoveryCodes: RECOVERY_CODE_COUNT });
      return "ok" as const;
    });
    await this.settle(slot, user, "totp", "regenerate", outcome);
    return { recoveryCodes };
  }

  /**
   * Accepts a code only for a step later than the last accepted one. The conditional update is
   * the claim: of two concurrent requests with the same code, one updates the row, the other
   * finds the condition false once the first commits.
   */
  private async claimTotp(tx: DbTx, userId: string, secretEnc: string, code: string, now: Date): Promise<"ok" | "invalid" | "replay"> {
    const step = matchTotp(decryptSecret(secretEnc), code, now);
    if (step === null) return "invalid";
    const claimed = await tx.user.updateMany({
      where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return claimed.count === 1 ? "ok" : "replay";
  }

  /** Single use: the row is claimed atomically (a second use finds `usedAt` set). */
  private async claimRecovery(tx: DbTx, userId: string, code: string, now: Date): Promise<"ok" | "invalid"> {
    const normalized = normalizeRecoveryCode(code);
    if (!normalized) return "invalid";
    const claimed = await tx.recoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(normalized), usedAt: null },
      data: { usedAt: now },
    });
    return claimed.count === 1 ? "ok" : "invalid";
  }

  private async replaceRecoveryCodes(tx: DbTx, userId: string, codes: readonly string[]): Promise<void> {
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
  }

  private async markSessionVerified(tx: DbTx, user: SessionUser, now: Date): Promise<void> {
    const updated = await tx.userSession.updateMany({
      where: { id: user.sessionId, userId: user.userId, revokedAt: null },
      data: { mfaVerifiedAt: now },
    });
    if (updated.count !== 1) throw new AppError("UNAUTHORIZED", "errors.unauthorized");
  }

  /**
   * Takes a slot of the per-user throttle BEFORE a code is checked, so parallel guesses get at
   * most the limit; refuses when there is none left.
   */
  private async consumeAttempt(user: SessionUser): Promise<RateLimitSlot> {
    const slot = await this.limiter.consume([this.bucket(user)], AUTH_FAILURE_RULE);
    if (slot.limited) {
      throw new AppError(
        "TOO_MANY_REQUESTS",
        "errors.tooManyRequestsRetry",
        { minutes: Math.ceil(slot.retryAfterSeconds / 60) },
        { retryAfterSeconds: slot.retryAfterSeconds },
      );
    }
    return slot;
  }

  /** Runs an attempt's transaction; one that ends in an error (not enrolled, session gone…) was no guess: its slot is given back. */
  private inAttempt<T>(slot: RateLimitSlot, fn: (tx: DbTx) => Promise<T>): Promise<T> {
    return platformDb.run(fn).catch(async (error: unknown) => {
      await this.limiter.refund(slot);
      throw error;
    });
  }

  /** A right code gives its own slot back (earlier failures still count); a wrong one keeps it and fails. */
  private async settle(slot: RateLimitSlot, user: SessionUser, method: Method, purpose: Purpose, outcome: "ok" | "invalid" | "replay") {
    if (outcome === "ok") await this.limiter.refund(slot);
    else await this.failed(user, method, purpose, outcome);
  }

  /**
   * Counts the failure against the per-user throttle and audits it (outside the attempt's
   * transaction, so nothing rolls them back), then refuses. A success does not reset the count:
   * a stolen password must not buy more guesses by waiting for the owner to sign in.
   */
  /** An admin acting on their own 2FA: actor and target are the same user; a platform-level event. */
  private auditSelf(tx: DbTx, user: SessionUser, action: AuditAction, metadata: Prisma.InputJsonObject): Promise<void> {
    return this.audit.log(tx, null, {
      action,
      actorUserId: user.userId,
      actorEmail: user.email,
      targetType: "user",
      targetId: user.userId,
      metadata,
    });
  }

  /** Enrolment without a valid link: refused (FORBIDDEN). An already enrolled admin hears that instead. */
  private async refuseEnrolment(tx: DbTx, user: SessionUser): Promise<never> {
    const u = await tx.user.findUniqueOrThrow({ where: { id: user.userId }, select: { totpEnabledAt: true } });
    if (u.totpEnabledAt) throw new AppError("INVALID_STATE", "mfa.errors.alreadyEnrolled");
    throw new AppError("FORBIDDEN", "mfa.errors.enrolmentLinkRequired");
  }

  /** The encrypted secret of an enrolled admin; INVALID_STATE before enrolment. */
  private async enrolledSecret(tx: DbTx, userId: string): Promise<string> {
    const u = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { totpSecretEnc: true, totpEnabledAt: true } });
    if (!u.totpEnabledAt || !u.totpSecretEnc) throw new AppError("INVALID_STATE", "mfa.errors.notEnrolled");
    return u.totpSecretEnc;
  }

  private async failed(user: SessionUser, method: Method, purpose: Purpose, reason: "invalid" | "replay"): Promise<never> {
    await platformDb.run((tx) => this.auditSelf(tx, user, "admin.mfa.failed", { method, purpose, reason }));
    throw new AppError("VALIDATION", "mfa.errors.invalidCode");
  }
}
