// Coinbase Business Checkouts API: JSON under /api/v1/checkouts, `Authorization: Bearer <JWT>`
// where the JWT is ES256-signed by the CDP key and bound to "METHOD host/path"; errors as
// {errorType, errorMessage}. The fake verifies every JWT with the key's public half.
import { createPublicKey, type KeyObject, randomBytes, verify } from "node:crypto";
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

export type FakeCoinbase = FakeServer & { jwtChecks: JwtCheck[] };

export async function startFakeCoinbase(apiKeyId: string, privateKeyPem: string): Promise<FakeCoinbase> {
  const publicKey = createPublicKey(privateKeyPem);
  const checkouts = new Map<
    string,
    { amount: string; currency: string; refunded: number; refunds: { id: string }[] }
  >();
  const jwtChecks: JwtCheck[] = [];
  let host = "";
  const server = await startFakeServer((request) => {
    const check = checkCdpJwt(request, publicKey, apiKeyId, host);
    jwtChecks.push(check);
    if (!check.ok) return cdpError(401, "unauthorized", `Invalid JWT: ${check.why}`);
    const body = request.rawBody ? (JSON.parse(request.rawBody) as Record<string, string>) : {};
    if (request.method === "POST" && request.path === "/api/v1/checkouts") {
      if (!/^\d+(\.\d{1,2})?$/.test(body.amount ?? "")) {
        return cdpError(400, "invalid_request", "amount must be a decimal string with up to 2 decimals");
      }
      const checkoutId = randomBytes(12).toString("hex");
      checkouts.set(checkoutId, { amount: body.amount ?? "", currency: body.currency ?? "", refunded: 0, refunds: [] });
      const now = new Date().toISOString();
      return reply(201, {
        id: checkoutId,
        url: `https://payments.coinbase.com/payment-links/pl_${checkoutId}`,
        amount: body.amount,
        currency: body.currency,
        network: "base",
        address: `0x${randomBytes(20).toString("hex")}`,
        status: "ACTIVE",
        description: body.description,
        metadata: body.metadata,
        createdAt: now,
        updatedAt: now,
      });
    }
    const refund = /^\/api\/v1\/checkouts\/([0-9a-f]{24})\/refund$/.exec(request.path);
    if (request.method === "POST" && refund) {
      const checkout = checkouts.get(refund[1] ?? "");
      if (!checkout) return cdpError(404, "not_found", "checkout not found");
      const amount = Math.round(Number(body.amount) * 100);
      if (checkout.refunded + amount > Math.round(Number(checkout.amount) * 100)) {
        return cdpError(400, "invalid_request", "refund amount exceeds the refundable amount");
      }
      checkout.refunded += amount;
      checkout.refunds.push({ id: `rf_${randomBytes(8).toString("hex")}` });
      return reply(200, {
        checkout: {
          id: refund[1],
          amount: checkout.amount,
          currency: checkout.currency,
          status: checkout.refunded === Math.round(Number(checkout.amount) * 100) ? "REFUNDED" : "PARTIALLY_REFUNDED",
          refundedAmount: (checkout.refunded / 100).toFixed(2),
          refunds: checkout.refunds,
        },
      });
    }
    return cdpError(404, "not_found", `no route ${request.method} ${request.path}`);
  });
  host = `127.0.0.1:${server.port}`;
  return { ...server, jwtChecks };
}
