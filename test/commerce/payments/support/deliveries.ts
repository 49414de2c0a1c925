// Webhook deliveries built exactly as each provider builds them: the JSON body it sends and the
// signature headers over those bytes (Stripe's through the official SDK's test-header helper).
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import Stripe from "stripe";

export type Delivery = { body: Buffer; headers: Record<string, string> };

const hmacHex = (secret: string, data: string | Buffer) => createHmac("sha256", secret).update(data).digest("hex");
const nowSeconds = () => Math.floor(Date.now() / 1000);
const stripeSdk = new Stripe("sk_test_signing_only");

export function stripeEventBody(
  type: string,
  object: Record<string, unknown>,
  eventId = `evt_${randomBytes(12).toString("hex")}`,
) {
  return {
    id: eventId,
    object: "event",
    api_version: "2026-10-28.endive",
    created: nowSeconds(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

export function stripeDelivery(event: object, secret: string, timestamp = nowSeconds()): Delivery {
  const body = JSON.stringify(event);
  const signature = stripeSdk.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  return { body: Buffer.from(body), headers: { "content-type": "application/json", "stripe-signature": signature } };
}

export function razorpayDelivery(event: object, secret: string, eventId = randomBytes(8).toString("hex")): Delivery {
  const body = JSON.stringify(event);
  return {
    body: Buffer.from(body),
    headers: {
      "content-type": "application/json",
      "x-razorpay-signature": hmacHex(secret, body),
      "x-razorpay-event-id": eventId,
    },
  };
}

/** Hook0 v1: HMAC over "t.h.<signed header values joined by '.'>.body", header names in h space-separated. */
export function hook0Delivery(
  event: { eventType: string } & Record<string, unknown>,
  secret: string,
  options: { eventId?: string; timestamp?: number } = {},
): Delivery {
  const body = JSON.stringify(event);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-event-id": options.eventId ?? randomUUID(),
    "x-event-type": event.eventType,
  };
  const names = ["content-type", "x-event-id", "x-event-type"];
  const t = options.timestamp ?? nowSeconds();
  const signed = `${t}.${names.join(" ")}.${names.map((n) => headers[n]).join(".")}.${body}`;
  headers["x-hook0-signature"] = `t=${t},h=${names.join(" ")},v1=${hmacHex(secret, signed)}`;
  return { body: Buffer.from(body), headers };
}

export function btcpayEventBody(
  type: string,
  invoiceId: string,
  storeId: string,
  orderId?: string,
  deliveryId = randomBytes(11).toString("base64url"),
) {
  return {
    deliveryId,
    webhookId: "wh_neocart",
    originalDeliveryId: deliveryId,
    isRedelivery: false,
    type,
    timestamp: nowSeconds(),
    storeId,
    invoiceId,
    metadata: orderId ? { orderId } : {},
    manuallyMarked: false,
    overPaid: false,
  };
}

export function btcpayDelivery(event: object, secret: string): Delivery {
  const body = JSON.stringify(event);
  return {
    body: Buffer.from(body),
    headers: { "content-type": "application/json", "btcpay-sig": `sha256=${hmacHex(secret, body)}` },
  };
}

/** The same delivery with one byte of the body changed after signing. */
export function tampered(delivery: Delivery): Delivery {
  const body = Buffer.from(delivery.body);
  const at = body.indexOf(Buffer.from('"'));
  body[at + 1] = (body[at + 1] ?? 0) ^ 1;
  return { body, headers: delivery.headers };
}

export function withoutHeader(delivery: Delivery, name: string): Delivery {
  const headers = { ...delivery.headers };
  delete headers[name];
  return { body: delivery.body, headers };
}
