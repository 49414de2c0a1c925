// A fresh single-use nonce for the next sign-in message.
import { issueNonce } from "../../../../lib/auth/index.ts";
import { authErrorResponse } from "../../../../lib/web-auth/auth-response.ts";
import { database } from "../../../_server/db.ts";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const { nonce } = await issueNonce(database());
    return Response.json({ nonce }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return authErrorResponse(error);
  }
}
