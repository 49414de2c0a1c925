// Route handlers answer refusals as JSON `{ error, code }` with the status lib/auth chose, so the
// browser can show the message as is; anything unexpected is logged and answered with a plain 500.
import { AuthError } from "../auth/index.ts";

export function authErrorResponse(error: unknown): Response {
  if (error instanceof AuthError) {
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    return Response.json({ error: error.message, code: error.code }, { status: error.status, headers });
  }
  console.error("auth route failed", error);
  return Response.json(
    { error: "Something went wrong on our side; try again in a moment.", code: "internal" },
    { status: 500, headers: { "cache-control": "no-store" } },
  );
}

/** The caller's address for rate limits: the first X-Forwarded-For hop (set by our proxy), else "local". */
export function clientKeyOf(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded ? forwarded.slice(0, 200) : "local";
}
