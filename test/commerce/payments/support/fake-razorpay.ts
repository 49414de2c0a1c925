// Razorpay's wire format as its SDK speaks it: JSON under /v1 with HTTP Basic (key id : secret);
// errors as {error: {code, description}}. `capture` plays the shopper paying an order.
import { randomBytes } from "node:crypto";
import { type FakeServer, reply, startFakeServer } from "./fake-server.ts";

const id = (prefix: string) => `${prefix}_${randomBytes(7).toString("base64url")}`;
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

export type FakeRazorpay = FakeServer & { capture(orderId: string, method: "upi" | "card"): Payment };

export async function startFakeRazorpay(keyId: string, keySecret: string): Promise<FakeRazorpay> {
  const orders = new Map<string, { amount: number; currency: string }>();
  const payments = new Map<string, Payment>();
  const expectedAuth = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString("base64")}`;
  const server = await startFakeServer((request) => {
    if (request.headers.authorization !== expectedAuth) {
      return rzpError(401, "Authentication failed", "BAD_REQUEST_ERROR");
    }
    const body = request.rawBody ? (JSON.parse(request.rawBody) as Record<string, unknown>) : {};
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
  return {
    ...server,
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
