// POST /api/webhooks/<provider>: a payment provider's signed event. The signature over the raw
// bytes is the only guard (providers post cross-site, so there is no same-origin check);
// lib/payments handleWebhook verifies, records the event id once and applies it, and says what
// to answer (2xx only after the commit; 4xx refused; 503 retry later). After a 2xx, points owed
// back on fiat orders are re-minted in the background (lib/orders/sweep-owed-points.ts).

import { after } from "next/server";
import { sweepOwedPoints } from "../../../../lib/orders/sweep-owed-points.ts";
import type { ProviderName, WebhookHeaders } from "../../../../lib/payments/provider.ts";
import { handleWebhook } from "../../../../lib/payments/webhooks.ts";
import { configuredPayments } from "../../../../lib/web-cart/payment-providers.ts";
import { database } from "../../../_server/db.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Providers send small JSON events; anything larger is not one of theirs (as the node handler). */
const MAX_BODY_BYTES = 1024 * 1024;
const NO_STORE = { "cache-control": "no-store" };

export async function POST(request: Request, context: { params: Promise<{ provider: string }> }): Promise<Response> {
  const { provider: name } = await context.params;
  try {
    const provider = configuredPayments().providers[name as ProviderName];
    if (!provider) {
      return Response.json(
        { received: false, error: "POST to /api/webhooks/<configured provider>." },
        { status: 404, headers: NO_STORE },
      );
    }
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      return tooLarge();
    }
    const rawBody = Buffer.from(await request.arrayBuffer());
    if (rawBody.length > MAX_BODY_BYTES) return tooLarge();
    // Headers iterate with lower-case names, as Node's http module gives them to the providers.
    const headers: WebhookHeaders = Object.fromEntries(request.headers.entries());
    const db = database();
    const result = await handleWebhook(db, provider, rawBody, headers);
    // An applied event may have owed points back (unpaid or refunded order): mint them after the
    // answer is sent, so the chain being slow or down never fails or delays the webhook.
    if (result.status < 300) after(() => sweepOwedPoints(db));
    return Response.json(result.body, { status: result.status, headers: NO_STORE });
  } catch (error) {
    console.error(`webhook ${name} failed`, error);
    return Response.json(
      { received: false, error: `Internal error (${(error as Error).message}); retry later.` },
      { status: 500, headers: NO_STORE },
    );
  }
}

function tooLarge(): Response {
  return Response.json(
    { received: false, error: `Body larger than ${MAX_BODY_BYTES} bytes refused.` },
    { status: 413, headers: NO_STORE },
  );
}
