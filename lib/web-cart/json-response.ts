// JSON answers of the cart and checkout routes: refusals with the module's status and message,
// bigints as strings, never cached (they depend on the caller's cookies).
import { AuthError } from "../auth/index.ts";
import { CommerceError } from "../pricing/errors.ts";

const NO_STORE = { "cache-control": "no-store", vary: "cookie" };

export function jsonOk(body: unknown): Response {
  const text = JSON.stringify(body, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
  return new Response(text, { status: 200, headers: { ...NO_STORE, "content-type": "application/json" } });
}

export function jsonError(error: unknown): Response {
  if (error instanceof CommerceError || error instanceof AuthError) {
    return Response.json({ error: error.message, code: error.code }, { status: error.status, headers: NO_STORE });
  }
  console.error("cart/checkout route failed", error);
  return Response.json(
    { error: "Something went wrong on our side; try again in a moment.", code: "internal" },
    { status: 500, headers: NO_STORE },
  );
}

/** A cookie's value from a Cookie header. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
