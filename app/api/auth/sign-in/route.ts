// Sign-In with Ethereum: checks the signed EIP-4361 message (lib/auth signIn) and sets the
// session cookie. The previous session cookie, if any, is revoked (rotation).
import { AuthError, assertSameOrigin, listRoles, readSessionToken, signIn } from "../../../../lib/auth/index.ts";
import { attachReferralAtSignIn } from "../../../../lib/gamification/referral-cookie.ts";
import { authErrorResponse, clientKeyOf } from "../../../../lib/web-auth/auth-response.ts";
import { serverPublicClient } from "../../../../lib/web-auth/public-client.ts";
import { database } from "../../../_server/db.ts";
import { webSettings } from "../../../_server/settings.ts";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    const settings = webSettings();
    assertSameOrigin(request, settings.NEOCART_ORIGIN);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      throw new AuthError("invalid_input", 'Send the sign-in as JSON: { "message": "...", "signature": "0x..." }.');
    }
    const db = database();
    const origin = new URL(settings.NEOCART_ORIGIN);
    const result = await signIn(db, body, {
      domain: origin.host,
      origin: origin.origin,
      chainIds: [settings.NEOCART_CHAIN_ID],
      clientKey: clientKeyOf(request),
      previousSessionToken: readSessionToken(request.headers.get("cookie")),
      publicClients: { [settings.NEOCART_CHAIN_ID]: serverPublicClient() },
    });
    const roles = await listRoles(db, result.userId);
    // A referral link opened before a new user's first sign-in is attached now (lib/gamification).
    const referral = await attachReferralAtSignIn(db, {
      cookieHeader: request.headers.get("cookie"),
      userId: result.userId,
      isNewUser: result.isNewUser,
      viewsSchema: settings.NEOCART_VIEWS_SCHEMA,
    });
    const headers = new Headers({ "set-cookie": result.cookie, "cache-control": "no-store" });
    if (referral.clearCookie) headers.append("set-cookie", referral.clearCookie);
    return Response.json({ address: result.address, userId: result.userId, roles }, { headers });
  } catch (error) {
    return authErrorResponse(error);
  }
}
