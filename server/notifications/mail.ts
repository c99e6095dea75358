import "server-only";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Resend } from "resend";
import { getEnv } from "@/env";
import { logger } from "@/server/core/observability/logger";
import { stagingMailTransport } from "@/server/staging/mail-allowlist";

// The one way email leaves the app. Tenant mail goes through the message pipeline
// (server/notifications: queue → sender → channels/email.ts → this transport); only
// mail without a tenant (the apex password reset) calls sendMail directly. Resend in production
// (RESEND_BASE_URL can point the real SDK at a local stub), and in development a file drop under
// .data/mail when no key is set.

export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** e.g. { kind: "password_reset" } */
  tags?: Record<string, string>;
  /** same key on a retry → the provider delivers once (Resend keeps keys for 24 hours) */
  idempotencyKey?: string;
}

/** The provider refused the message; `statusCode` tells a lasting refusal (4xx) from a passing one. */
export class MailRejectedError extends Error {
  override readonly name = "MailRejectedError";
  constructor(
    message: string,
    readonly statusCode: number | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface MailTransport {
  readonly name: string;
  /** `provider`: who took it when not this transport's own name (staging's capture) */
  send(message: MailMessage): Promise<{ id: string; provider?: string }>;
}

class ResendTransport implements MailTransport {
  readonly name = "resend";
  private client: Resend | undefined;

  async send(message: MailMessage): Promise<{ id: string }> {
    const env = getEnv();
    this.client ??= new Resend(env.RESEND_API_KEY, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : undefined);
    const { data, error } = await this.client.emails.send(
      {
        from: env.MAIL_FROM,
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
        tags: Object.entries(message.tags ?? {}).map(([name, value]) => ({ name, value })),
      },
      message.idempotencyKey ? { idempotencyKey: message.idempotencyKey } : undefined,
    );
    if (error || !data)
      throw new MailRejectedError(
        `Resend rejected the message: ${error?.name ?? "unknown"} ${error?.message ?? ""}`.trim(),
        error?.statusCode ?? null,
        error?.name ?? null,
      );
    return { id: data.id };
  }
}

class DevFileTransport implements MailTransport {
  readonly name = "dev-file";
  async send(message: MailMessage): Promise<{ id: string }> {
    const id = `dev-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const dir = path.join(process.cwd(), ".data", "mail");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${id}.json`), JSON.stringify(message, null, 2));
    logger.info(
      { to: message.to, subject: message.subject, file: `.data/mail/${id}.json` },
      "mail written to the development drop (no RESEND_API_KEY)",
    );
    return { id };
  }
}

let override: MailTransport | undefined;
let transport: MailTransport | undefined;

export function getMailTransport(): MailTransport {
  const env = getEnv();
  if (!override && !transport) {
    if (env.RESEND_API_KEY) transport = new ResendTransport();
    else if (env.NODE_ENV === "production") throw new Error("RESEND_API_KEY is required in production");
    else transport = new DevFileTransport();
  }
  const t = (override ?? transport)!;
  // staging: only the allow-list gets real mail, everything else is captured
  return env.APP_ENV === "staging" ? stagingMailTransport(t, env.STAGING_MAIL_ALLOWLIST) : t;
}

/** Tests swap the transport to capture messages. */
export function setMailTransportForTests(t: MailTransport | undefined): void {
  override = t;
}

export async function sendMail(message: MailMessage): Promise<{ id: string; provider?: string }> {
  const t = getMailTransport();
  const result = await t.send(message);
  logger.info({ transport: t.name, kind: message.tags?.kind, providerId: result.id }, "mail sent");
  return result;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
