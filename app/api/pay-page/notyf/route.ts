import { readFile } from "node:fs/promises";
import path from "node:path";

// Notyf (the app's toasts) for the renter pay page, which has no bundle: its script and its styles in
// one file, loaded by the page's script the first time it shows a toast (server/pay-page/runtime.ts).
// Read from the installed package (a dependency), so it is never a stale copy; the same on every host.
export const dynamic = "force-static";

let body: Promise<string> | undefined;

function notyf(): Promise<string> {
  body ??= (async () => {
    const dir = path.join(process.cwd(), "node_modules", "notyf");
    const [js, css] = await Promise.all([
      readFile(path.join(dir, "notyf.min.js"), "utf8"),
      readFile(path.join(dir, "notyf.min.css"), "utf8"),
    ]);
    const style = `(function(){var s=document.createElement("style");s.textContent=${JSON.stringify(css).replace(/</g, "\\u003c")};document.head.appendChild(s)})();`;
    return `${js}\n${style}\nwindow.Notyf=Notyf;\n`;
  })().catch((error: unknown) => {
    body = undefined;
    throw error;
  });
  return body;
}

export async function GET(): Promise<Response> {
  return new Response(await notyf(), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
}
