// The session cookie's attributes in one place. "__Host-" makes browsers insist on Secure, Path=/
// and no Domain, so a sibling subdomain cannot set or shadow it; HttpOnly keeps it from scripts;
// SameSite=Lax keeps it off cross-site POSTs while links from other sites still sign you in.
import { SESSION_TTL_SECONDS } from "./sessions.ts";

export const SESSION_COOKIE_NAME = "__Host-neocart_session";

export function sessionCookie(token: string, maxAgeSeconds: number = SESSION_TTL_SECONDS): string {
  return `${SESSION_COOKIE_NAME}=${token}; Path=/; Max-Age=${Math.floor(maxAgeSeconds)}; HttpOnly; Secure; SameSite=Lax`;
}

/** Set on sign-out so the browser forgets the token at once. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

/** The session token from a Cookie request header, if any. */
export function readSessionToken(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE_NAME) return part.slice(eq + 1).trim();
  }
  return undefined;
}
