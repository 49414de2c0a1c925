// Each provider end to end against a local fake of its API, driven through the official SDK
// (Stripe, Razorpay) or our REST client (Coinbase, BTCPay): what was sent (amounts from the DB
// order, auth), what was recorded, the webhook that settles it and full/partial refunds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKey } from "../../../lib/payments/coinbase.ts";
import { PaymentRequestError, ProviderRequestError } from "../../../lib/payments/errors.ts";
import { StripeProvider } from "../../../lib/payments/stripe.ts";
import { handleWebhook } from "../../../lib/payments/webhooks.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import {
  btcpayDelivery,
  btcpayEventBody,
  hook0Delivery,
  razorpayDelivery,
  stripeDelivery,
  stripeEventBody,
} from "./support/deliveries.ts";
import type { RecordedRequest } from "./support/fake-server.ts";
import { insertOrder, readOrderState } from "./support/fixtures.ts";
import { KEYS, SECRETS, startTestProviders, type TestProviders } from "./support/providers.ts";

let t: TestDatabase;
let p: TestProviders;
beforeAll(async () => {
  t = await createTestDatabase("payments-providers", 5531);
  p = await startTestProviders();
});
afterAll(async () => {
  await p?.close();
  await t?.stop();
});

/** The last request the fake received on `path`; fails the test when there was none. */
function lastRequest(fake: { requests: RecordedRequest[] }, path: string | RegExp): RecordedRequest {
  const found = fake.requests.filter((r) => (typeof path === "string" ? r.path === path : path.test(r.path))).at(-1);
  if (!found) throw new Error(`the fake received no request on ${path}`);
  return found;
}
const jsonOf = (request: RecordedRequest) => JSON.parse(request.rawBody) as unknown;

describe("stripe", () => {
  it("card: a PaymentIntent for the order total read from the database, idempotent per order", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 12_345n, currency: "EUR" });
    const created = await p.stripe.createPayment(t.db, { orderId, method: "card" });
    const sent = lastRequest(p.fakes.stripe, "/v1/payment_intents");
    expect(sent.headers.authorization).toBe(`Bearer ${KEYS.stripe}`);
    expect(sent.headers["idempotency-key"]).toBe(`neocart:order:${orderId}:card`);
    const form = p.fakes.stripe.form(sent);
    expect(form.get("amount")).toBe("12345");
    expect(form.get("currency")).toBe("eur");
    expect(form.get("allowed_payment_method_types[0]")).toBe("card");
    expect(form.get("metadata[orderId]")).toBe(orderId);
    expect(created.clientSecret).toMatch(/^pi_.*_secret_/);
    const state = await readOrderState(t.db, orderId);
    expect(state.payments).toEqual([
      expect.objectContaining({
        provider: "stripe",
        provider_payment_id: created.providerPaymentId,
        status: "pending",
        amount_minor: "12345",
        currency: "EUR",
      }),
    ]);
  });

  it("bnpl: Klarna, Afterpay/Clearpay and Affirm are the allowed methods", async () => {
    const { orderId } = await insertOrder(t.db);
    await p.stripe.createPayment(t.db, { orderId, method: "bnpl" });
    const form = p.fakes.stripe.form(lastRequest(p.fakes.stripe, "/v1/payment_intents"));
    expect([0, 1, 2].map((i) => form.get(`allowed_payment_method_types[${i}]`))).toEqual([
      "klarna",
      "afterpay_clearpay",
      "affirm",
    ]);
  });

  it("payment_intent.succeeded pays the order; refunds partial then full reach Stripe and our books", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 5_000n });
    const { providerPaymentId } = await p.stripe.createPayment(t.db, { orderId, method: "card" });
    const event = stripeEventBody("payment_intent.succeeded", {
      id: providerPaymentId,
      object: "payment_intent",
      amount: 5000,
      amount_received: 5000,
      currency: "usd",
      metadata: { orderId },
      payment_method_types: ["card"],
    });
    const answer = await handleWebhook(t.db, p.stripe, ...deliver(stripeDelivery(event, SECRETS.stripe.current)));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "paid" } });
    expect((await readOrderState(t.db, orderId)).status).toBe("paid");

    const partial = await p.stripe.refund(t.db, { orderId, amountMinor: 1_200n });
    expect(partial.refundedMinor).toBe(1_200n);
    expect(p.fakes.stripe.form(lastRequest(p.fakes.stripe, "/v1/refunds")).get("amount")).toBe("1200");
    const rest = await p.stripe.refund(t.db, { orderId });
    expect(rest.amountMinor).toBe(3_800n);
    const state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("refunded");
    expect(state.payments[0]).toMatchObject({ status: "refunded", refunded_minor: "5000" });
    await expect(p.stripe.refund(t.db, { orderId, amountMinor: 1n })).rejects.toThrow(PaymentRequestError);

    // Stripe's own charge.refunded (cumulative 5000) after our refunds changes nothing more.
    const refunded = stripeEventBody("charge.refunded", {
      id: "ch_1",
      payment_intent: providerPaymentId,
      amount_refunded: 5000,
      currency: "usd",
    });
    const again = await handleWebhook(t.db, p.stripe, ...deliver(stripeDelivery(refunded, SECRETS.stripe.current)));
    expect(again.body.outcome).toBe("stale");
    expect((await readOrderState(t.db, orderId)).history.filter((s) => s === "refunded")).toHaveLength(1);
  });

  it("two concurrent refunds of one payment run one after the other: no over-refund reaches Stripe", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 5_000n });
    const { providerPaymentId } = await p.stripe.createPayment(t.db, { orderId, method: "card" });
    const event = stripeEventBody("payment_intent.succeeded", {
      id: providerPaymentId,
      amount: 5000,
      amount_received: 5000,
      currency: "usd",
      metadata: { orderId },
    });
    await handleWebhook(t.db, p.stripe, ...deliver(stripeDelivery(event, SECRETS.stripe.current)));
    const before = p.fakes.stripe.requests.filter((r) => r.path === "/v1/refunds").length;
    const results = await Promise.allSettled([
      p.stripe.refund(t.db, { orderId, amountMinor: 3_000n }),
      p.stripe.refund(t.db, { orderId, amountMinor: 3_000n }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")?.reason).toBeInstanceOf(PaymentRequestError);
    expect(p.fakes.stripe.requests.filter((r) => r.path === "/v1/refunds").length - before).toBe(1);
    expect((await readOrderState(t.db, orderId)).payments[0]).toMatchObject({
      refunded_minor: "3000",
      status: "partially_refunded",
    });
  });

  it("a second payment succeeding for an order already paid is flagged for refund, not applied", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 700n });
    const first = await p.stripe.createPayment(t.db, { orderId, method: "card" });
    const second = await p.stripe.createPayment(t.db, { orderId, method: "bnpl" });
    for (const id of [first.providerPaymentId, second.providerPaymentId]) {
      const event = stripeEventBody("payment_intent.succeeded", {
        id,
        amount: 700,
        amount_received: 700,
        currency: "usd",
        metadata: { orderId },
      });
      await handleWebhook(t.db, p.stripe, ...deliver(stripeDelivery(event, SECRETS.stripe.current)));
    }
    const state = await readOrderState(t.db, orderId);
    expect(state.history.filter((s) => s === "paid")).toHaveLength(1);
    expect(state.payments.find((x) => x.provider_payment_id === second.providerPaymentId)).toMatchObject({
      status: "flagged",
      flagged_reason: "order was already paid when this payment succeeded; refund it",
    });
  });

  it("subscription: a Checkout Session in subscription mode, paid by checkout.session.completed", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 999n });
    const created = await p.stripe.createPayment(t.db, { orderId, method: "subscription" });
    const form = p.fakes.stripe.form(lastRequest(p.fakes.stripe, "/v1/checkout/sessions"));
    expect(form.get("mode")).toBe("subscription");
    expect(form.get("line_items[0][price_data][unit_amount]")).toBe("999");
    expect(form.get("line_items[0][price_data][recurring][interval]")).toBe("month");
    expect(created.redirectUrl).toContain(created.providerPaymentId);
    const event = stripeEventBody("checkout.session.completed", {
      id: created.providerPaymentId,
      object: "checkout.session",
      amount_total: 999,
      currency: "usd",
      payment_status: "paid",
      metadata: { orderId },
    });
    const answer = await handleWebhook(t.db, p.stripe, ...deliver(stripeDelivery(event, SECRETS.stripe.current)));
    expect(answer.body.outcome).toBe("paid");
  });

  it("Stripe's refusal comes back as a ProviderRequestError with Stripe's message; paid orders are not paid twice", async () => {
    const { orderId } = await insertOrder(t.db);
    const wrongKey = new StripeProvider({ ...p.settings.stripe, secretKey: "sk_test_wrong" });
    await expect(wrongKey.createPayment(t.db, { orderId, method: "card" })).rejects.toThrow(/Invalid API Key/);
    await expect(wrongKey.createPayment(t.db, { orderId, method: "card" })).rejects.toBeInstanceOf(
      ProviderRequestError,
    );
    await t.db.$client.query("update commerce.orders set status = 'paid' where id = $1", [orderId]);
    await expect(p.stripe.createPayment(t.db, { orderId, method: "card" })).rejects.toThrow(
      /only an order awaiting payment/,
    );
  });
});

describe("razorpay", () => {
  it("Checkout (order flow): an order for the DB total with Basic auth; order.paid pays it; partial refund on the captured payment", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 49_900n, currency: "INR" });
    // createPayment makes a Payment Link for UPI (razorpay-links.test.ts); Razorpay Checkout's
    // script pays a Razorpay order, which createCheckoutOrder (and createPayment for card) makes.
    const created = await p.razorpay.createCheckoutOrder(t.db, { orderId, method: "upi" });
    const sent = lastRequest(p.fakes.razorpay, "/v1/orders");
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from(`${KEYS.razorpay.id}:${KEYS.razorpay.secret}`).toString("base64")}`,
    );
    expect(jsonOf(sent)).toMatchObject({
      amount: 49900,
      currency: "INR",
      receipt: orderId,
      notes: { orderId },
    });
    expect(created.providerPaymentId).toMatch(/^order_/);

    const payment = p.fakes.razorpay.capture(created.providerPaymentId, "upi");
    const event = {
      entity: "event",
      account_id: "acc_test",
      event: "order.paid",
      contains: ["payment", "order"],
      payload: {
        payment: { entity: { ...payment, entity: "payment", notes: { orderId } } },
        order: {
          entity: {
            id: created.providerPaymentId,
            entity: "order",
            amount: 49900,
            amount_paid: 49900,
            currency: "INR",
            notes: { orderId },
            status: "paid",
          },
        },
      },
      created_at: Math.floor(Date.now() / 1000),
    };
    const answer = await handleWebhook(t.db, p.razorpay, ...deliver(razorpayDelivery(event, SECRETS.razorpay.current)));
    expect(answer.body.outcome).toBe("paid");
    expect((await readOrderState(t.db, orderId)).payments[0]).toMatchObject({ status: "succeeded" });

    const refund = await p.razorpay.refund(t.db, { orderId, amountMinor: 10_000n });
    expect(refund.providerRefundId).toMatch(/^rfnd_/);
    expect(lastRequest(p.fakes.razorpay, `/v1/payments/${payment.id}/refund`).rawBody).toContain('"amount":10000');
    expect((await readOrderState(t.db, orderId)).status).toBe("partially_refunded");
  });

  it("Razorpay's error shape becomes a ProviderRequestError with its description", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 50n, currency: "INR" });
    await expect(p.razorpay.createPayment(t.db, { orderId, method: "card" })).rejects.toThrow(
      /less than minimum amount/,
    );
  });
});

describe("coinbase", () => {
  it("a checkout for the DB total, every request with a valid ES256 JWT bound to its method and path", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 12_345n });
    const created = await p.coinbase.createPayment(t.db, { orderId, method: "crypto" });
    const sent = lastRequest(p.fakes.coinbase, "/api/v1/checkouts");
    expect(jsonOf(sent)).toMatchObject({ amount: "123.45", currency: "USD", metadata: { orderId } });
    // CDP refuses any idempotency key that is not a UUID v4; ours is derived from the order, so a
    // retried create sends the same key and gets the same checkout back.
    const key = sent.headers["x-idempotency-key"];
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(key).toBe(idempotencyKey(`neocart-order-${orderId}`));
    const retried = await p.coinbase.createPayment(t.db, { orderId, method: "crypto" });
    expect(retried.providerPaymentId).toBe(created.providerPaymentId);
    expect(lastRequest(p.fakes.coinbase, "/api/v1/checkouts").headers["x-idempotency-key"]).toBe(key);
    expect((await readOrderState(t.db, orderId)).payments).toHaveLength(1);
    expect(p.fakes.coinbase.jwtChecks.at(-1)).toMatchObject({
      ok: true,
      claims: { sub: KEYS.coinbase.id, iss: "cdp" },
    });
    expect(created.redirectUrl).toContain("payment-links");

    const event = {
      id: created.providerPaymentId,
      amount: "123.45",
      currency: "USD",
      status: "COMPLETED",
      eventType: "checkout.payment.success",
      metadata: { orderId },
    };
    const answer = await handleWebhook(t.db, p.coinbase, ...deliver(hook0Delivery(event, SECRETS.coinbase.current)));
    expect(answer.body.outcome).toBe("paid");
    p.fakes.coinbase.complete(created.providerPaymentId);

    // Refund Checkout: {amount (≤ 2 decimals), currency, reason}; the answer's `refund` is the new one.
    const partial = await p.coinbase.refund(t.db, { orderId, amountMinor: 2_000n });
    const refund = lastRequest(p.fakes.coinbase, /\/refund$/);
    expect(refund.path).toBe(`/api/v1/checkouts/${created.providerPaymentId}/refund`);
    expect(jsonOf(refund)).toEqual({ amount: "20.00", currency: "USD", reason: `NeoCart order ${orderId}` });
    expect(refund.headers["x-idempotency-key"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(partial.providerRefundId).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.fakes.coinbase.jwtChecks.every((c) => c.ok)).toBe(true);
    expect((await readOrderState(t.db, orderId)).payments[0]).toMatchObject({
      refunded_minor: "2000",
      status: "partially_refunded",
    });
    const rest = await p.coinbase.refund(t.db, { orderId });
    expect(rest).toMatchObject({ amountMinor: 10_345n, refundedMinor: 12_345n });
    expect(rest.providerRefundId).not.toBe(partial.providerRefundId);
    expect((await readOrderState(t.db, orderId)).status).toBe("refunded");
  });

  it("a checkout Coinbase has not seen paid cannot be refunded: its refusal reaches the caller, nothing is recorded", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 500n });
    const created = await p.coinbase.createPayment(t.db, { orderId, method: "crypto" });
    const event = {
      id: created.providerPaymentId,
      amount: "5.00",
      currency: "USD",
      status: "COMPLETED",
      eventType: "checkout.payment.success",
      metadata: { orderId },
    };
    await handleWebhook(t.db, p.coinbase, ...deliver(hook0Delivery(event, SECRETS.coinbase.current)));
    // Our books say paid, Coinbase's checkout is still ACTIVE (the fake was not told it completed).
    await expect(p.coinbase.refund(t.db, { orderId })).rejects.toThrow(/ACTIVE checkout cannot be refunded/);
    expect((await readOrderState(t.db, orderId)).payments[0]).toMatchObject({
      refunded_minor: "0",
      status: "succeeded",
    });
  });

  it("a key Coinbase does not know is refused with its error message", async () => {
    const { CoinbaseProvider } = await import("../../../lib/payments/coinbase.ts");
    const other = new CoinbaseProvider({ ...p.settings.coinbase, apiKeyId: "organizations/x/apiKeys/unknown" });
    const { orderId } = await insertOrder(t.db);
    await expect(other.createPayment(t.db, { orderId, method: "crypto" })).rejects.toThrow(
      /Invalid JWT: wrong key id \(unauthorized\)/,
    );
  });
});

describe("btcpay", () => {
  it("an invoice for the DB total with `token` auth; InvoiceSettled is checked against the invoice; refund as a pull payment", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 250_000n });
    const created = await p.btcpay.createPayment(t.db, { orderId, method: "bitcoin" });
    const sent = lastRequest(p.fakes.btcpay, `/api/v1/stores/${KEYS.btcpay.store}/invoices`);
    expect(sent.headers.authorization).toBe(`token ${KEYS.btcpay.key}`);
    expect(jsonOf(sent)).toMatchObject({ amount: "2500.00", currency: "USD", metadata: { orderId } });

    p.fakes.btcpay.settle(created.providerPaymentId);
    const event = btcpayEventBody("InvoiceSettled", created.providerPaymentId, KEYS.btcpay.store, orderId);
    const answer = await handleWebhook(t.db, p.btcpay, ...deliver(btcpayDelivery(event, SECRETS.btcpay.current)));
    expect(answer.body.outcome).toBe("paid");
    expect(
      lastRequest(p.fakes.btcpay, `/api/v1/stores/${KEYS.btcpay.store}/invoices/${created.providerPaymentId}`).method,
    ).toBe("GET");

    await p.btcpay.refund(t.db, { orderId, amountMinor: 50_000n });
    const refund = lastRequest(p.fakes.btcpay, /\/refund$/);
    expect(refund.path).toBe(`/api/v1/stores/${KEYS.btcpay.store}/invoices/${created.providerPaymentId}/refund`);
    expect(jsonOf(refund)).toMatchObject({
      refundVariant: "Custom",
      customAmount: "500.00",
      customCurrency: "USD",
      payoutMethods: ["BTC-CHAIN"],
      payoutMethodId: "BTC-CHAIN",
    });
    expect(jsonOf(refund)).not.toHaveProperty("paymentMethod");
    await p.btcpay.refund(t.db, { orderId });
    expect(p.fakes.btcpay.pullPayments.at(-1)).toMatchObject({ currency: "USD", amount: "2000.00" });
    expect((await readOrderState(t.db, orderId)).status).toBe("refunded");
  });

  it("a full refund is a Fiat pull payment in the configured payout method (BTCPay 2.x field names)", async () => {
    const { BtcpayProvider } = await import("../../../lib/payments/btcpay.ts");
    // Lightning, not the invoice's default on-chain method: a body BTCPay 2.x does not read (the
    // 1.x `paymentMethod`) would fall back to BTC-CHAIN and this would fail.
    const lightning = new BtcpayProvider({ ...p.settings.btcpay, refundPaymentMethod: "BTC-LN" });
    const { orderId } = await insertOrder(t.db, { totalMinor: 4_200n, currency: "EUR" });
    const created = await lightning.createPayment(t.db, { orderId, method: "bitcoin" });
    p.fakes.btcpay.settle(created.providerPaymentId);
    const event = btcpayEventBody("InvoiceSettled", created.providerPaymentId, KEYS.btcpay.store, orderId);
    await handleWebhook(t.db, lightning, ...deliver(btcpayDelivery(event, SECRETS.btcpay.current)));

    const result = await lightning.refund(t.db, { orderId });
    const body = jsonOf(lastRequest(p.fakes.btcpay, /\/refund$/)) as Record<string, unknown>;
    // Fiat refunds the invoice currency; customAmount/customCurrency would be refused with it.
    expect(body).toMatchObject({ refundVariant: "Fiat", payoutMethods: ["BTC-LN"] });
    expect(body).not.toHaveProperty("customAmount");
    expect(body).not.toHaveProperty("customCurrency");
    expect(p.fakes.btcpay.pullPayments.at(-1)).toMatchObject({
      id: result.providerRefundId,
      invoiceId: created.providerPaymentId,
      payoutMethods: ["BTC-LN"],
      currency: "EUR",
      amount: "42.00",
    });
    expect((await readOrderState(t.db, orderId)).status).toBe("refunded");
  });

  it("a payout method the store does not support is refused by BTCPay (422) and nothing is recorded", async () => {
    const { BtcpayProvider } = await import("../../../lib/payments/btcpay.ts");
    const unsupported = new BtcpayProvider({ ...p.settings.btcpay, refundPaymentMethod: "LTC-CHAIN" });
    const { orderId } = await insertOrder(t.db, { totalMinor: 1_000n });
    const created = await unsupported.createPayment(t.db, { orderId, method: "bitcoin" });
    p.fakes.btcpay.settle(created.providerPaymentId);
    const event = btcpayEventBody("InvoiceSettled", created.providerPaymentId, KEYS.btcpay.store, orderId);
    await handleWebhook(t.db, unsupported, ...deliver(btcpayDelivery(event, SECRETS.btcpay.current)));
    await expect(unsupported.refund(t.db, { orderId })).rejects.toThrow(
      /PayoutMethods: Invalid or unsupported payout method: LTC-CHAIN/,
    );
    expect((await readOrderState(t.db, orderId)).payments[0]).toMatchObject({
      refunded_minor: "0",
      status: "succeeded",
    });
  });

  it("a wrong API key gets BTCPay's own error message; an order with nothing to pay never reaches BTCPay", async () => {
    const { BtcpayProvider } = await import("../../../lib/payments/btcpay.ts");
    const wrongKey = new BtcpayProvider({ ...p.settings.btcpay, apiKey: "not-the-key" });
    const { orderId } = await insertOrder(t.db);
    await expect(wrongKey.createPayment(t.db, { orderId, method: "bitcoin" })).rejects.toThrow(
      /Authentication is required/,
    );
    const before = p.fakes.btcpay.requests.length;
    await t.db.$client.query("update commerce.orders set total_minor = 0 where id = $1", [orderId]);
    await expect(p.btcpay.createPayment(t.db, { orderId, method: "bitcoin" })).rejects.toThrow(/nothing to pay/);
    expect(p.fakes.btcpay.requests.length).toBe(before);
  });
});

function deliver(d: { body: Buffer; headers: Record<string, string> }): [Buffer, Record<string, string>] {
  return [d.body, d.headers];
}
