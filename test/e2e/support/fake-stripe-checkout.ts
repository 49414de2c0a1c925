// A local stand-in for Stripe Checkout, for browser tests: the app's Stripe SDK (STRIPE_API_URL
// pointed here) creates Checkout Sessions in Stripe's wire format (form-encoded POST /v1/…, Bearer
// secret key, Idempotency-Key); the session's `url` is a page served here with a Pay button that
// posts a `checkout.session.completed` event, signed like Stripe signs (the SDK's own
// generateTestHeaderString), to the app's webhook, then sends the browser to `success_url`.
// Run it alone with: node test/e2e/support/fake-stripe-checkout.ts (settings from the environment).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export type FakeStripeCheckoutOptions = {
  secretKey: string;
  webhookSecret: string;
  /** The app's Stripe webhook route, e.g. http://127.0.0.1:3171/api/webhooks/stripe. */
  webhookUrl: string;
  port?: number;
};

export type FakeSession = {
  id: string;
  mode: string;
  amountTotal: number;
  currency: string;
  metadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string;
  paymentStatus: "unpaid" | "paid";
  /** What the app answered to the completed event (status and body), once paid. */
  webhookAnswer?: { status: number; body: string };
};

export type FakeStripeCheckout = {
  url: string;
  port: number;
  sessions: Map<string, FakeSession>;
  close(): Promise<void>;
};

/** The app settings that point its Stripe at a fake listening on `port` (same names as lib/payments). */
export function fakeStripeAppEnv(port: number, secrets = E2E_STRIPE_SECRETS): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: secrets.secretKey,
    STRIPE_WEBHOOK_SECRET: secrets.webhookSecret,
    STRIPE_API_URL: `http://127.0.0.1:${port}`,
  };
}

/** Test-only secrets: they protect nothing but the fake. */
export const E2E_STRIPE_SECRETS = { secretKey: "sk_test_neocart_e2e", webhookSecret: "whsec_neocart_e2e" };

const signer = new Stripe("sk_test_signing_only");
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function stripeError(response: ServerResponse, status: number, message: string, code?: string) {
  sendJson(response, status, { error: { type: "invalid_request_error", code, message } });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function page(response: ServerResponse, status: number, title: string, body: string) {
  response.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  );
}

function sessionJson(session: FakeSession, baseUrl: string) {
  return {
    id: session.id,
    object: "checkout.session",
    mode: session.mode,
    amount_total: session.amountTotal,
    currency: session.currency,
    payment_status: session.paymentStatus,
    status: session.paymentStatus === "paid" ? "complete" : "open",
    url: `${baseUrl}/c/pay/${session.id}`,
    metadata: session.metadata,
    client_reference_id: session.metadata.orderId ?? null,
    subscription: null,
    success_url: session.successUrl,
    cancel_url: session.cancelUrl,
  };
}

/** Stripe's form encoding: the metadata[...] keys back into an object. */
function metadataOf(form: URLSearchParams): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    const name = /^metadata\[(.+)\]$/.exec(key)?.[1];
    if (name) metadata[name] = value;
  }
  return metadata;
}

export async function startFakeStripeCheckout(options: FakeStripeCheckoutOptions): Promise<FakeStripeCheckout> {
  const sessions = new Map<string, FakeSession>();
  const byIdempotencyKey = new Map<string, unknown>();
  let baseUrl = "";

  async function createSession(request: IncomingMessage, response: ServerResponse) {
    const form = new URLSearchParams(await readBody(request));
    const key = request.headers["idempotency-key"];
    if (typeof key === "string" && byIdempotencyKey.has(key)) return sendJson(response, 200, byIdempotencyKey.get(key));
    const amount = Number(form.get("line_items[0][price_data][unit_amount]"));
    const quantity = Number(form.get("line_items[0][quantity]") ?? 1);
    const currency = form.get("line_items[0][price_data][currency]");
    const successUrl = form.get("success_url");
    const cancelUrl = form.get("cancel_url") ?? successUrl;
    if (!Number.isInteger(amount) || amount < 0 || !currency) {
      return stripeError(response, 400, "Missing required param: line_items[0][price_data].", "parameter_missing");
    }
    if (!successUrl || !cancelUrl) {
      return stripeError(response, 400, "Missing required param: success_url.", "parameter_missing");
    }
    const session: FakeSession = {
      id: newId("cs_test"),
      mode: form.get("mode") ?? "payment",
      amountTotal: amount * quantity,
      currency,
      metadata: metadataOf(form),
      successUrl,
      cancelUrl,
      paymentStatus: "unpaid",
    };
    sessions.set(session.id, session);
    const json = sessionJson(session, baseUrl);
    if (typeof key === "string") byIdempotencyKey.set(key, json);
    sendJson(response, 200, json);
  }

  function showPayPage(session: FakeSession, response: ServerResponse) {
    const amount = `${(session.amountTotal / 100).toFixed(2)} ${session.currency.toUpperCase()}`;
    page(
      response,
      200,
      "Fake Stripe Checkout",
      `<p data-testid="fake-stripe-amount">${escapeHtml(amount)}</p>` +
        `<form method="post" action="/c/pay/${session.id}"><button type="submit" data-testid="fake-stripe-pay">Pay ${escapeHtml(amount)}</button></form>` +
        `<p><a href="${escapeHtml(session.cancelUrl)}" data-testid="fake-stripe-cancel">Cancel</a></p>`,
    );
  }

  /** Marks the session paid, delivers the signed event to the app, then returns the shopper. */
  async function pay(session: FakeSession, response: ServerResponse) {
    session.paymentStatus = "paid";
    const event = {
      id: newId("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...sessionJson(session, baseUrl), payment_intent: newId("pi") } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "checkout.session.completed",
    };
    const payload = JSON.stringify(event);
    const signature = signer.webhooks.generateTestHeaderString({ payload, secret: options.webhookSecret });
    let answer: { status: number; body: string };
    try {
      const delivered = await fetch(options.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature, "user-agent": "Stripe/1.0" },
        body: payload,
      });
      answer = { status: delivered.status, body: await delivered.text() };
    } catch (error) {
      answer = { status: 0, body: (error as Error).message };
    }
    session.webhookAnswer = answer;
    if (answer.status < 200 || answer.status >= 300) {
      session.paymentStatus = "unpaid";
      return page(
        response,
        502,
        "Webhook delivery failed",
        `<p data-testid="fake-stripe-webhook-error">${escapeHtml(`${answer.status} ${answer.body}`)}</p>`,
      );
    }
    response.writeHead(303, { location: session.successUrl.replace("{CHECKOUT_SESSION_ID}", session.id) });
    response.end();
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const handle = async () => {
      if (url.pathname.startsWith("/v1/")) {
        if (request.headers.authorization !== `Bearer ${options.secretKey}`) {
          return stripeError(response, 401, "Invalid API Key provided.");
        }
        if (request.method === "POST" && url.pathname === "/v1/checkout/sessions") {
          return createSession(request, response);
        }
        const retrieve = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(url.pathname)?.[1];
        const found = retrieve ? sessions.get(retrieve) : undefined;
        if (request.method === "GET" && found) return sendJson(response, 200, sessionJson(found, baseUrl));
        return stripeError(response, 404, `Unrecognized request URL (${request.method}: ${url.pathname}).`);
      }
      const id = /^\/c\/pay\/([\w]+)$/.exec(url.pathname)?.[1];
      const session = id ? sessions.get(id) : undefined;
      if (!session) return page(response, 404, "No such checkout session", "");
      if (request.method === "GET") return showPayPage(session, response);
      if (request.method === "POST") {
        await readBody(request);
        return pay(session, response);
      }
      return page(response, 405, "Method not allowed", "");
    };
    handle().catch((error: Error) => {
      if (!response.headersSent) sendJson(response, 500, { error: { type: "api_error", message: error.message } });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    port,
    sessions,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Standalone: FAKE_STRIPE_PORT, FAKE_STRIPE_WEBHOOK_URL (and optionally STRIPE_SECRET_KEY,
// STRIPE_WEBHOOK_SECRET; the e2e test secrets otherwise).
if (import.meta.url === `file://${process.argv[1]}`) {
  const webhookUrl = process.env.FAKE_STRIPE_WEBHOOK_URL;
  if (!webhookUrl) throw new Error("Set FAKE_STRIPE_WEBHOOK_URL to the app's /api/webhooks/stripe URL.");
  const fake = await startFakeStripeCheckout({
    secretKey: process.env.STRIPE_SECRET_KEY ?? E2E_STRIPE_SECRETS.secretKey,
    webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? E2E_STRIPE_SECRETS.webhookSecret,
    webhookUrl,
    port: Number(process.env.FAKE_STRIPE_PORT ?? 0),
  });
  console.log(`fake Stripe Checkout on ${fake.url} (webhooks to ${webhookUrl})`);
}
