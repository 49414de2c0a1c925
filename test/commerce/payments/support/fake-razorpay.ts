// Razorpay's wire format as its SDK speaks it: JSON under /v1 with HTTP Basic (key id : secret);
// errors as {error: {code, description}}. `capture` plays the shopper paying an order. Payment
// Links: POST /v1/payment_links, GET /v1/payment_links/:id, POST /v1/payment_links/:id/cancel;
// `payLink` plays the shopper paying one (a Razorpay order and a captured payment behind it, as
// Razorpay makes them) and returns the payment_link.paid event Razorpay would send.
// The rules enforced are the documented ones (https://razorpay.com/docs/api/payments/payment-links/):
// amount in subunits, reference_id unique per link and at most 40 characters, callback_method
// "get" with a callback_url, no partial payments on UPI links; the error descriptions are our own.
import { randomBytes } from "node:crypto";
import { type FakeServer, reply, startFakeServer } from "./fake-server.ts";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Razorpay ids: a prefix and 14 alphanumerics (order_FOGs9Hz3ZaAjsm). */
const id = (prefix: string) =>
  `${prefix}_${Array.from(randomBytes(14), (b) => alphabet[b % alphabet.length]).join("")}`;
const rzpError = (status: number, description: string, code = "BAD_REQUEST_ERROR") =>
  reply(status, {
    error: { code, description, source: "business", step: "payment_initiation", reason: "input_validation_failed" },
  });

type Payment = {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  status: string;
  method: string;
  amount_refunded: number;
};

export type PaymentLink = {
  id: string;
  entity: "payment_link";
  upi_link: boolean;
  amount: number;
  amount_paid: number;
  currency: string;
  accept_partial: boolean;
  reference_id: string | null;
  description: string;
  customer: Record<string, unknown>;
  notify: Record<string, unknown>;
  reminder_enable: boolean;
  notes: Record<string, unknown> | unknown[];
  callback_url: string;
  callback_method: string;
  short_url: string;
  status: "created" | "paid" | "cancelled" | "expired";
  order_id: string | null;
  payments: { payment_id: string; plink_id: string; amount: number; method: string; status: string }[] | null;
  options?: unknown;
  expire_by: number;
  expired_at: number;
  cancelled_at: number;
  created_at: number;
  updated_at: number;
  user_id: string;
};

export type RazorpayEvent = {
  entity: "event";
  account_id: string;
  event: string;
  contains: string[];
  payload: Record<string, { entity: Record<string, unknown> }>;
  created_at: number;
};

export type FakeRazorpay = FakeServer & {
  capture(orderId: string, method: "upi" | "card"): Payment;
  links: Map<string, PaymentLink>;
  /** The shopper pays the link: returns the payment_link.paid event (not yet signed or sent). */
  payLink(linkId: string, method?: string): RazorpayEvent;
  /** Razorpay cancels or expires the link: returns payment_link.cancelled / payment_link.expired. */
  endLink(linkId: string, how: "cancelled" | "expired"): RazorpayEvent;
};

const now = () => Math.floor(Date.now() / 1000);

/** A Payment Link as POST /v1/payment_links answers it (the documented entity), or why it is refused. */
export function newPaymentLink(body: Record<string, unknown>, shortUrlBase: string): PaymentLink | string {
  const amount = body.amount;
  if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 100) {
    return "amount must be an integer of at least 100 (subunits)";
  }
  const upi = body.upi_link === true || body.upi_link === "true";
  const currency = typeof body.currency === "string" ? body.currency : "INR";
  if (upi && currency !== "INR") return "UPI Payment Links take INR only";
  if (upi && body.accept_partial === true) return "partial payments are not available on UPI Payment Links";
  const referenceId = typeof body.reference_id === "string" ? body.reference_id : null;
  if (referenceId !== null && referenceId.length > 40) return "reference_id may be at most 40 characters";
  const callbackUrl = typeof body.callback_url === "string" ? body.callback_url : "";
  if (callbackUrl && body.callback_method !== "get") return "callback_method must be get when callback_url is sent";
  const linkId = id("plink");
  const created = now();
  return {
    id: linkId,
    entity: "payment_link",
    upi_link: upi,
    amount,
    amount_paid: 0,
    currency,
    accept_partial: body.accept_partial === true,
    reference_id: referenceId,
    description: typeof body.description === "string" ? body.description : "",
    customer: (body.customer as Record<string, unknown>) ?? {},
    notify: (body.notify as Record<string, unknown>) ?? { sms: false, email: false },
    reminder_enable: body.reminder_enable === true,
    notes: (body.notes as Record<string, unknown>) ?? [],
    callback_url: callbackUrl,
    callback_method: callbackUrl ? "get" : "",
    short_url: `${shortUrlBase}/i/${linkId.slice("plink_".length)}`,
    status: "created",
    order_id: null,
    payments: null,
    ...(body.options ? { options: body.options } : {}),
    expire_by: typeof body.expire_by === "number" ? body.expire_by : created + 180 * 24 * 3600,
    expired_at: 0,
    cancelled_at: 0,
    created_at: created,
    updated_at: created,
    user_id: "",
  };
}

/**
 * Pays a link as Razorpay does: an order and a captured payment behind it, the link `paid`, and the
 * payment_link.paid event with payload.payment_link, payload.payment and payload.order entities
 * (https://razorpay.com/docs/webhooks/payment-links/).
 */
export function payPaymentLink(link: PaymentLink, method: string): { event: RazorpayEvent; payment: Payment } {
  if (link.status !== "created") throw new Error(`fake razorpay: link ${link.id} is ${link.status}`);
  const orderId = id("order");
  const payment: Payment = {
    id: id("pay"),
    order_id: orderId,
    amount: link.amount,
    currency: link.currency,
    status: "captured",
    method,
    amount_refunded: 0,
  };
  link.status = "paid";
  link.amount_paid = link.amount;
  link.order_id = orderId;
  link.updated_at = now();
  link.payments = [{ payment_id: payment.id, plink_id: link.id, amount: payment.amount, method, status: "captured" }];
  const order = {
    id: orderId,
    entity: "order",
    amount: link.amount,
    amount_paid: link.amount,
    amount_due: 0,
    currency: link.currency,
    receipt: link.reference_id,
    offer_id: null,
    status: "paid",
    attempts: 1,
    notes: link.notes,
    created_at: now(),
  };
  const paymentEntity = {
    ...payment,
    entity: "payment",
    invoice_id: null,
    international: false,
    refund_status: null,
    captured: true,
    description: `#${link.id.slice("plink_".length)}`,
    card_id: null,
    bank: null,
    wallet: null,
    vpa: method === "upi" ? "shopper@okbank" : null,
    notes: [],
    fee: 0,
    tax: 0,
    error_code: null,
    error_description: null,
    created_at: now(),
  };
  return {
    payment,
    event: {
      entity: "event",
      account_id: "acc_NeoCartFake01",
      event: "payment_link.paid",
      contains: ["payment_link", "order", "payment"],
      payload: {
        payment_link: { entity: { ...link } },
        order: { entity: order },
        payment: { entity: paymentEntity },
      },
      created_at: now(),
    },
  };
}

export async function startFakeRazorpay(keyId: string, keySecret: string): Promise<FakeRazorpay> {
  const orders = new Map<string, { amount: number; currency: string }>();
  const payments = new Map<string, Payment>();
  const links = new Map<string, PaymentLink>();
  const expectedAuth = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString("base64")}`;
  let baseUrl = "";
  const server = await startFakeServer((request) => {
    if (request.headers.authorization !== expectedAuth) {
      return rzpError(401, "Authentication failed", "BAD_REQUEST_ERROR");
    }
    const body = request.rawBody ? (JSON.parse(request.rawBody) as Record<string, unknown>) : {};
    if (request.method === "POST" && /^\/v1\/payment_links\/?$/.test(request.path)) {
      const referenceId = body.reference_id;
      if (typeof referenceId === "string" && [...links.values()].some((l) => l.reference_id === referenceId)) {
        return rzpError(400, `reference_id ${referenceId} is already used by another Payment Link`);
      }
      const link = newPaymentLink(body, baseUrl);
      if (typeof link === "string") return rzpError(400, link);
      links.set(link.id, link);
      return reply(200, link);
    }
    const linkPath = /^\/v1\/payment_links\/(plink_[A-Za-z0-9]+)(\/cancel)?$/.exec(request.path);
    if (linkPath) {
      const link = links.get(linkPath[1] ?? "");
      if (!link) return rzpError(400, "The id provided does not exist");
      if (request.method === "GET" && !linkPath[2]) return reply(200, link);
      if (request.method === "POST" && linkPath[2]) {
        if (link.status !== "created") return rzpError(400, `A ${link.status} Payment Link cannot be cancelled`);
        link.status = "cancelled";
        link.cancelled_at = now();
        return reply(200, link);
      }
    }
    if (request.method === "POST" && request.path === "/v1/orders") {
      const amount = body.amount;
      if (typeof amount !== "number" || amount < 100)
        return rzpError(400, "Order amount less than minimum amount allowed");
      const order = {
        id: id("order"),
        entity: "order",
        amount,
        amount_paid: 0,
        amount_due: amount,
        currency: body.currency,
        receipt: body.receipt,
        status: "created",
        attempts: 0,
        notes: body.notes ?? [],
        created_at: Math.floor(Date.now() / 1000),
      };
      orders.set(order.id, { amount, currency: String(body.currency) });
      return reply(200, order);
    }
    const orderPayments = /^\/v1\/orders\/([^/]+)\/payments$/.exec(request.path);
    if (request.method === "GET" && orderPayments) {
      const items = [...payments.values()].filter((p) => p.order_id === orderPayments[1]);
      return reply(200, {
        entity: "collection",
        count: items.length,
        items: items.map((p) => ({ entity: "payment", ...p })),
      });
    }
    const refundPath = /^\/v1\/payments\/([^/]+)\/refund$/.exec(request.path);
    if (request.method === "POST" && refundPath) {
      const payment = payments.get(refundPath[1] ?? "");
      if (!payment) return rzpError(400, "The id provided does not exist");
      const amount = typeof body.amount === "number" ? body.amount : payment.amount - payment.amount_refunded;
      if (payment.amount_refunded + amount > payment.amount) {
        return rzpError(400, "The refund amount provided is greater than amount captured");
      }
      payment.amount_refunded += amount;
      return reply(200, {
        id: id("rfnd"),
        entity: "refund",
        amount,
        currency: payment.currency,
        payment_id: payment.id,
        status: "processed",
      });
    }
    return rzpError(404, "The requested URL was not found on the server.", "NOT_FOUND");
  });
  baseUrl = server.url;
  return {
    ...server,
    links,
    payLink(linkId, method = "upi") {
      const link = links.get(linkId);
      if (!link) throw new Error(`fake razorpay: no payment link ${linkId}`);
      const paid = payPaymentLink(link, method);
      payments.set(paid.payment.id, paid.payment);
      orders.set(paid.payment.order_id, { amount: link.amount, currency: link.currency });
      return paid.event;
    },
    endLink(linkId, how) {
      const link = links.get(linkId);
      if (!link) throw new Error(`fake razorpay: no payment link ${linkId}`);
      link.status = how;
      if (how === "cancelled") link.cancelled_at = now();
      else link.expired_at = now();
      return {
        entity: "event",
        account_id: "acc_NeoCartFake01",
        event: `payment_link.${how}`,
        contains: ["payment_link"],
        payload: { payment_link: { entity: { ...link } } },
        created_at: now(),
      };
    },
    capture(orderId, method) {
      const order = orders.get(orderId);
      if (!order) throw new Error(`fake razorpay: no order ${orderId}`);
      const payment = {
        id: id("pay"),
        order_id: orderId,
        amount: order.amount,
        currency: order.currency,
        status: "captured",
        method,
        amount_refunded: 0,
      };
      payments.set(payment.id, payment);
      return payment;
    },
  };
}
