// Local stand-ins for vendors this machine cannot reach, driven by their real SDKs:
// Resend (RESEND_BASE_URL) and the Inngest event API (INNGEST_BASE_URL). They record what
// they receive and can be told to fail, for integration and e2e tests.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  tags: Record<string, string>;
  idempotencyKey: string | null;
  receivedAt: string;
}

export interface VendorStub {
  url: string;
  emails: RecordedEmail[];
  events: { name: string; data: unknown; id?: string }[];
  /** the next N email sends answer `status` (500 by default; 422 is a refusal that will not change) */
  failNextEmails(n: number, status?: number): void;
  /**
   * the next N sends to `to` answer `status` (422 by default: a refusal, the message fails at
   * once); sends to other addresses are not affected, so parallel e2e workers keep working.
   * Over HTTP: POST /__fail?to=<address>&count=<n>&status=<code>
   */
  failEmailsTo(to: string, n?: number, status?: number): void;
  /** how many email sends were answered with a failure so far */
  readonly emailFailuresServed: number;
  failNextEvents(n: number): void;
  close(): Promise<void>;
}

async function readJson(req: import("node:http").IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  return raw ? JSON.parse(raw) : null;
}

export async function startVendorStub(port = 0): Promise<VendorStub> {
  const emails: RecordedEmail[] = [];
  const events: VendorStub["events"] = [];
  let emailFailures = 0;
  let emailFailureStatus = 500;
  let emailFailuresServed = 0;
  let eventFailures = 0;
  const failuresByAddress = new Map<string, { remaining: number; status: number }>();
  const failEmailsTo = (to: string, n = 1, status = 422) => {
    failuresByAddress.set(to.toLowerCase(), { remaining: n, status });
  };
  let seq = 0;
  // ids unique across stubs (test files share one database, where provider ids are unique)
  const idBase = Math.floor(Math.random() * 1e9) * 1e4;
  // Resend answers a repeated Idempotency-Key with the first response and sends nothing
  const byIdempotencyKey = new Map<string, string>();

  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://stub");
      if (req.method === "POST" && url.pathname === "/emails") {
        const body = (await readJson(req)) as Record<string, unknown>;
        const recipients = (Array.isArray(body.to) ? body.to.map(String) : [String(body.to)]).map((a) => a.toLowerCase());
        const forAddress = recipients.map((a) => failuresByAddress.get(a)).find((f) => f && f.remaining > 0);
        if (emailFailures > 0 || forAddress) {
          if (forAddress) forAddress.remaining--;
          else emailFailures--;
          emailFailuresServed++;
          const status = forAddress ? forAddress.status : emailFailureStatus;
          const name = status === 422 ? "validation_error" : status === 429 ? "rate_limit_exceeded" : "internal_server_error";
          return send(status, { name, message: "stub failure", statusCode: status });
        }
        const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
        const replayed = idempotencyKey ? byIdempotencyKey.get(idempotencyKey) : undefined;
        if (replayed) return send(200, { id: replayed });
        const id = `stub-email-${idBase + ++seq}`;
        if (idempotencyKey) byIdempotencyKey.set(idempotencyKey, id);
        const tags = Array.isArray(body.tags) ? (body.tags as { name: string; value: string }[]) : [];
        emails.push({
          id,
          from: String(body.from),
          to: Array.isArray(body.to) ? body.to.map(String) : [String(body.to)],
          subject: String(body.subject),
          html: body.html as string | undefined,
          text: body.text as string | undefined,
          tags: Object.fromEntries(tags.map((t) => [String(t.name), String(t.value)])),
          idempotencyKey,
          receivedAt: new Date().toISOString(),
        });
        return send(200, { id });
      }
      if (req.method === "POST" && url.pathname.startsWith("/e/")) {
        const body = await readJson(req);
        if (eventFailures > 0) {
          eventFailures--;
          return send(500, { error: "stub failure" });
        }
        const list = (Array.isArray(body) ? body : [body]) as { name: string; data: unknown; id?: string }[];
        events.push(...list);
        return send(200, { ids: list.map((_, i) => `stub-event-${seq}-${i}`), status: 200 });
      }
      if (req.method === "GET" && url.pathname === "/__emails") {
        const to = url.searchParams.get("to");
        return send(200, to ? emails.filter((e) => e.to.includes(to)) : emails);
      }
      if (req.method === "GET" && url.pathname === "/__events") return send(200, events);
      if (req.method === "POST" && url.pathname === "/__fail") {
        const to = url.searchParams.get("to");
        if (!to) return send(400, { error: "to is required" });
        const count = Number(url.searchParams.get("count") ?? 1);
        const status = Number(url.searchParams.get("status") ?? 422);
        failEmailsTo(to, Number.isInteger(count) && count > 0 ? count : 1, Number.isInteger(status) ? status : 422);
        return send(200, { ok: true });
      }
      send(404, { error: "not found" });
    } catch (error) {
      send(500, { error: (error as Error).message });
    }
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    emails,
    events,
    failNextEmails: (n, status = 500) => {
      emailFailures = n;
      emailFailureStatus = status;
    },
    failEmailsTo,
    get emailFailuresServed() {
      return emailFailuresServed;
    },
    failNextEvents: (n) => {
      eventFailures = n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
