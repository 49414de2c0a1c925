// "Download my data": everything the database holds about the signed-in person, as a JSON file.
// Rate-limited per user because an export reads (and decrypts) a lot.
import { hitRateLimit, readSessionToken, requireSession } from "../../../../lib/auth/index.ts";
import { exportUserData, PrivacyError } from "../../../../lib/privacy/index.ts";
import { authErrorResponse } from "../../../../lib/web-auth/auth-response.ts";
import { database } from "../../../_server/db.ts";

export const dynamic = "force-dynamic";

const EXPORT_RATE_LIMIT = { max: 5, windowSeconds: 60 * 60, what: "data exports" };

export async function GET(request: Request): Promise<Response> {
  try {
    const db = database();
    const session = await requireSession(db, readSessionToken(request.headers.get("cookie")));
    await hitRateLimit(db, `export:${session.userId}`, EXPORT_RATE_LIMIT);
    const data = await exportUserData(db, session.userId);
    const day = data.exportedAt.slice(0, 10);
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="neocart-data-${day}.json"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof PrivacyError) {
      return Response.json(
        { error: error.message },
        { status: error.status, headers: { "cache-control": "no-store" } },
      );
    }
    return authErrorResponse(error);
  }
}
