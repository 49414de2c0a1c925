// The referral link's cookie: /r/<code> sets it, the first sign-in of a new user reads it once and
// attaches the referral, and every sign-in clears it. Same attributes as the session cookie (but
// readable on any path only by the server: HttpOnly).
import type { Executor } from "../pricing/executor.ts";
import {
  type AttachedReferral,
  attachReferral,
  REFERRAL_COOKIE,
  REFERRAL_COOKIE_MAX_AGE_SECONDS,
  ReferralError,
  referralCodeSchema,
} from "./referrals.ts";

export function referralCookie(code: string): string {
  return `${REFERRAL_COOKIE}=${code}; Path=/; Max-Age=${REFERRAL_COOKIE_MAX_AGE_SECONDS}; HttpOnly; Secure; SameSite=Lax`;
}

export function clearedReferralCookie(): string {
  return `${REFERRAL_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

/** The referral code from a Cookie request header, if it holds a well-formed one. */
export function readReferralCode(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === REFERRAL_COOKIE) {
      const parsed = referralCodeSchema.safeParse(decodeURIComponent(part.slice(eq + 1).trim()));
      return parsed.success ? parsed.data : undefined;
    }
  }
  return undefined;
}

export type ReferralAtSignIn =
  | { outcome: "none" }
  | { outcome: "attached"; referral: AttachedReferral }
  | { outcome: "refused"; code: string; message: string };

/**
 * Called by the sign-in route after a successful sign-in. Only a new user's first sign-in attaches
 * (an existing account opening a referral link is refused); a refusal never fails the sign-in.
 * `clearCookie` is the Set-Cookie value to send whenever the request carried the cookie.
 */
export async function attachReferralAtSignIn(
  db: Executor,
  args: { cookieHeader: string | null; userId: string; isNewUser: boolean; viewsSchema?: string },
): Promise<{ result: ReferralAtSignIn; clearCookie?: string }> {
  const code = readReferralCode(args.cookieHeader);
  const carried = args.cookieHeader?.includes(`${REFERRAL_COOKIE}=`) ?? false;
  const clearCookie = carried ? clearedReferralCookie() : undefined;
  if (!code) return { result: { outcome: "none" }, clearCookie };
  if (!args.isNewUser) {
    return {
      result: { outcome: "refused", code: "not_new", message: "Referral links are for new accounts." },
      clearCookie,
    };
  }
  try {
    const referral = await attachReferral(db, { refereeUserId: args.userId, code }, { viewsSchema: args.viewsSchema });
    return { result: { outcome: "attached", referral }, clearCookie };
  } catch (error) {
    if (error instanceof ReferralError) {
      return { result: { outcome: "refused", code: error.code, message: error.message }, clearCookie };
    }
    // The session is already made: a database hiccup here costs the referral, not the sign-in.
    console.error("attaching a referral at sign-in failed", error);
    return {
      result: { outcome: "refused", code: "internal", message: "The referral could not be recorded." },
      clearCookie,
    };
  }
}
