// Card and BNPL through Stripe's hosted Checkout page (mode "payment"), so the shopper pays on
// Stripe's page and the order is settled by the signed checkout.session.completed webhook, which
// lib/payments already applies (the payment row's id is the session id). StripeProvider makes
// PaymentIntents for card/BNPL, which need Stripe.js embedded in our page instead; this belongs in
// lib/payments (a hosted option of StripeProvider) and should move there.
import Stripe from "stripe";
import type { Db } from "../db/client.ts";
import { PaymentRequestError, ProviderRequestError } from "../payments/errors.ts";
import { loadPayableOrder, recordPendingPayment } from "../payments/orders.ts";
import type { StripeSettings } from "../payments/settings.ts";
import { createStripeClient } from "../payments/stripe.ts";

const METHOD_TYPES: Record<"card" | "bnpl", Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[]> = {
  card: ["card"],
  bnpl: ["klarna", "afterpay_clearpay", "affirm"],
};

export async function createStripeHostedCheckout(
  db: Db,
  settings: StripeSettings,
  args: { orderId: string; method: "card" | "bnpl"; successUrl: string; cancelUrl: string; email?: string },
): Promise<string> {
  const order = await loadPayableOrder(db, args.orderId);
  if (order.totalMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PaymentRequestError(`Order ${args.orderId} total is too large for Stripe.`);
  }
  let session: Stripe.Checkout.Session;
  try {
    session = await createStripeClient(settings).checkout.sessions.create(
      {
        mode: "payment",
        // Since API 2026-xx `payment_method_types` is response-only; requests name the allowed types.
        allowed_payment_method_types: METHOD_TYPES[args.method],
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: order.currency.toLowerCase(),
              unit_amount: Number(order.totalMinor),
              product_data: { name: `NeoCart order ${args.orderId}` },
            },
          },
        ],
        client_reference_id: args.orderId,
        customer_email: args.email,
        metadata: { orderId: args.orderId },
        payment_intent_data: { metadata: { orderId: args.orderId } },
        success_url: args.successUrl,
        cancel_url: args.cancelUrl,
      },
      // A retried submit for the same order and method gets the same session back.
      { idempotencyKey: `neocart:order:${args.orderId}:hosted:${args.method}` },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new ProviderRequestError("stripe", `Stripe refused the request: ${error.message}`, error.statusCode);
    }
    throw new ProviderRequestError("stripe", `Stripe could not be reached: ${(error as Error).message}`);
  }
  if (!session.url) throw new ProviderRequestError("stripe", "Stripe returned a Checkout Session without a URL.");
  await recordPendingPayment(db, args.orderId, args.method, {
    provider: "stripe",
    providerPaymentId: session.id,
    amountMinor: order.totalMinor,
    currency: order.currency,
    redirectUrl: session.url,
  });
  return session.url;
}
