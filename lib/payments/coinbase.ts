// Coinbase Business Checkouts API (successor of the retired Commerce charges): a single-use
// checkout per order, authenticated by a JWT bearer minted per request from the CDP API key
// (@coinbase/cdp-sdk/auth); webhooks delivered by Hook0 and signed in X-Hook0-Signature as
// t=<unix>,h=<signed header names>,v1=<hex HMAC-SHA256 of "t.h.headerValues.body">. Refunds:
// POST /api/v1/checkouts/{id}/refund with {amount, currency, reason}, answered with the checkout
// and the new refund (PENDING until sent on chain); we record it when the API accepts it.
import { createHash } from "node:crypto";
import { generateJwt } from "@coinbase/cdp-sdk/auth";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { PaymentRequestError, WebhookRejectedError } from "./errors.ts";
import { decimalToMinor, minorToDecimal } from "./money.ts";
import { loadPayableOrder, recordPendingPayment, refundWithLock } from "./orders.ts";
import type {
  CreatedPayment,
  CreatePaymentInput,
  NormalizedEvent,
  NormalizedEventType,
  PaymentProvider,
  RefundInput,
  RefundResult,
  WebhookHeaders,
} from "./provider.ts";
import { createPaymentInputSchema, refundInputSchema } from "./provider.ts";
import { requestJson } from "./rest-client.ts";
import type { CoinbaseSettings } from "./settings.ts";
import { checkTimestamp, headerValue, hexEqual, hmacSha256Hex, parseJsonBody, requireHeader } from "./signatures.ts";

const checkoutSchema = z.object({
  id: z.string().min(1),
  url: z.string().optional(),
  amount: z.string(),
  currency: z.string(),
  status: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
// Refund Checkout answers with the updated checkout and the refund it just created (status
// PENDING until Coinbase has sent it on chain).
const refundResponseSchema = z.object({
  checkout: checkoutSchema.extend({ refundedAmount: z.string().optional() }),
  refund: z.object({ id: z.string().min(1), status: z.string(), amount: z.string(), currency: z.string().optional() }),
});
const webhookSchema = checkoutSchema.extend({ eventType: z.string() });

/**
 * The X-Idempotency-Key for a request: CDP APIs refuse any key that is not a UUID v4, and a retry
 * must send the same key, so it is derived from a stable seed (sha256, with the version and
 * variant bits of a v4) instead of drawn at random.
 */
export function idempotencyKey(seed: string): string {
  const bytes = createHash("sha256").update(seed).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const EVENT_TYPES: Record<string, NormalizedEventType> = {
  "checkout.payment.success": "payment.succeeded",
  "checkout.payment.failed": "payment.failed",
  "checkout.payment.expired": "payment.failed",
};

export class CoinbaseProvider implements PaymentProvider {
  readonly name = "coinbase" as const;
  readonly #settings: CoinbaseSettings;

  constructor(settings: CoinbaseSettings) {
    this.#settings = settings;
  }

  /** Every request carries a fresh JWT bound to its method, host and path (valid 2 minutes). */
  async #call<T>(method: "GET" | "POST", path: string, schema: z.ZodType<T>, body?: unknown, idempotencySeed?: string) {
    const url = new URL(path, this.#settings.apiUrl);
    const jwt = await generateJwt({
      apiKeyId: this.#settings.apiKeyId,
      apiKeySecret: this.#settings.apiKeySecret,
      requestMethod: method,
      requestHost: url.host,
      requestPath: url.pathname,
    });
    const headers: Record<string, string> = { authorization: `Bearer ${jwt}` };
    if (idempotencySeed) headers["x-idempotency-key"] = idempotencyKey(idempotencySeed);
    return requestJson({ provider: "coinbase", method, url, headers, body }, schema);
  }

  async createPayment(db: Db, input: CreatePaymentInput): Promise<CreatedPayment> {
    const { orderId, method, hosted } = createPaymentInputSchema.parse(input);
    if (method !== "crypto") throw new PaymentRequestError(`Coinbase takes "crypto" here, not "${method}".`);
    const order = await loadPayableOrder(db, orderId);
    const checkout = await this.#call(
      "POST",
      "/api/v1/checkouts",
      checkoutSchema,
      {
        amount: minorToDecimal(order.totalMinor, order.currency),
        currency: order.currency,
        description: `NeoCart order ${orderId}`,
        metadata: { orderId },
        successRedirectUrl: hosted?.successUrl ?? `${this.#settings.returnUrl}/${orderId}?paid=1`,
        failRedirectUrl: hosted?.cancelUrl ?? `${this.#settings.returnUrl}/${orderId}`,
      },
      `neocart-order-${orderId}`,
    );
    const created: CreatedPayment = {
      provider: this.name,
      providerPaymentId: checkout.id,
      amountMinor: order.totalMinor,
      currency: order.currency,
      redirectUrl: checkout.url,
    };
    await recordPendingPayment(db, orderId, method, created);
    return created;
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders, now = new Date()): Promise<NormalizedEvent> {
    const header = requireHeader(headers, "x-hook0-signature");
    const fields = new Map<string, string>();
    for (const part of header.split(",")) {
      const at = part.indexOf("=");
      if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
    }
    const timestamp = fields.get("t");
    const signature = fields.get("v1");
    const signedHeaders = fields.get("h") ?? "";
    if (!timestamp || !signature) {
      throw new WebhookRejectedError("X-Hook0-Signature lacks t= or v1=; it is not a Hook0 v1 signature.");
    }
    checkTimestamp(Number(timestamp), this.#settings.toleranceSeconds, now);
    const names = signedHeaders.split(" ").filter(Boolean);
    const values = names.map((name) => headerValue(headers, name) ?? "").join(".");
    const signedPrefix = `${timestamp}.${signedHeaders}.${values}.`;
    const valid = this.#settings.webhookSecrets.some((secret) =>
      hexEqual(hmacSha256Hex(secret, signedPrefix, rawBody), signature),
    );
    if (!valid) {
      throw new WebhookRejectedError(
        "X-Hook0-Signature does not match the body and signed headers with any configured secret (wrong secret or altered body).",
      );
    }
    const payload = parseJsonBody(rawBody);
    const parsed = webhookSchema.safeParse(payload);
    if (!parsed.success) throw new WebhookRejectedError("The Coinbase webhook body is not a checkout event.");
    const checkout = parsed.data;
    // Hook0 sends the event id in X-Event-Id (and signs it); a checkout is single-use, so id+type
    // is a stable fallback.
    const signedEventId = names.includes("x-event-id") ? headerValue(headers, "x-event-id") : undefined;
    const eventId = signedEventId ?? `${checkout.id}:${checkout.eventType}`;
    const type = EVENT_TYPES[checkout.eventType] ?? "ignored";
    const orderId = z.uuid().safeParse(checkout.metadata?.orderId);
    const currency = checkout.currency.toUpperCase();
    return {
      eventId: eventId.length > 255 ? createHash("sha256").update(eventId).digest("hex") : eventId,
      providerType: checkout.eventType,
      type,
      providerPaymentId: checkout.id,
      orderId: orderId.success ? orderId.data : undefined,
      amountMinor: type === "ignored" ? undefined : decimalToMinor(checkout.amount, currency),
      currency,
      method: "crypto",
      payload,
    };
  }

  async refund(db: Db, input: RefundInput): Promise<RefundResult> {
    const { orderId, amountMinor } = refundInputSchema.parse(input);
    return refundWithLock(db, this.name, orderId, amountMinor, async (payment, amount) => {
      const response = await this.#call(
        "POST",
        `/api/v1/checkouts/${encodeURIComponent(payment.providerPaymentId)}/refund`,
        refundResponseSchema,
        {
          // Up to 2 decimals; currency named so the refund is in what the order was priced in
          // (omitted, Coinbase would use the checkout's fiat currency, or USDC).
          amount: minorToDecimal(amount, payment.currency),
          currency: payment.currency,
          reason: `NeoCart order ${orderId}`,
        },
        `neocart-refund-${payment.id}-${payment.refundedMinor}-${amount}`,
      );
      return response.refund.id;
    });
  }
}
