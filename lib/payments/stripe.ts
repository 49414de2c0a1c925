// Stripe through its official SDK: cards and BNPL (Klarna, Afterpay/Clearpay, Affirm) as
// PaymentIntents (embedded form) or, when the caller asks for a hosted page, as Checkout Sessions
// in payment mode; subscriptions as Checkout Sessions; webhooks checked by
// stripe.webhooks.constructEvent with each accepted secret; refunds on the PaymentIntent (for a
// session, the one checkout.session.completed named, recorded in commerce.payment_captures).
// Subscription renewals arrive as invoice events (invoice.paid / invoice.payment_succeeded /
// invoice.payment_failed) and end with customer.subscription.deleted; ./subscriptions.ts records them.
import Stripe from "stripe";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { PaymentRequestError, ProviderRequestError, WebhookRejectedError } from "./errors.ts";
import { loadPayableOrder, recordPendingPayment, refundWithLock } from "./orders.ts";
import type {
  CreatedPayment,
  CreatePaymentInput,
  NormalizedEvent,
  NormalizedEventType,
  PaymentMethod,
  PaymentProvider,
  RefundInput,
  RefundResult,
  WebhookHeaders,
} from "./provider.ts";
import { createPaymentInputSchema, refundInputSchema } from "./provider.ts";
import type { StripeSettings } from "./settings.ts";
import { checkTimestamp, parseJsonBody, requireHeader } from "./signatures.ts";

// Since API 2026-xx `payment_method_types` is response-only; requests name `allowed_payment_method_types`.
const METHOD_TYPES: Partial<Record<PaymentMethod, Stripe.PaymentIntentCreateParams.AllowedPaymentMethodType[]>> = {
  card: ["card"],
  bnpl: ["klarna", "afterpay_clearpay", "affirm"],
};

const metadataSchema = z.object({ orderId: z.uuid().optional() }).catchall(z.unknown()).nullish();
const paymentIntentSchema = z.object({
  id: z.string(),
  amount: z.number().int(),
  amount_received: z.number().int().optional(),
  currency: z.string(),
  metadata: metadataSchema,
  payment_method_types: z.array(z.string()).optional(),
});
/** An expandable reference: the id, or the expanded object carrying it. */
const stripeRef = z.union([z.string(), z.object({ id: z.string() }).transform((o) => o.id)]);
const checkoutSessionSchema = z.object({
  id: z.string(),
  /** Payment mode: the PaymentIntent that took the money (refunds are made on it). */
  payment_intent: stripeRef.nullish(),
  amount_total: z.number().int().nullable(),
  currency: z.string().nullable(),
  payment_status: z.string(),
  metadata: metadataSchema,
  /** Set in subscription mode: the subscription this session started. */
  subscription: stripeRef.nullish(),
});
// Invoice fields we read, in both shapes Stripe sends: since API version 2025-03-31.basil the
// subscription is under parent.subscription_details; a webhook endpoint pinned to an older
// version still gets the top-level `subscription` and `subscription_details`.
const invoiceSchema = z.object({
  id: z.string(),
  amount_paid: z.number().int(),
  amount_due: z.number().int().optional(),
  currency: z.string(),
  billing_reason: z.string().nullish(),
  parent: z
    .object({
      subscription_details: z.object({ subscription: stripeRef, metadata: metadataSchema }).nullish(),
    })
    .nullish(),
  subscription: stripeRef.nullish(),
  subscription_details: z.object({ metadata: metadataSchema }).nullish(),
  lines: z
    .object({
      data: z.array(z.object({ period: z.object({ start: z.number().int(), end: z.number().int() }).nullish() })),
    })
    .nullish(),
});
const subscriptionSchema = z.object({ id: z.string(), status: z.string(), metadata: metadataSchema });
const chargeSchema = z.object({
  payment_intent: z.string().nullable(),
  amount_refunded: z.number().int(),
  currency: z.string(),
  metadata: metadataSchema,
});

function toProviderError(error: unknown): ProviderRequestError {
  if (error instanceof Stripe.errors.StripeError) {
    return new ProviderRequestError("stripe", `Stripe refused the request: ${error.message}`, error.statusCode);
  }
  return new ProviderRequestError("stripe", `Stripe could not be reached: ${(error as Error).message}`);
}

/** The Stripe client pointed at `apiUrl` (the real API, or any server speaking its protocol). */
export function createStripeClient(settings: StripeSettings): Stripe {
  const url = new URL(settings.apiUrl);
  return new Stripe(settings.secretKey, {
    host: url.hostname,
    port: url.port || (url.protocol === "http:" ? 80 : 443),
    protocol: url.protocol === "http:" ? "http" : "https",
    maxNetworkRetries: 2,
    telemetry: false,
  });
}

export class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  readonly #settings: StripeSettings;
  readonly #stripe: Stripe;

  constructor(settings: StripeSettings) {
    this.#settings = settings;
    this.#stripe = createStripeClient(settings);
  }

  async createPayment(db: Db, input: CreatePaymentInput): Promise<CreatedPayment> {
    const { orderId, method, hosted, customerEmail } = createPaymentInputSchema.parse(input);
    const order = await loadPayableOrder(db, orderId);
    if (order.totalMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new PaymentRequestError(`Order ${orderId} total is too large for Stripe.`);
    }
    const amount = Number(order.totalMinor);
    const currency = order.currency.toLowerCase();
    // One provider object per order and method: a retried request returns the same one.
    const idempotencyKey = `neocart:order:${orderId}:${method}`;
    let created: CreatedPayment;
    try {
      if (method === "subscription") {
        const session = await this.#stripe.checkout.sessions.create(
          {
            mode: "subscription",
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency,
                  unit_amount: amount,
                  recurring: { interval: "month" },
                  product_data: { name: `NeoCart order ${orderId}` },
                },
              },
            ],
            client_reference_id: orderId,
            customer_email: customerEmail,
            metadata: { orderId },
            subscription_data: { metadata: { orderId } },
            success_url: hosted?.successUrl ?? `${this.#settings.returnUrl}/${orderId}?paid=1`,
            cancel_url: hosted?.cancelUrl ?? `${this.#settings.returnUrl}/${orderId}`,
          },
          { idempotencyKey },
        );
        created = {
          provider: this.name,
          providerPaymentId: session.id,
          amountMinor: order.totalMinor,
          currency: order.currency,
          redirectUrl: session.url ?? undefined,
        };
      } else {
        const types = METHOD_TYPES[method];
        if (!types)
          throw new PaymentRequestError(`Stripe does not take "${method}" here; use card, bnpl or subscription.`);
        if (hosted) {
          const session = await this.#stripe.checkout.sessions.create(
            {
              mode: "payment",
              allowed_payment_method_types: types,
              line_items: [
                {
                  quantity: 1,
                  price_data: { currency, unit_amount: amount, product_data: { name: `NeoCart order ${orderId}` } },
                },
              ],
              client_reference_id: orderId,
              customer_email: customerEmail,
              metadata: { orderId },
              // Echoed on the PaymentIntent's charges, so charge.refunded names the order too.
              payment_intent_data: { metadata: { orderId } },
              success_url: hosted.successUrl,
              cancel_url: hosted.cancelUrl,
            },
            // Not the PaymentIntent's key: the same key with other parameters is an error at Stripe.
            { idempotencyKey: `neocart:order:${orderId}:hosted:${method}` },
          );
          if (!session.url)
            throw new ProviderRequestError("stripe", "Stripe returned a Checkout Session without a URL.");
          created = {
            provider: this.name,
            providerPaymentId: session.id,
            amountMinor: order.totalMinor,
            currency: order.currency,
            redirectUrl: session.url,
          };
          await recordPendingPayment(db, orderId, method, created);
          return created;
        }
        const intent = await this.#stripe.paymentIntents.create(
          { amount, currency, allowed_payment_method_types: types, metadata: { orderId } },
          { idempotencyKey },
        );
        created = {
          provider: this.name,
          providerPaymentId: intent.id,
          amountMinor: order.totalMinor,
          currency: order.currency,
          clientSecret: intent.client_secret ?? undefined,
        };
      }
    } catch (error) {
      if (error instanceof PaymentRequestError || error instanceof ProviderRequestError) throw error;
      throw toProviderError(error);
    }
    await recordPendingPayment(db, orderId, method, created);
    return created;
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders, now = new Date()): Promise<NormalizedEvent> {
    const header = requireHeader(headers, "stripe-signature");
    const timestamp = /(?:^|,)t=(\d+)/.exec(header)?.[1];
    if (!timestamp)
      throw new WebhookRejectedError("Stripe-Signature has no t= timestamp; it is not a Stripe signature.");
    // constructEvent refuses stale timestamps but accepts future ones; we refuse both, with the reason.
    checkTimestamp(Number(timestamp), this.#settings.toleranceSeconds, now);
    let event: Stripe.Event | undefined;
    for (const secret of this.#settings.webhookSecrets) {
      try {
        event = this.#stripe.webhooks.constructEvent(
          rawBody,
          header,
          secret,
          this.#settings.toleranceSeconds,
          undefined,
          now.getTime(),
        );
        break;
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
      }
    }
    if (!event) {
      throw new WebhookRejectedError(
        "Stripe-Signature does not match the body with any configured webhook secret (wrong secret or altered body).",
      );
    }
    return normalizeStripeEvent(event, parseJsonBody(rawBody));
  }

  async refund(db: Db, input: RefundInput): Promise<RefundResult> {
    const { orderId, amountMinor } = refundInputSchema.parse(input);
    return refundWithLock(db, this.name, orderId, amountMinor, async (payment, amount) => {
      // A Checkout Session in payment mode is refunded on the PaymentIntent its completion named;
      // a subscription's session has none.
      const intentId =
        payment.captureId ?? (payment.providerPaymentId.startsWith("pi_") ? payment.providerPaymentId : undefined);
      if (!intentId) {
        throw new PaymentRequestError(
          `Payment ${payment.providerPaymentId} is a subscription; refund its invoices from the Stripe dashboard.`,
        );
      }
      try {
        const refund = await this.#stripe.refunds.create(
          { payment_intent: intentId, amount: Number(amount), metadata: { orderId } },
          // Same refund asked twice (a retry after a timeout) → Stripe answers with the first one.
          { idempotencyKey: `neocart:refund:${payment.id}:${payment.refundedMinor}:${amount}` },
        );
        return refund.id;
      } catch (error) {
        throw toProviderError(error);
      }
    });
  }
}

function normalizeStripeEvent(event: Stripe.Event, payload: unknown): NormalizedEvent {
  const base = { eventId: event.id, providerType: event.type, payload };
  const object: unknown = event.data.object;
  const minor = (n: number | null | undefined) => (typeof n === "number" ? BigInt(n) : undefined);
  const intentEvents: Record<string, NormalizedEventType> = {
    "payment_intent.succeeded": "payment.succeeded",
    "payment_intent.processing": "payment.pending",
    "payment_intent.payment_failed": "payment.failed",
  };
  const sessionEvents: Record<string, NormalizedEventType> = {
    "checkout.session.completed": "payment.succeeded",
    "checkout.session.async_payment_succeeded": "payment.succeeded",
    "checkout.session.async_payment_failed": "payment.failed",
    // Nobody paid within the session's lifetime (24 h by default): the order's payment is over.
    "checkout.session.expired": "payment.failed",
  };
  // Both names fire for every paid invoice (invoice.payment_succeeded is the older one); the
  // invoice id, not the event id, makes them count once.
  const invoiceEvents: Record<string, NormalizedEventType> = {
    "invoice.paid": "subscription.renewal_paid",
    "invoice.payment_succeeded": "subscription.renewal_paid",
    "invoice.payment_failed": "subscription.renewal_failed",
  };
  const parse = <T>(schema: z.ZodType<T>): T => {
    const result = schema.safeParse(object);
    if (!result.success) throw new WebhookRejectedError(`Stripe ${event.type} event has an unexpected shape.`);
    return result.data;
  };
  const intentType = intentEvents[event.type];
  if (intentType) {
    const intent = parse(paymentIntentSchema);
    return {
      ...base,
      type: intentType,
      providerPaymentId: intent.id,
      orderId: intent.metadata?.orderId,
      amountMinor: minor(intent.amount_received ?? intent.amount),
      currency: intent.currency.toUpperCase(),
      method: intent.payment_method_types?.join(","),
    };
  }
  const sessionType = sessionEvents[event.type];
  if (sessionType) {
    const session = parse(checkoutSessionSchema);
    // A completed session with a delayed method (some BNPL) is not paid yet.
    const type =
      sessionType === "payment.succeeded" && session.payment_status === "unpaid" ? "payment.pending" : sessionType;
    return {
      ...base,
      type,
      providerPaymentId: session.id,
      orderId: session.metadata?.orderId,
      amountMinor: minor(session.amount_total),
      currency: session.currency?.toUpperCase(),
      captureId: session.payment_intent ?? undefined,
      subscription: session.subscription ? { id: session.subscription } : undefined,
    };
  }
  const invoiceType = invoiceEvents[event.type];
  if (invoiceType) {
    const invoice = parse(invoiceSchema);
    const details = invoice.parent?.subscription_details;
    const subscriptionId = details?.subscription ?? invoice.subscription;
    // Not a subscription's invoice (one-off invoices are not how we bill), or its first invoice:
    // that period is the order's own payment, recorded from checkout.session.completed.
    if (!subscriptionId || invoice.billing_reason === "subscription_create") return { ...base, type: "ignored" };
    // The service period is on the subscription line items (the invoice's own period_start/end
    // is the usage period before it).
    const periods = (invoice.lines?.data ?? []).flatMap((line) => (line.period ? [line.period] : []));
    const at = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(seconds * 1000));
    return {
      ...base,
      type: invoiceType,
      providerPaymentId: invoice.id,
      orderId: (details?.metadata ?? invoice.subscription_details?.metadata)?.orderId,
      // Paid: what the shopper was charged; failed: what was due.
      amountMinor: BigInt(
        invoiceType === "subscription.renewal_paid" ? invoice.amount_paid : (invoice.amount_due ?? 0),
      ),
      currency: invoice.currency.toUpperCase(),
      method: "subscription",
      subscription: {
        id: subscriptionId,
        invoiceId: invoice.id,
        periodStart: at(periods.length ? Math.min(...periods.map((p) => p.start)) : undefined),
        periodEnd: at(periods.length ? Math.max(...periods.map((p) => p.end)) : undefined),
      },
    };
  }
  if (event.type === "customer.subscription.deleted") {
    const subscription = parse(subscriptionSchema);
    return {
      ...base,
      type: "subscription.canceled",
      orderId: subscription.metadata?.orderId,
      subscription: { id: subscription.id },
    };
  }
  if (event.type === "charge.refunded") {
    const charge = parse(chargeSchema);
    return {
      ...base,
      type: "payment.refunded",
      providerPaymentId: charge.payment_intent ?? undefined,
      orderId: charge.metadata?.orderId,
      amountMinor: BigInt(charge.amount_refunded),
      currency: charge.currency.toUpperCase(),
    };
  }
  return { ...base, type: "ignored" };
}
