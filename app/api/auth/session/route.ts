// Who is signed in, for client components that need to know without a page reload.
import { getSession, listRoles, readSessionToken } from "../../../../lib/auth/index.ts";
import { authErrorResponse } from "../../../../lib/web-auth/auth-response.ts";
import { database } from "../../../_server/db.ts";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const db = database();
    const session = await getSession(db, readSessionToken(request.headers.get("cookie")));
    const body = session ? { address: session.address, roles: await listRoles(db, session.userId) } : { address: null };
    return Response.json(body, { headers: { "cache-control": "no-store", vary: "cookie" } });
  } catch (error) {
    return authErrorResponse(error);
  }
}
