// Ends the session behind the cookie (if any) and tells the browser to forget the cookie.
import { assertSameOrigin, clearedSessionCookie, readSessionToken, signOut } from "../../../../lib/auth/index.ts";
import { authErrorResponse } from "../../../../lib/web-auth/auth-response.ts";
import { database } from "../../../_server/db.ts";
import { webSettings } from "../../../_server/settings.ts";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request, webSettings().NEOCART_ORIGIN);
    await signOut(database(), readSessionToken(request.headers.get("cookie")));
    return Response.json(
      { address: null },
      { headers: { "set-cookie": clearedSessionCookie(), "cache-control": "no-store" } },
    );
  } catch (error) {
    return authErrorResponse(error);
  }
}
