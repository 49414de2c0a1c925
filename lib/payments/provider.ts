// The one interface every payment provider implements, and the normalized webhook event the
// webhook handler applies. Amounts are minor units (bigint) with an upper-case ISO currency.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { PaymentProviderName } from "../db/schema.ts";

export type ProviderName = Exclude<PaymentProviderName, "wallet">;

/** How the shopper pays; which ones a provider supports is its own business. */
export const paymentMethodSchema = z.enum(["card", "bnpl", "subscription", "upi", "crypto", "bitcoin"]);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const createPaymentInputSchema = z.object({
  orderId: z.uuid(),
  method: paymentMethodSchema,
  /**
   * Pay on the provider's hosted page and come back to these URLs (Stripe Checkout for card and
   * BNPL, a Razorpay Payment Link for UPI). Without it a provider that also has an embedded flow
   * (Stripe PaymentIntents, Razorpay Checkout) uses that one.
   */
  hosted: z.object({ successUrl: z.url(), cancelUrl: z.url() }).strict().optional(),
  /** Prefills the hosted page for a guest (never used to price anything). */
  customerEmail: z.email().max(254).optional(),
});
/** Only the order id and method come from the caller: amount and currency come from the order row. */
export type CreatePaymentInput = z.infer<typeof createPaymentInputSchema>;

export type CreatedPayment = {
  provider: ProviderName;
  providerPaymentId: string;
  amountMinor: bigint;
  currency: string;
  /** Hosted page to send the shopper to (Checkout, Coinbase, BTCPay). */
  redirectUrl?: string;
  /** Client secret for an embedded form (Stripe PaymentIntents). */
  clientSecret?: string;
};

export const refundInputSchema = z.object({
  orderId: z.uuid(),
  /** Omit for a full refund of what remains. */
  amountMinor: z.bigint().positive().optional(),
});
export type RefundInput = z.infer<typeof refundInputSchema>;

export type RefundResult = { providerRefundId: string; amountMinor: bigint; refundedMinor: bigint };

export const normalizedEventTypes = [
  "payment.succeeded",
  "payment.pending",
  "payment.failed",
  "payment.refunded",
  // A later billing period of a subscription: its invoice was paid, its payment failed, or the
  // subscription ended. The first period is the order's own payment (payment.* above).
  "subscription.renewal_paid",
  "subscription.renewal_failed",
  "subscription.canceled",
  "ignored",
] as const;
export type NormalizedEventType = (typeof normalizedEventTypes)[number];

export const normalizedEventSchema = z.object({
  eventId: z.string().min(1).max(255),
  /** The provider's own event name (payment_intent.succeeded, InvoiceSettled…), kept for the log. */
  providerType: z.string().min(1),
  type: z.enum(normalizedEventTypes),
  providerPaymentId: z.string().min(1).optional(),
  /** Our order id, when the provider echoes the metadata we sent. */
  orderId: z.uuid().optional(),
  /** Paid amount (succeeded) or cumulative refunded amount (refunded). */
  amountMinor: z.bigint().nonnegative().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3,5}$/)
    .optional(),
  method: z.string().optional(),
  /**
   * The provider object that holds the money when it is not the one the payment was created as:
   * the PaymentIntent behind a Stripe Checkout Session. Recorded on success, so refunds (made on
   * the PaymentIntent) and charge.refunded events (which name it) find the payment.
   */
  captureId: z.string().min(1).optional(),
  /**
   * The provider's subscription behind the event: on subscription.* events, and on the payment
   * that started one (so the subscription is linked to its order when the first period is paid).
   */
  subscription: z
    .object({
      id: z.string().min(1),
      /** The renewal invoice (subscription.renewal_*): one payment row per invoice. */
      invoiceId: z.string().min(1).optional(),
      periodStart: z.date().optional(),
      periodEnd: z.date().optional(),
    })
    .optional(),
  payload: z.unknown(),
});
export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;

/** Header names are lower-case, as Node's http module gives them. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Creates the provider-side payment for an order and records it as pending in commerce.payments. */
  createPayment(db: Db, input: CreatePaymentInput): Promise<CreatedPayment>;
  /**
   * Verifies the signature over the raw body and parses the event. Throws WebhookRejectedError
   * (answer 4xx) or ProviderRequestError (answer 5xx: the provider should retry).
   */
  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders, now?: Date): Promise<NormalizedEvent>;
  /** Refunds all or part of an order's succeeded payment and records the refunded amount. */
  refund(db: Db, input: RefundInput): Promise<RefundResult>;
}
