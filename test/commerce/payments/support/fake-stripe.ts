// Stripe's wire format as the official SDK speaks it: form-encoded POSTs under /v1, Bearer secret
// key, Idempotency-Key header; JSON objects back; errors as {error: {type, code, message}}.
// Billing: a subscription-mode Checkout Session, once `completeCheckout` plays the shopper paying,
// starts a subscription (metadata from subscription_data[metadata]) whose invoices the test turns
// into webhook events: `renewInvoice` (the next period), `payInvoice` (a retry that succeeds),
// `cancel`. Objects have the shape of the SDK's API version (2026-10-28.endive): an invoice names
// its subscription under parent.subscription_details; `legacyShape` gives the pre-2025-03-31
// shape (top-level `subscription`) a webhook endpoint pinned to an older version receives.
import { randomBytes } from "node:crypto";
import { type FakeServer, type RecordedRequest, reply, startFakeServer } from "./fake-server.ts";

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const stripeError = (status: number, type: string, message: string, code?: string) =>
  reply(status, { error: { type, code, message } });

type Session = { id: string; mode: string; amount: number; currency: string; metadata: Record<string, string> };
type Subscription = {
  id: string;
  customer: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  status: string;
  periodStart: number;
  periodEnd: number;
};
type Invoice = Record<string, unknown> & { id: string };

const DAY = 24 * 60 * 60;
const metadataOf = (form: URLSearchParams, prefix: string) =>
  Object.fromEntries(
    [...form.entries()].flatMap(([k, v]) => {
      const key = k.startsWith(`${prefix}[`) ? k.slice(prefix.length + 1, -1) : undefined;
      return key && !key.includes("[") ? [[key, v]] : [];
    }),
  );

export type FakeStripe = FakeServer & {
  form(request: RecordedRequest): URLSearchParams;
  /**
   * The Checkout Session object of checkout.session.completed; in subscription mode it starts one,
   * in payment mode it creates the PaymentIntent that took the money (`payment_intent`).
   */
  completeCheckout(
    sessionId: string,
  ): Record<string, unknown> & { subscription: string | null; payment_intent: string | null };
  /** The subscription's first invoice (billing_reason subscription_create), paid at checkout. */
  firstInvoice(subscriptionId: string, options?: { legacyShape?: boolean }): Invoice;
  /** The next period's invoice: paid (charged `amountPaid`, default the price) or its payment failed. */
  renewInvoice(
    subscriptionId: string,
    options?: { paid?: boolean; amountPaid?: number; currency?: string; legacyShape?: boolean },
  ): Invoice;
  /** A failed invoice paid on a later attempt. */
  payInvoice(invoiceId: string): Invoice;
  /** The Subscription object of customer.subscription.deleted. */
  cancel(subscriptionId: string): Record<string, unknown>;
};

export async function startFakeStripe(secretKey: string): Promise<FakeStripe> {
  const intents = new Map<string, { amount: number; refunded: number; currency: string }>();
  const byIdempotencyKey = new Map<string, unknown>();
  const sessions = new Map<string, Session>();
  const subscriptions = new Map<string, Subscription>();
  const invoices = new Map<string, { invoice: Invoice; legacyShape: boolean }>();
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
      sessions.set(cs, {
        id: cs,
        mode: form.get("mode") ?? "payment",
        amount: Number(form.get("line_items[0][price_data][unit_amount]")),
        currency: form.get("line_items[0][price_data][currency]") ?? "usd",
        metadata:
          form.get("mode") === "subscription"
            ? metadataOf(form, "subscription_data[metadata]")
            : metadataOf(form, "metadata"),
      });
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
  const subscriptionOf = (subscriptionId: string) => {
    const sub = subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`fake stripe: no subscription ${subscriptionId}`);
    return sub;
  };
  /** An invoice of `sub` for the service period [start, end), in the current or the legacy shape. */
  const invoiceObject = (
    sub: Subscription,
    billingReason: string,
    amount: number,
    paid: boolean,
    currency: string,
    legacyShape: boolean,
  ): Invoice => {
    const inv = id("in");
    const line = {
      id: id("il"),
      object: "line_item",
      amount: sub.amount,
      currency,
      description: "1 × NeoCart subscription",
      invoice: inv,
      period: { start: sub.periodStart, end: sub.periodEnd },
      parent: {
        type: "subscription_item_details",
        subscription_item_details: { subscription: sub.id, subscription_item: id("si"), proration: false },
      },
    };
    const subscriptionRef = legacyShape
      ? { subscription: sub.id, subscription_details: { metadata: sub.metadata } }
      : {
          parent: {
            type: "subscription_details",
            quote_details: null,
            subscription_details: { subscription: sub.id, metadata: sub.metadata },
          },
        };
    const invoice: Invoice = {
      id: inv,
      object: "invoice",
      billing_reason: billingReason,
      collection_method: "charge_automatically",
      customer: sub.customer,
      currency,
      amount_due: sub.amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : sub.amount,
      attempt_count: 1,
      attempted: true,
      status: paid ? "paid" : "open",
      // The usage period before the invoice; the service period is on the lines.
      period_start: sub.periodStart - 30 * DAY,
      period_end: sub.periodStart,
      lines: { object: "list", data: [line], has_more: false, url: `/v1/invoices/${inv}/lines` },
      livemode: false,
      ...subscriptionRef,
    };
    invoices.set(inv, { invoice, legacyShape });
    return invoice;
  };
  return {
    ...server,
    form: (request) => new URLSearchParams(request.rawBody),
    completeCheckout(sessionId) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`fake stripe: no checkout session ${sessionId}`);
      let subscription: string | null = null;
      let invoice: string | null = null;
      let paymentIntent: string | null = null;
      if (session.mode === "payment") {
        // Paying a payment-mode session creates the PaymentIntent that holds the money (refunds go there).
        paymentIntent = id("pi");
        intents.set(paymentIntent, { amount: session.amount, refunded: 0, currency: session.currency });
      }
      if (session.mode === "subscription") {
        const now = Math.floor(Date.now() / 1000);
        const sub: Subscription = {
          id: id("sub"),
          customer: id("cus"),
          amount: session.amount,
          currency: session.currency,
          metadata: session.metadata,
          status: "active",
          periodStart: now,
          periodEnd: now + 30 * DAY,
        };
        subscriptions.set(sub.id, sub);
        subscription = sub.id;
        invoice = invoiceObject(sub, "subscription_create", sub.amount, true, sub.currency, false).id;
      }
      return {
        id: session.id,
        object: "checkout.session",
        mode: session.mode,
        status: "complete",
        payment_status: "paid",
        amount_total: session.amount,
        currency: session.currency,
        metadata: session.metadata,
        subscription,
        invoice,
        payment_intent: paymentIntent,
      };
    },
    firstInvoice(subscriptionId, options = {}) {
      const sub = subscriptionOf(subscriptionId);
      return invoiceObject(sub, "subscription_create", sub.amount, true, sub.currency, options.legacyShape ?? false);
    },
    renewInvoice(subscriptionId, options = {}) {
      const sub = subscriptionOf(subscriptionId);
      sub.periodStart = sub.periodEnd;
      sub.periodEnd += 30 * DAY;
      const paid = options.paid ?? true;
      if (!paid) sub.status = "past_due";
      return invoiceObject(
        sub,
        "subscription_cycle",
        options.amountPaid ?? sub.amount,
        paid,
        options.currency ?? sub.currency,
        options.legacyShape ?? false,
      );
    },
    payInvoice(invoiceId) {
      const found = invoices.get(invoiceId);
      if (!found) throw new Error(`fake stripe: no invoice ${invoiceId}`);
      const { invoice } = found;
      Object.assign(invoice, {
        status: "paid",
        amount_paid: invoice.amount_due,
        amount_remaining: 0,
        attempt_count: Number(invoice.attempt_count) + 1,
      });
      return invoice;
    },
    cancel(subscriptionId) {
      const sub = subscriptionOf(subscriptionId);
      sub.status = "canceled";
      const now = Math.floor(Date.now() / 1000);
      return {
        id: sub.id,
        object: "subscription",
        customer: sub.customer,
        status: "canceled",
        metadata: sub.metadata,
        canceled_at: now,
        ended_at: now,
        cancellation_details: { reason: "cancellation_requested", comment: null, feedback: null },
      };
    },
  };
}
