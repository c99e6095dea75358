// A local Sentry: receives the SDK's envelopes at /api/<project>/envelope/ and hands the events
// back at GET /events (the e2e server starts one; e2e/sentry.spec.ts reads it).
import http from "node:http";

export interface SentrySink {
  url: string;
  port: number;
  events: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The events of one envelope (a header line, then item header and payload lines). */
export function eventsOfEnvelope(envelope: string): Record<string, unknown>[] {
  const lines = envelope.split("\n").filter(Boolean);
  const out: Record<string, unknown>[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    try {
      const header = JSON.parse(lines[i]!) as { type?: string };
      if (header.type === "event") out.push(JSON.parse(lines[i + 1]!) as Record<string, unknown>);
    } catch {
      // not an event item
    }
  }
  return out;
}

export async function startSentrySink(port = 0): Promise<SentrySink> {
  const events: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/events") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(events));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST" && /^\/api\/\d+\/envelope\//.test(req.url ?? ""))
        events.push(...eventsOfEnvelope(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
