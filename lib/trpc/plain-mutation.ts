/** The server's safe, translated refusal of a mutation (server/api/trpc.ts errorFormatter); "" when there is none (the network). */
export class MutationRefused extends Error {}

/**
 * A tRPC mutation without input, sent as the app's tRPC client sends one (a POST of JSON to
 * /api/trpc/<path> on this origin: app/api/trpc/[trpc]/route.ts), for the screens that load neither
 * that client nor react-query: the workspace home and the closed workspace's notice (issue 17, fast on
 * phones: their segments' JavaScript is downloaded with every page of the home). Throws MutationRefused.
 */
export async function postMutation(path: string): Promise<void> {
  const res = await fetch(`/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  }).catch(() => null);
  if (res?.ok) return;
  const payload = (await res?.json().catch(() => null)) as { error?: { json?: { message?: unknown } } } | null;
  const message = payload?.error?.json?.message;
  throw new MutationRefused(typeof message === "string" ? message : "");
}

/** What to tell the user when `postMutation` failed: the server's words, else `fallback` (a network error). */
export const refusalText = (error: unknown, fallback: string): string =>
  error instanceof MutationRefused && error.message ? error.message : fallback;
