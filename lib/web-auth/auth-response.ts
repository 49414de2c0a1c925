// Route handlers answer refusals as JSON `{ error, code }` with the status lib/auth chose, so the
// browser can show the message as is; anything unexpected is logged and answered with a plain 500.
import { AuthError } from "../auth/index.ts";

export function authErrorResponse(error: unknown): Response {
  if (error instanceof AuthError) {
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    return Response.json({ error: error.message, code: error.code }, { status: error.status, headers });
  }
  console.error("auth route failed", error);
  return Response.json(
    { error: "Something went wrong on our side; try again in a moment.", code: "internal" },
    { status: 500, headers: { "cache-control": "no-store" } },
  );
}

/**
 * The caller's address for rate limits. Each proxy appends the address it received the request
 * from to X-Forwarded-For, so only the last `trustedHops` entries were written by our own proxies;
 * anything left of them came from the client and may be made up (a fresh fake address per request
 * would escape every rate limit). With `trustedHops` proxies in front of the app, the client is
 * the entry `trustedHops` from the right. 0 means no proxy: the header is ignored.
 */
export function clientKeyOf(request: Request, trustedHops = trustedProxyHops()): string {
  if (trustedHops === 0) return "direct";
  const hops = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request skipped a proxy; the leftmost is the best we have.
  const client = hops[Math.max(0, hops.length - trustedHops)];
  return client ? client.slice(0, 200) : "local";
}

/** NEOCART_TRUSTED_PROXY_HOPS: how many proxies (load balancer, CDN) stand in front of the app; default 1. */
export function trustedProxyHops(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.NEOCART_TRUSTED_PROXY_HOPS;
  if (raw === undefined || raw === "") return 1;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`NEOCART_TRUSTED_PROXY_HOPS must be a whole number from 0 to 10 (got "${raw}")`);
  }
  return hops;
}
