// Card and BNPL on Stripe's hosted Checkout page, created by StripeProvider.createPayment (the one
// PaymentProvider interface) and driven through the official SDK against the local Stripe fake:
// the session sent, the PaymentIntent recorded when checkout.session.completed arrives, refunds
// of the session-paid order made on that PaymentIntent, Stripe's own charge.refunded for it, and
// an expired session failing the payment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PaymentRequestError } from "../../../lib/payments/errors.ts";
import { handleWebhook } from "../../../lib/payments/webhooks.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { stripeDelivery, stripeEventBody } from "./support/deliveries.ts";
import type { RecordedRequest } from "./support/fake-server.ts";
import { insertOrder, readOrderState } from "./support/fixtures.ts";
import { KEYS, SECRETS, startTestProviders, type TestProviders } from "./support/providers.ts";

let t: TestDatabase;
let p: TestProviders;
beforeAll(async () => {
  t = await createTestDatabase("payments-stripe-hosted", 5601);
  p = await startTestProviders();
});
afterAll(async () => {
  await p?.close();
  await t?.stop();
});

const hosted = {
  successUrl: "https://shop.example/checkout/return?order=1",
  cancelUrl: "https://shop.example/checkout/return?order=1&canceled=1",
};

function lastRequest(path: string): RecordedRequest {
  const found = p.fakes.stripe.requests.filter((r) => r.path === path).at(-1);
  if (!found) throw new Error(`the fake received no request on ${path}`);
  return found;
}

async function deliver(type: string, object: Record<string, unknown>) {
  const delivery = stripeDelivery(stripeEventBody(type, object), SECRETS.stripe.current);
  return handleWebhook(t.db, p.stripe, delivery.body, delivery.headers);
}

async function captureOf(orderId: string): Promise<string | undefined> {
  const { rows } = await t.db.$client.query(
    `select c.capture_id from commerce.payment_captures c join commerce.payments p on p.id = c.payment_id
     where p.order_id = $1`,
    [orderId],
  );
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0]?.capture_id;
}

/** A card order paid on the hosted page: the session created, then its completion delivered. */
async function paidHostedOrder(totalMinor: bigint) {
  const { orderId } = await insertOrder(t.db, { totalMinor });
  const created = await p.stripe.createPayment(t.db, { orderId, method: "card", hosted });
  const completed = p.fakes.stripe.completeCheckout(created.providerPaymentId);
  const answer = await deliver("checkout.session.completed", completed);
  expect(answer).toMatchObject({ status: 200, body: { outcome: "paid" } });
  return { orderId, sessionId: created.providerPaymentId, intentId: completed.payment_intent as string };
}

describe("stripe hosted checkout through the provider", () => {
  it("card: a payment-mode Checkout Session for the order total read from the database", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 4_321n, currency: "EUR" });
    const created = await p.stripe.createPayment(t.db, {
      orderId,
      method: "card",
      hosted,
      customerEmail: "guest@example.com",
    });
    const sent = lastRequest("/v1/checkout/sessions");
    expect(sent.headers.authorization).toBe(`Bearer ${KEYS.stripe}`);
    expect(sent.headers["idempotency-key"]).toBe(`neocart:order:${orderId}:hosted:card`);
    const form = p.fakes.stripe.form(sent);
    expect(form.get("mode")).toBe("payment");
    expect(form.get("allowed_payment_method_types[0]")).toBe("card");
    expect(form.get("line_items[0][price_data][unit_amount]")).toBe("4321");
    expect(form.get("line_items[0][price_data][currency]")).toBe("eur");
    expect(form.get("success_url")).toBe(hosted.successUrl);
    expect(form.get("cancel_url")).toBe(hosted.cancelUrl);
    expect(form.get("customer_email")).toBe("guest@example.com");
    expect(form.get("metadata[orderId]")).toBe(orderId);
    expect(form.get("payment_intent_data[metadata][orderId]")).toBe(orderId);
    expect(created.providerPaymentId).toMatch(/^cs_test_/);
    expect(created.redirectUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    expect(created.clientSecret).toBeUndefined();
    expect((await readOrderState(t.db, orderId)).payments).toEqual([
      expect.objectContaining({
        provider_payment_id: created.providerPaymentId,
        status: "pending",
        amount_minor: "4321",
      }),
    ]);
    // Asked again (a double submit), Stripe answers with the same session and nothing is doubled.
    const again = await p.stripe.createPayment(t.db, { orderId, method: "card", hosted });
    expect(again.providerPaymentId).toBe(created.providerPaymentId);
    expect((await readOrderState(t.db, orderId)).payments).toHaveLength(1);
  });

  it("bnpl: Klarna, Afterpay/Clearpay and Affirm on the hosted page", async () => {
    const { orderId } = await insertOrder(t.db);
    await p.stripe.createPayment(t.db, { orderId, method: "bnpl", hosted });
    const form = p.fakes.stripe.form(lastRequest("/v1/checkout/sessions"));
    expect(form.get("mode")).toBe("payment");
    expect([0, 1, 2].map((i) => form.get(`allowed_payment_method_types[${i}]`))).toEqual([
      "klarna",
      "afterpay_clearpay",
      "affirm",
    ]);
  });

  it("checkout.session.completed records its PaymentIntent once; refunds are made on it", async () => {
    const { orderId, sessionId, intentId } = await paidHostedOrder(5_000n);
    expect(intentId).toMatch(/^pi_/);
    expect(await captureOf(orderId)).toBe(intentId);
    // The same event delivered again (a retry with a new event id) changes nothing.
    const again = await deliver("checkout.session.completed", p.fakes.stripe.completeCheckout(sessionId));
    expect(again.body.outcome).toBe("already_paid");

    const partial = await p.stripe.refund(t.db, { orderId, amountMinor: 1_500n });
    expect(partial).toMatchObject({ amountMinor: 1_500n, refundedMinor: 1_500n });
    const refundForm = p.fakes.stripe.form(lastRequest("/v1/refunds"));
    expect(refundForm.get("payment_intent")).toBe(intentId);
    expect(refundForm.get("amount")).toBe("1500");
    const rest = await p.stripe.refund(t.db, { orderId });
    expect(rest.amountMinor).toBe(3_500n);
    const state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("refunded");
    expect(state.payments[0]).toMatchObject({ provider_payment_id: sessionId, refunded_minor: "5000" });

    // Stripe's charge.refunded names the PaymentIntent, not the session: it finds the payment
    // through the recorded capture and, the amount being ours already, counts once.
    const refunded = await deliver("charge.refunded", {
      id: "ch_hosted",
      payment_intent: intentId,
      amount_refunded: 5000,
      currency: "usd",
      metadata: { orderId },
    });
    expect(refunded.body.outcome).toBe("stale");
    expect((await readOrderState(t.db, orderId)).history.filter((s) => s === "refunded")).toHaveLength(1);
  });

  it("a refund made in Stripe's dashboard reaches the order through the PaymentIntent", async () => {
    const { orderId, intentId } = await paidHostedOrder(2_000n);
    const answer = await deliver("charge.refunded", {
      id: "ch_dashboard",
      payment_intent: intentId,
      amount_refunded: 500,
      currency: "usd",
      metadata: { orderId },
    });
    expect(answer.body.outcome).toBe("refunded");
    const state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("partially_refunded");
    expect(state.payments[0]).toMatchObject({ refunded_minor: "500" });
  });

  it("a subscription's session has no PaymentIntent: its refund is still refused with the reason", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 900n });
    const created = await p.stripe.createPayment(t.db, { orderId, method: "subscription", hosted });
    const completed = p.fakes.stripe.completeCheckout(created.providerPaymentId);
    expect(completed.payment_intent).toBeNull();
    expect((await deliver("checkout.session.completed", completed)).body.outcome).toBe("paid");
    await expect(p.stripe.refund(t.db, { orderId })).rejects.toThrow(PaymentRequestError);
    await expect(p.stripe.refund(t.db, { orderId })).rejects.toThrow(/subscription/);
  });

  it("an expired session fails the payment, and a late duplicate changes nothing", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 700n });
    const created = await p.stripe.createPayment(t.db, { orderId, method: "card", hosted });
    const expired = {
      id: created.providerPaymentId,
      object: "checkout.session",
      mode: "payment",
      status: "expired",
      payment_status: "unpaid",
      amount_total: 700,
      currency: "usd",
      metadata: { orderId },
      payment_intent: null,
    };
    expect((await deliver("checkout.session.expired", expired)).body.outcome).toBe("failed");
    expect((await deliver("checkout.session.expired", expired)).body.outcome).toBe("stale");
    const state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("payment_failed");
    expect(state.payments[0]).toMatchObject({ status: "failed" });
    expect(await captureOf(orderId)).toBeUndefined();
  });
});
