// A referral link, /r/<code>: remembers the code in a cookie (attached at the visitor's first
// sign-in, see app/api/auth/sign-in) and sends them to the referral page, which says what happens
// next. An unknown or malformed code sets nothing.
import { referralCookie } from "../../../lib/gamification/referral-cookie.ts";
import { findReferrer } from "../../../lib/gamification/referrals.ts";
import { database } from "../../_server/db.ts";
import { webSettings } from "../../_server/settings.ts";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: { params: Promise<{ code: string }> }): Promise<Response> {
  const { code } = await context.params;
  const origin = webSettings().NEOCART_ORIGIN;
  const referrer = await findReferrer(database(), decodeURIComponent(code));
  const headers = new Headers({ "cache-control": "no-store" });
  if (referrer) {
    headers.set("location", new URL("/referrals?invited=1", origin).toString());
    headers.append("set-cookie", referralCookie(decodeURIComponent(code).trim().toUpperCase()));
  } else {
    headers.set("location", new URL("/referrals?invalid=1", origin).toString());
  }
  return new Response(null, { status: 303, headers });
}
