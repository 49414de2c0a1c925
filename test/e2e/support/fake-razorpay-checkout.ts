// A local stand-in for Razorpay Payment Links, for browser tests: the app's Razorpay SDK
// (RAZORPAY_API_URL pointed here) creates Payment Links in Razorpay's wire format (JSON POST
// /v1/payment_links with HTTP Basic key id : key secret); the link's `short_url` is a page served
// here with a Pay button that posts a `payment_link.paid` event, signed as Razorpay signs webhooks
// (HMAC-SHA256 of the raw body with the webhook secret, in X-Razorpay-Signature; the event id in
// X-Razorpay-Event-Id), to the app's webhook, then sends the browser to the link's callback_url
// with the query parameters Razorpay appends (razorpay_payment_id, razorpay_payment_link_id,
// razorpay_payment_link_reference_id, razorpay_payment_link_status, razorpay_signature).
// Entity and event shapes are shared with the integration tests' fake
// (test/commerce/payments/support/fake-razorpay.ts).
// Run it alone with: node test/e2e/support/fake-razorpay-checkout.ts (settings from the environment).
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { E2E_RAZORPAY } from "../../../scripts/web/payment-providers-env.ts";
import {
  newPaymentLink,
  type PaymentLink,
  payPaymentLink,
  type RazorpayEvent,
} from "../../commerce/payments/support/fake-razorpay.ts";

export type FakeRazorpayCheckoutOptions = {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  /** The app's Razorpay webhook route, e.g. http://127.0.0.1:3171/api/webhooks/razorpay. */
  webhookUrl: string;
  port?: number;
};

export type FakeLinkRecord = {
  link: PaymentLink;
  /** The payment_link.paid event delivered, and what the app answered (status and body), once paid. */
  event?: RazorpayEvent;
  eventId?: string;
  webhookAnswer?: { status: number; body: string };
};

export type FakeRazorpayCheckout = {
  url: string;
  port: number;
  /** By link id (plink_…). */
  links: Map<string, FakeLinkRecord>;
  /** Every create body the app sent, in order. */
  created: Record<string, unknown>[];
  close(): Promise<void>;
};

const hmacHex = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest("hex");

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

/** Razorpay's error shape. */
function rzpError(response: ServerResponse, status: number, description: string, code = "BAD_REQUEST_ERROR") {
  sendJson(response, status, { error: { code, description, source: "NA", step: "NA", reason: "NA", metadata: {} } });
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

export async function startFakeRazorpayCheckout(options: FakeRazorpayCheckoutOptions): Promise<FakeRazorpayCheckout> {
  const links = new Map<string, FakeLinkRecord>();
  const created: Record<string, unknown>[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.keyId}:${options.keySecret}`).toString("base64")}`;
  let baseUrl = "";
  const byShortId = (shortId: string) => links.get(`plink_${shortId}`);

  async function createLink(request: IncomingMessage, response: ServerResponse) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(request)) as Record<string, unknown>;
    } catch {
      return rzpError(response, 400, "The request body is not JSON.");
    }
    created.push(body);
    const referenceId = body.reference_id;
    if (typeof referenceId === "string" && [...links.values()].some((r) => r.link.reference_id === referenceId)) {
      return rzpError(response, 400, `reference_id ${referenceId} is already used by another Payment Link`);
    }
    const link = newPaymentLink(body, baseUrl);
    if (typeof link === "string") return rzpError(response, 400, link);
    links.set(link.id, { link });
    sendJson(response, 200, link);
  }

  function showPayPage(record: FakeLinkRecord, response: ServerResponse) {
    const { link } = record;
    const amount = `${(link.amount / 100).toFixed(2)} ${link.currency}`;
    if (link.status !== "created") {
      return page(
        response,
        200,
        `Payment Link ${link.status}`,
        `<p data-testid="fake-razorpay-status">${link.status}</p>`,
      );
    }
    page(
      response,
      200,
      link.upi_link ? "Fake Razorpay UPI Payment Link" : "Fake Razorpay Payment Link",
      `<p data-testid="fake-razorpay-amount">${escapeHtml(amount)}</p>` +
        `<p data-testid="fake-razorpay-description">${escapeHtml(link.description)}</p>` +
        `<form method="post" action="/i/${escapeHtml(link.id.slice("plink_".length))}">` +
        `<button type="submit" data-testid="fake-razorpay-pay">Pay ${escapeHtml(amount)} by UPI</button></form>`,
    );
  }

  /** Pays the link, delivers the signed payment_link.paid to the app, then returns the shopper. */
  async function pay(record: FakeLinkRecord, response: ServerResponse) {
    const { event, payment } = payPaymentLink(record.link, record.link.upi_link ? "upi" : "card");
    const payload = JSON.stringify(event);
    const eventId = `evt_${randomBytes(10).toString("hex")}`;
    let answer: { status: number; body: string };
    try {
      const delivered = await fetch(options.webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-razorpay-signature": hmacHex(options.webhookSecret, payload),
          "x-razorpay-event-id": eventId,
          "user-agent": "Razorpay-Webhook/v1",
        },
        body: payload,
      });
      answer = { status: delivered.status, body: await delivered.text() };
    } catch (error) {
      answer = { status: 0, body: (error as Error).message };
    }
    Object.assign(record, { event, eventId, webhookAnswer: answer });
    if (answer.status < 200 || answer.status >= 300) {
      return page(
        response,
        502,
        "Webhook delivery failed",
        `<p data-testid="fake-razorpay-webhook-error">${escapeHtml(`${answer.status} ${answer.body}`)}</p>`,
      );
    }
    const { link } = record;
    if (!link.callback_url) return page(response, 200, "Payment successful", "");
    // The callback's signature is over link id | reference id | status | payment id, with the key secret.
    const status = link.status;
    const reference = link.reference_id ?? "";
    const target = new URL(link.callback_url);
    target.searchParams.set("razorpay_payment_id", payment.id);
    target.searchParams.set("razorpay_payment_link_id", link.id);
    target.searchParams.set("razorpay_payment_link_reference_id", reference);
    target.searchParams.set("razorpay_payment_link_status", status);
    target.searchParams.set(
      "razorpay_signature",
      hmacHex(options.keySecret, `${link.id}|${reference}|${status}|${payment.id}`),
    );
    response.writeHead(303, { location: target.toString() });
    response.end();
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const handle = async () => {
      if (url.pathname.startsWith("/v1/")) {
        if (request.headers.authorization !== expectedAuth) {
          return rzpError(response, 401, "Authentication failed");
        }
        if (request.method === "POST" && /^\/v1\/payment_links\/?$/.test(url.pathname)) {
          return createLink(request, response);
        }
        const fetchId = /^\/v1\/payment_links\/(plink_[A-Za-z0-9]+)$/.exec(url.pathname)?.[1];
        const found = fetchId ? links.get(fetchId) : undefined;
        if (request.method === "GET" && found) return sendJson(response, 200, found.link);
        return rzpError(response, 404, "The requested URL was not found on the server.", "NOT_FOUND");
      }
      const shortId = /^\/i\/([A-Za-z0-9]+)$/.exec(url.pathname)?.[1];
      const record = shortId ? byShortId(shortId) : undefined;
      if (!record) return page(response, 404, "No such Payment Link", "");
      if (request.method === "GET") return showPayPage(record, response);
      if (request.method === "POST") {
        await readBody(request);
        if (record.link.status !== "created") return showPayPage(record, response);
        return pay(record, response);
      }
      return page(response, 405, "Method not allowed", "");
    };
    handle().catch((error: Error) => {
      if (!response.headersSent) rzpError(response, 500, error.message, "SERVER_ERROR");
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
    links,
    created,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Standalone: FAKE_RAZORPAY_PORT, FAKE_RAZORPAY_WEBHOOK_URL (and optionally RAZORPAY_KEY_ID,
// RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET; the e2e test secrets otherwise).
if (import.meta.url === `file://${process.argv[1]}`) {
  const webhookUrl = process.env.FAKE_RAZORPAY_WEBHOOK_URL;
  if (!webhookUrl) throw new Error("Set FAKE_RAZORPAY_WEBHOOK_URL to the app's /api/webhooks/razorpay URL.");
  const fake = await startFakeRazorpayCheckout({
    keyId: process.env.RAZORPAY_KEY_ID ?? E2E_RAZORPAY.keyId,
    keySecret: process.env.RAZORPAY_KEY_SECRET ?? E2E_RAZORPAY.keySecret,
    webhookSecret: process.env.RAZORPAY_WEBHOOK_SECRET ?? E2E_RAZORPAY.webhookSecret,
    webhookUrl,
    port: Number(process.env.FAKE_RAZORPAY_PORT ?? 0),
  });
  console.log(`fake Razorpay Payment Links on ${fake.url} (webhooks to ${webhookUrl})`);
}
