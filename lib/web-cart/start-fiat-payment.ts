// Sends an order to its provider and returns the hosted page the shopper pays on.
import type { Db } from "../db/client.ts";
import { PaymentRequestError } from "../payments/errors.ts";
import { requireProvider } from "../payments/index.ts";
import { RazorpayProvider } from "../payments/razorpay.ts";
import type { FiatChoice } from "./fiat-methods.ts";
import { configuredPayments } from "./payment-providers.ts";
import { createStripeHostedCheckout } from "./stripe-hosted-checkout.ts";

export async function startFiatPayment(
  db: Db,
  args: { orderId: string; choice: FiatChoice; returnUrl: string; cancelUrl: string; email?: string | undefined },
): Promise<string> {
  const { settings, providers } = configuredPayments();
  const { choice, orderId } = args;
  if (choice.provider === "stripe" && (choice.id === "card" || choice.id === "bnpl") && settings.stripe) {
    return createStripeHostedCheckout(db, settings.stripe, {
      orderId,
      method: choice.id,
      successUrl: args.returnUrl,
      cancelUrl: args.cancelUrl,
      email: args.email,
    });
  }
  if (choice.provider === "razorpay" && choice.id === "upi" && settings.razorpay) {
    // A UPI Payment Link: Razorpay's hosted page sends the shopper back to our status page.
    const link = await new RazorpayProvider(settings.razorpay).createPaymentLink(db, {
      orderId,
      method: "upi",
      callbackUrl: args.returnUrl,
      customer: { email: args.email },
    });
    if (link.redirectUrl) return link.redirectUrl;
  }
  const created = await requireProvider(providers, choice.provider).createPayment(db, { orderId, method: choice.id });
  if (!created.redirectUrl) {
    throw new PaymentRequestError(
      `${choice.provider} gave no hosted payment page for ${choice.id}; choose another way.`,
    );
  }
  return created.redirectUrl;
}
