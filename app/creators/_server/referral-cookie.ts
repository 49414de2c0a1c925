// The shopper's referral cookie: a random visitor id (no creator, no product in it), so the
// server's record of clicks decides attribution and a cookie edited by hand can only match nothing.
import { cookies } from "next/headers";
import { REFERRAL_COOKIE, REFERRAL_WINDOW_DAYS, readVisitorId } from "../../../lib/influencers/referrals.ts";
import { privateCookieOptions } from "../../../lib/web-cart/cart-cookie.ts";

/** The visitor id in this request's referral cookie, if any (for checkout). */
export async function referralVisitorId(): Promise<string | undefined> {
  return readVisitorId((await cookies()).get(REFERRAL_COOKIE)?.value);
}

/** Cookie options matching the attribution window: the cookie lives as long as a click counts. */
export function referralCookieOptions(origin: string) {
  return privateCookieOptions(origin, REFERRAL_WINDOW_DAYS * 86_400);
}
