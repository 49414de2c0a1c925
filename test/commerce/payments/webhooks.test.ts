// Bad input at the webhook edge, for every provider: each refusal is a 400 with a message saying
// what is wrong, and changes nothing (no event recorded, order untouched). Also: the rotation
// window, amount/currency mismatches flagged instead of fulfilled, unknown events acknowledged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PaymentSettingsError } from "../../../lib/payments/errors.ts";
import type { PaymentProvider, ProviderName } from "../../../lib/payments/provider.ts";
import { loadPaymentSettings } from "../../../lib/payments/settings.ts";
import { handleWebhook } from "../../../lib/payments/webhooks.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import {
  btcpayDelivery,
  btcpayEventBody,
  type Delivery,
  hook0Delivery,
  razorpayDelivery,
  stripeDelivery,
  stripeEventBody,
  tampered,
  withoutHeader,
} from "./support/deliveries.ts";
import { countWebhookEvents, insertOrder, readOrderState } from "./support/fixtures.ts";
import { KEYS, SECRETS, startTestProviders, type TestProviders } from "./support/providers.ts";

let t: TestDatabase;
let p: TestProviders;
beforeAll(async () => {
  t = await createTestDatabase("payments-webhooks", 5532);
  p = await startTestProviders();
});
afterAll(async () => {
  await p?.close();
  await t?.stop();
});

type Paid = { amountMinor?: bigint; currency?: string; timestamp?: number };
type Case = {
  provider: () => PaymentProvider;
  method: "card" | "upi" | "crypto" | "bitcoin";
  signatureHeader: string;
  signsTimestamp: boolean;
  /** A "payment succeeded" delivery for a payment, signed with `secret`. */
  paid(
    payment: { orderId: string; providerPaymentId: string; totalMinor: bigint },
    secret: string,
    options?: Paid,
  ): Delivery;
  unknownEvent(secret: string): Delivery;
};

const cases: Record<Exclude<ProviderName, never>, Case> = {
  stripe: {
    provider: () => p.stripe,
    method: "card",
    signatureHeader: "stripe-signature",
    signsTimestamp: true,
    paid: (pay, secret, o = {}) =>
      stripeDelivery(
        stripeEventBody("payment_intent.succeeded", {
          id: pay.providerPaymentId,
          object: "payment_intent",
          amount: Number(pay.totalMinor),
          amount_received: Number(o.amountMinor ?? pay.totalMinor),
          currency: (o.currency ?? "USD").toLowerCase(),
          metadata: { orderId: pay.orderId },
        }),
        secret,
        o.timestamp,
      ),
    unknownEvent: (secret) =>
      stripeDelivery(stripeEventBody("customer.created", { id: "cus_1", object: "customer" }), secret),
  },
  razorpay: {
    provider: () => p.razorpay,
    // A Razorpay order (Checkout): card is order-based by default; payment_link.* is in razorpay-links.test.ts.
    method: "card",
    signatureHeader: "x-razorpay-signature",
    signsTimestamp: false,
    paid: (pay, secret, o = {}) =>
      razorpayDelivery(
        {
          entity: "event",
          event: "payment.captured",
          contains: ["payment"],
          payload: {
            payment: {
              entity: {
                id: "pay_test",
                entity: "payment",
                order_id: pay.providerPaymentId,
                amount: Number(o.amountMinor ?? pay.totalMinor),
                currency: o.currency ?? "USD",
                status: "captured",
                method: "upi",
                notes: { orderId: pay.orderId },
              },
            },
          },
          created_at: Math.floor(Date.now() / 1000),
        },
        secret,
      ),
    unknownEvent: (secret) =>
      razorpayDelivery({ entity: "event", event: "payment.dispute.created", payload: {} }, secret),
  },
  coinbase: {
    provider: () => p.coinbase,
    method: "crypto",
    signatureHeader: "x-hook0-signature",
    signsTimestamp: true,
    paid: (pay, secret, o = {}) => {
      const minor = o.amountMinor ?? pay.totalMinor;
      const amount = `${minor / 100n}.${(minor % 100n).toString().padStart(2, "0")}`;
      return hook0Delivery(
        {
          id: pay.providerPaymentId,
          amount,
          currency: o.currency ?? "USD",
          status: "COMPLETED",
          eventType: "checkout.payment.success",
          metadata: { orderId: pay.orderId },
        },
        secret,
        { timestamp: o.timestamp },
      );
    },
    unknownEvent: (secret) =>
      hook0Delivery(
        {
          id: "0123456789abcdef01234567",
          amount: "1.00",
          currency: "USDC",
          status: "ACTIVE",
          eventType: "checkout.created",
        },
        secret,
      ),
  },
  btcpay: {
    provider: () => p.btcpay,
    method: "bitcoin",
    signatureHeader: "btcpay-sig",
    signsTimestamp: false,
    paid: (pay, secret) => {
      p.fakes.btcpay.settle(pay.providerPaymentId);
      return btcpayDelivery(
        btcpayEventBody("InvoiceSettled", pay.providerPaymentId, KEYS.btcpay.store, pay.orderId),
        secret,
      );
    },
    unknownEvent: (secret) =>
      btcpayDelivery(btcpayEventBody("InvoiceCreated", "inv_unknown", KEYS.btcpay.store), secret),
  },
};

async function pendingPayment(c: Case) {
  const order = await insertOrder(t.db, { totalMinor: 10_000n });
  const created = await c.provider().createPayment(t.db, { orderId: order.orderId, method: c.method });
  return { ...order, providerPaymentId: created.providerPaymentId };
}

const send = (c: Case, d: Delivery) => handleWebhook(t.db, c.provider(), d.body, d.headers);

for (const [name, c] of Object.entries(cases)) {
  describe(`${name} webhooks: bad input`, () => {
    const rejects = async (make: (pay: Awaited<ReturnType<typeof pendingPayment>>) => Delivery, message: RegExp) => {
      const pay = await pendingPayment(c);
      const eventsBefore = await countWebhookEvents(t.db, name);
      const answer = await send(c, make(pay));
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(message);
      expect(await countWebhookEvents(t.db, name)).toBe(eventsBefore);
      const state = await readOrderState(t.db, pay.orderId);
      expect(state.status).toBe("pending_payment");
      expect(state.payments[0]?.status).toBe("pending");
    };

    it("missing signature header → 400", () =>
      rejects(
        (pay) => withoutHeader(c.paid(pay, SECRETS[name as ProviderName].current), c.signatureHeader),
        /Missing .* header/,
      ));

    it("signed with a wrong secret → 400", () =>
      rejects((pay) => c.paid(pay, SECRETS[name as ProviderName].wrong), /does not match/));

    it("body altered after signing → 400", () =>
      rejects((pay) => tampered(c.paid(pay, SECRETS[name as ProviderName].current)), /does not match|not JSON/));

    it("malformed signature header → 400", () =>
      rejects(
        (pay) => ({
          ...c.paid(pay, SECRETS[name as ProviderName].current),
          headers: { [c.signatureHeader]: "garbage" },
        }),
        /./,
      ));

    if (c.signsTimestamp) {
      it("stale timestamp (10 minutes old) → 400", () =>
        rejects(
          (pay) =>
            c.paid(pay, SECRETS[name as ProviderName].current, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
          /old/,
        ));

      it("future timestamp (10 minutes ahead) → 400", () =>
        rejects(
          (pay) =>
            c.paid(pay, SECRETS[name as ProviderName].current, { timestamp: Math.floor(Date.now() / 1000) + 600 }),
          /future/,
        ));
    }

    it("rotation window: a delivery signed with the previous secret is accepted", async () => {
      const pay = await pendingPayment(c);
      const answer = await send(c, c.paid(pay, SECRETS[name as ProviderName].previous));
      expect(answer).toMatchObject({ status: 200, body: { received: true, outcome: "paid" } });
      expect((await readOrderState(t.db, pay.orderId)).status).toBe("paid");
    });

    it("unknown event type → 200, recorded as ignored, nothing else changes", async () => {
      const answer = await send(c, c.unknownEvent(SECRETS[name as ProviderName].current));
      expect(answer).toMatchObject({ status: 200, body: { received: true, outcome: "ignored" } });
    });
  });
}

describe("webhooks: amount or currency not matching the order", () => {
  it("a Stripe payment 1 cent short is flagged, the order is not paid", async () => {
    const pay = await pendingPayment(cases.stripe);
    const answer = await send(cases.stripe, cases.stripe.paid(pay, SECRETS.stripe.current, { amountMinor: 9_999n }));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "flagged" } });
    const state = await readOrderState(t.db, pay.orderId);
    expect(state.status).toBe("payment_review");
    expect(state.history).not.toContain("paid");
    expect(state.payments[0]).toMatchObject({ status: "flagged", flagged_reason: "amount 9999 ≠ order total 10000" });
  });

  it("a Coinbase payment in another currency is flagged, the order is not paid", async () => {
    const pay = await pendingPayment(cases.coinbase);
    const answer = await send(cases.coinbase, cases.coinbase.paid(pay, SECRETS.coinbase.current, { currency: "EUR" }));
    expect(answer.body.outcome).toBe("flagged");
    expect((await readOrderState(t.db, pay.orderId)).payments[0]?.flagged_reason).toBe(
      "currency EUR ≠ order currency USD",
    );
  });

  it("a Razorpay payment with both wrong is flagged with both reasons", async () => {
    const pay = await pendingPayment(cases.razorpay);
    await send(
      cases.razorpay,
      cases.razorpay.paid(pay, SECRETS.razorpay.current, { amountMinor: 1n, currency: "INR" }),
    );
    expect((await readOrderState(t.db, pay.orderId)).payments[0]?.flagged_reason).toBe(
      "currency INR ≠ order currency USD; amount 1 ≠ order total 10000",
    );
  });

  it("a BTCPay invoice whose amount was changed on the server is flagged", async () => {
    const pay = await pendingPayment(cases.btcpay);
    const invoice = p.fakes.btcpay.invoices.get(pay.providerPaymentId);
    if (invoice) invoice.amount = "1.00";
    await send(cases.btcpay, cases.btcpay.paid(pay, SECRETS.btcpay.current));
    expect((await readOrderState(t.db, pay.orderId)).status).toBe("payment_review");
  });

  it("an event for a payment we never created is acknowledged and logged as unknown_payment", async () => {
    const event = stripeEventBody("payment_intent.succeeded", {
      id: "pi_not_ours",
      amount: 1,
      amount_received: 1,
      currency: "usd",
      metadata: {},
    });
    const answer = await send(cases.stripe, stripeDelivery(event, SECRETS.stripe.current));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "unknown_payment" } });
  });
});

describe("payment settings", () => {
  it("a half-configured provider is refused with the variable to set", () => {
    expect(() => loadPaymentSettings({ STRIPE_SECRET_KEY: "sk_test_x" })).toThrow(PaymentSettingsError);
    expect(() => loadPaymentSettings({ STRIPE_SECRET_KEY: "sk_test_x" })).toThrow(/stripe\.webhookSecrets/);
    expect(() => loadPaymentSettings({ BTCPAY_WEBHOOK_SECRET: "s" })).toThrow(/btcpay\.serverUrl/);
  });

  it("no variables → no providers", () => {
    expect(loadPaymentSettings({})).toEqual({});
  });
});
