// Cookie-authenticated routes must refuse requests another site makes the browser send (CSRF).
// SameSite=Lax already keeps the cookie off cross-site POSTs; this check is the second wall, and
// the one that also covers same-site subdomains, which SameSite does not.

import { AuthError } from "./errors.ts";

export type RequestLike = { method: string; headers: { get(name: string): string | null } };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Throws `cross_site` unless an unsafe request (POST, PUT, PATCH, DELETE…) comes from `ourOrigin`.
 * Browsers send Sec-Fetch-Site and Origin on such requests; a request with neither is refused,
 * because cookie-authenticated routes serve only our pages.
 */
export function assertSameOrigin(request: RequestLike, ourOrigin: string): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const expected = new URL(ourOrigin).origin;
  const fetchSite = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  if (fetchSite !== null && fetchSite !== "same-origin") {
    throw new AuthError(
      "cross_site",
      `This request came from another site (Sec-Fetch-Site: ${fetchSite}); submit it from ${expected}.`,
    );
  }
  if (origin !== null && origin !== expected) {
    throw new AuthError("cross_site", `This request came from ${origin}; submit it from ${expected}.`);
  }
  if (fetchSite === null && origin === null) {
    throw new AuthError(
      "cross_site",
      `This request has no Origin or Sec-Fetch-Site header; submit it from a page on ${expected}.`,
    );
  }
}
