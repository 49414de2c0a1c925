// Stripe's wire format as the official SDK speaks it: form-encoded POSTs under /v1, Bearer secret
// key, Idempotency-Key header; JSON objects back; errors as {error: {type, code, message}}.
import { randomBytes } from "node:crypto";
import { type FakeServer, type RecordedRequest, reply, startFakeServer } from "./fake-server.ts";

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const stripeError = (status: number, type: string, message: string, code?: string) =>
  reply(status, { error: { type, code, message } });

export type FakeStripe = FakeServer & { form(request: RecordedRequest): URLSearchParams };

export async function startFakeStripe(secretKey: string): Promise<FakeStripe> {
  const intents = new Map<string, { amount: number; refunded: number; currency: string }>();
  const byIdempotencyKey = new Map<string, unknown>();
  const server = await startFakeServer((request) => {
    if (request.headers.authorization !== `Bearer ${secretKey}`) {
      return stripeError(401, "invalid_request_error", "Invalid API Key provided.");
    }
    const form = new URLSearchParams(request.rawBody);
    const key = request.headers["idempotency-key"];
    const cacheKey = typeof key === "string" ? `${request.path}:${key}` : undefined;
    if (cacheKey && byIdempotencyKey.has(cacheKey)) return reply(200, byIdempotencyKey.get(cacheKey));
    const remember = (json: unknown) => {
      if (cacheKey) byIdempotencyKey.set(cacheKey, json);
      return reply(200, json);
    };
    if (request.method === "POST" && request.path === "/v1/payment_intents") {
      const amount = Number(form.get("amount"));
      const currency = form.get("currency");
      if (!Number.isInteger(amount) || amount < 1 || !currency) {
        return stripeError(400, "invalid_request_error", "Missing required param: amount.", "parameter_missing");
      }
      const types = [...form.entries()].filter(([k]) => k.startsWith("allowed_payment_method_types")).map(([, v]) => v);
      const pi = id("pi");
      intents.set(pi, { amount, refunded: 0, currency });
      return remember({
        id: pi,
        object: "payment_intent",
        amount,
        currency,
        status: "requires_payment_method",
        client_secret: `${pi}_secret_${randomBytes(8).toString("hex")}`,
        allowed_payment_method_types: types,
        payment_method_types: types,
        metadata: { orderId: form.get("metadata[orderId]") },
      });
    }
    if (request.method === "POST" && request.path === "/v1/checkout/sessions") {
      const cs = id("cs_test");
      return remember({
        id: cs,
        object: "checkout.session",
        mode: form.get("mode"),
        amount_total: Number(form.get("line_items[0][price_data][unit_amount]")),
        currency: form.get("line_items[0][price_data][currency]"),
        payment_status: "unpaid",
        status: "open",
        url: `https://checkout.stripe.test/c/pay/${cs}`,
        metadata: { orderId: form.get("metadata[orderId]") },
      });
    }
    if (request.method === "POST" && request.path === "/v1/refunds") {
      const intent = intents.get(form.get("payment_intent") ?? "");
      if (!intent) return stripeError(404, "invalid_request_error", "No such payment_intent.", "resource_missing");
      const amount = Number(form.get("amount") ?? intent.amount - intent.refunded);
      if (intent.refunded + amount > intent.amount) {
        return stripeError(
          400,
          "invalid_request_error",
          "Refund amount is greater than unrefunded amount.",
          "amount_too_large",
        );
      }
      intent.refunded += amount;
      return remember({ id: id("re"), object: "refund", amount, currency: intent.currency, status: "succeeded" });
    }
    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${request.method}: ${request.path}).`);
  });
  return { ...server, form: (request) => new URLSearchParams(request.rawBody) };
}
