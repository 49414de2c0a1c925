// Coinbase Business Checkouts API: JSON under /api/v1/checkouts, `Authorization: Bearer <JWT>`
// where the JWT is ES256-signed by the CDP key and bound to "METHOD host/path"; errors as
// {errorType, errorMessage}. The fake verifies every JWT with the key's public half.
import { createPublicKey, type KeyObject, randomBytes, randomUUID, verify } from "node:crypto";
import { type FakeServer, type RecordedRequest, reply, startFakeServer } from "./fake-server.ts";

const cdpError = (status: number, errorType: string, errorMessage: string) =>
  reply(status, { errorType, errorMessage });

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; why: string };

/** Checks an ES256 JWT as Coinbase does: signature, kid/sub = key id, uris = this request, not expired. */
export function checkCdpJwt(request: RecordedRequest, publicKey: KeyObject, apiKeyId: string, host: string): JwtCheck {
  const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
  if (!token) return { ok: false, why: "missing bearer token" };
  const [h, p, s] = token.split(".");
  if (!h || !p || !s) return { ok: false, why: "not a JWT" };
  const header = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
  if (header.alg !== "ES256") return { ok: false, why: `alg ${header.alg}` };
  const valid = verify(
    "sha256",
    Buffer.from(`${h}.${p}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(s, "base64url"),
  );
  if (!valid) return { ok: false, why: "bad signature" };
  if (header.kid !== apiKeyId || claims.sub !== apiKeyId) return { ok: false, why: "wrong key id" };
  const uri = `${request.method} ${host}${request.path}`;
  if (!Array.isArray(claims.uris) || !claims.uris.includes(uri)) return { ok: false, why: `uris ≠ ${uri}` };
  if (typeof claims.exp !== "number" || claims.exp < Date.now() / 1000) return { ok: false, why: "expired" };
  return { ok: true, claims };
}

type Checkout = {
  id: string;
  amount: string;
  currency: string;
  status: string;
  metadata: unknown;
  refunded: number;
  refunds: Record<string, unknown>[];
  createdAt: string;
};

export type FakeCoinbase = FakeServer & {
  jwtChecks: JwtCheck[];
  /** Plays the shopper paying: the checkout becomes COMPLETED (only then can it be refunded). */
  complete(checkoutId: string): void;
};

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const cents = (amount: string) => Math.round(Number(amount) * 100);

/**
 * The Checkouts API as documented (docs.cdp.coinbase.com/api-reference/business-api/rest-api/
 * checkouts/…): create, and refund (`{amount, currency?, reason?}` on a COMPLETED or
 * PARTIALLY_REFUNDED checkout, answered with the updated checkout and the new refund). Every
 * X-Idempotency-Key must be a UUID v4; a repeated key returns the first answer, and the same key
 * with another body is a 409 idempotency_error (docs.cdp.coinbase.com/api-reference/v2/idempotency).
 */
export async function startFakeCoinbase(apiKeyId: string, privateKeyPem: string): Promise<FakeCoinbase> {
  const publicKey = createPublicKey(privateKeyPem);
  const checkouts = new Map<string, Checkout>();
  const byIdempotencyKey = new Map<string, { body: string; answer: ReturnType<typeof reply> }>();
  const jwtChecks: JwtCheck[] = [];
  let host = "";
  const view = (c: Checkout) => ({
    id: c.id,
    url: `https://payments.coinbase.com/payment-links/pl_${c.id}`,
    amount: c.amount,
    currency: c.currency,
    network: "base",
    status: c.status,
    metadata: c.metadata,
    createdAt: c.createdAt,
    updatedAt: new Date().toISOString(),
    ...(c.refunds.length ? { refundedAmount: (c.refunded / 100).toFixed(2), refunds: c.refunds } : {}),
  });
  const route = (request: RecordedRequest, body: Record<string, unknown>) => {
    if (request.method === "POST" && request.path === "/api/v1/checkouts") {
      if (!/^\d+(\.\d{1,2})?$/.test(String(body.amount ?? ""))) {
        return cdpError(400, "invalid_request", "amount must be a decimal string with up to 2 decimals");
      }
      const checkout: Checkout = {
        id: randomBytes(12).toString("hex"),
        amount: String(body.amount),
        currency: String(body.currency ?? "USDC"),
        status: "ACTIVE",
        metadata: body.metadata,
        refunded: 0,
        refunds: [],
        createdAt: new Date().toISOString(),
      };
      checkouts.set(checkout.id, checkout);
      return reply(201, { ...view(checkout), address: `0x${randomBytes(20).toString("hex")}` });
    }
    const refund = /^\/api\/v1\/checkouts\/([0-9a-f]{24})\/refund$/.exec(request.path);
    if (request.method === "POST" && refund) {
      const checkout = checkouts.get(refund[1] ?? "");
      if (!checkout) return cdpError(404, "not_found", "checkout not found");
      if (checkout.status !== "COMPLETED" && checkout.status !== "PARTIALLY_REFUNDED") {
        return cdpError(400, "invalid_request", `a ${checkout.status} checkout cannot be refunded`);
      }
      if (!/^\d+(\.\d{1,2})?$/.test(String(body.amount ?? ""))) {
        return cdpError(400, "invalid_request", "amount must be a decimal string with up to 2 decimals");
      }
      if (body.reason !== undefined && String(body.reason).length > 500) {
        return cdpError(400, "invalid_request", "reason must be at most 500 characters");
      }
      // Omitted, the refund is in the checkout's own currency.
      const currency = String(body.currency ?? checkout.currency);
      if (currency !== checkout.currency) {
        return cdpError(
          400,
          "invalid_request",
          `refund currency ${currency} is not the checkout's ${checkout.currency}`,
        );
      }
      const amount = cents(String(body.amount));
      if (amount <= 0 || checkout.refunded + amount > cents(checkout.amount)) {
        return cdpError(400, "invalid_request", "refund amount exceeds the refundable amount");
      }
      checkout.refunded += amount;
      checkout.status = checkout.refunded === cents(checkout.amount) ? "REFUNDED" : "PARTIALLY_REFUNDED";
      const created = {
        id: randomUUID(),
        checkoutId: checkout.id,
        amount: String(body.amount),
        currency,
        status: "PENDING",
        reason: body.reason,
        createdAt: new Date().toISOString(),
      };
      checkout.refunds.push(created);
      return reply(200, { checkout: view(checkout), refund: created });
    }
    return cdpError(404, "not_found", `no route ${request.method} ${request.path}`);
  };
  const server = await startFakeServer((request) => {
    const check = checkCdpJwt(request, publicKey, apiKeyId, host);
    jwtChecks.push(check);
    if (!check.ok) return cdpError(401, "unauthorized", `Invalid JWT: ${check.why}`);
    const key = request.headers["x-idempotency-key"];
    if (typeof key === "string") {
      if (!UUID_V4.test(key)) return cdpError(400, "invalid_request", "X-Idempotency-Key must be a valid UUID v4");
      const seen = byIdempotencyKey.get(key);
      if (seen) {
        return seen.body === request.rawBody
          ? seen.answer
          : cdpError(409, "idempotency_error", "the idempotency key was used with different request parameters");
      }
    }
    const body = request.rawBody ? (JSON.parse(request.rawBody) as Record<string, unknown>) : {};
    const answer = route(request, body);
    if (typeof key === "string") byIdempotencyKey.set(key, { body: request.rawBody, answer });
    return answer;
  });
  host = `127.0.0.1:${server.port}`;
  return {
    ...server,
    jwtChecks,
    complete(checkoutId) {
      const checkout = checkouts.get(checkoutId);
      if (!checkout) throw new Error(`fake coinbase: no checkout ${checkoutId}`);
      checkout.status = "COMPLETED";
    },
  };
}
