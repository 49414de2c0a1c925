// Razorpay Payment Links: the hosted page a shopper pays an order on (UPI Payment Links for UPI,
// Standard Payment Links limited to cards for card), created through the official SDK's
// paymentLink.create. The link id (plink_…) is the payment's provider id; the webhook
// payment_link.paid settles it (./razorpay.ts normalises it). Wire format:
// https://razorpay.com/docs/api/payments/payment-links/ and docs/commerce-payments.md.
import { and, asc, eq, like } from "drizzle-orm";
import type Razorpay from "razorpay";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { payments } from "../db/schema.ts";
import { PaymentRequestError, ProviderRequestError } from "./errors.ts";
import type { PayableOrder } from "./orders.ts";

export type PaymentLinkMethod = "upi" | "card";
/** The SDK's create body (standard, UPI, or with `options`). */
type PaymentLinkCreateBody = Parameters<Razorpay["paymentLink"]["create"]>[0];

export type PaymentLinkArgs = {
  orderId: string;
  method: PaymentLinkMethod;
  /** Where the hosted page sends the shopper after paying (Razorpay appends razorpay_payment_link_* query parameters). */
  callbackUrl?: string | undefined;
  /** Shown on the hosted page; Razorpay does not prefill it (its security policy) and sends nothing (notify off). */
  customer?: { name?: string | undefined; email?: string | undefined } | undefined;
};

export const PAYMENT_LINK_PREFIX = "plink_";
export const isPaymentLinkId = (providerPaymentId: string) => providerPaymentId.startsWith(PAYMENT_LINK_PREFIX);

/** What we read of a Payment Link entity (create, fetch, and webhooks' payload.payment_link.entity). */
export const paymentLinkEntitySchema = z.object({
  id: z.string().startsWith(PAYMENT_LINK_PREFIX),
  amount: z.number().int(),
  amount_paid: z.number().int(),
  currency: z.string(),
  status: z.string(),
  reference_id: z.string().nullish(),
  short_url: z.string().nullish(),
  /** The Razorpay order behind the link, set once the shopper starts paying. */
  order_id: z.string().nullish(),
  /** Payments made on the link (null until the first one). */
  payments: z.array(z.object({ payment_id: z.string(), status: z.string() }).catchall(z.unknown())).nullish(),
});
export type PaymentLinkEntity = z.infer<typeof paymentLinkEntitySchema>;

/**
 * Razorpay wants reference_id unique per link (at most 40 characters): the order id (36) for an
 * order's first link, `<order id>.<n>` for the n-th when an earlier one expired or was cancelled.
 */
export function referenceIdFor(orderId: string, earlierLinks: number): string {
  return earlierLinks === 0 ? orderId : `${orderId}.${earlierLinks + 1}`;
}

/** The create body: amount and currency come from the order row, never from the caller. */
export function paymentLinkBody(
  order: PayableOrder,
  args: PaymentLinkArgs,
  referenceId: string,
): PaymentLinkCreateBody {
  if (args.method === "upi" && order.currency !== "INR") {
    throw new PaymentRequestError(
      `UPI through Razorpay is paid in Indian rupees only; order ${order.id} is priced in ${order.currency}. Price the order in INR to pay it by UPI.`,
    );
  }
  if (order.totalMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PaymentRequestError(`Order ${order.id} total is too large for Razorpay.`);
  }
  if (args.callbackUrl !== undefined && !/^https?:\/\//.test(args.callbackUrl)) {
    throw new PaymentRequestError(`callbackUrl must be an http(s) URL, not "${args.callbackUrl}".`);
  }
  const customer = Object.fromEntries(
    Object.entries({ name: args.customer?.name, email: args.customer?.email }).filter(([, v]) => v),
  );
  const body = {
    amount: Number(order.totalMinor),
    currency: order.currency,
    accept_partial: false,
    reference_id: referenceId,
    description: `NeoCart order ${order.id}`,
    customer,
    // We send the shopper to the link ourselves; Razorpay sends no SMS or email.
    notify: { sms: false, email: false },
    reminder_enable: false,
    notes: { orderId: order.id, method: args.method },
    ...(args.callbackUrl ? { callback_url: args.callbackUrl, callback_method: "get" } : {}),
  } satisfies PaymentLinkCreateBody;
  if (args.method === "upi") return { ...body, upi_link: true };
  // A Standard Payment Link showing cards only.
  return { ...body, options: { checkout: { method: { card: true, netbanking: false, upi: false, wallet: false } } } };
}

/** The order's earlier Payment Links (oldest first): an open one is reused, the others are counted. */
export async function earlierPaymentLinks(db: Db, orderId: string) {
  return db
    .select({ providerPaymentId: payments.providerPaymentId, method: payments.method, status: payments.status })
    .from(payments)
    .where(
      and(
        eq(payments.orderId, orderId),
        eq(payments.provider, "razorpay"),
        // "_" is a LIKE wildcard: escaped, so only ids starting with "plink_" match.
        like(payments.providerPaymentId, `${PAYMENT_LINK_PREFIX.replace("_", "\\_")}%`),
      ),
    )
    .orderBy(asc(payments.createdAt));
}

export function parsePaymentLink(value: unknown): PaymentLinkEntity {
  const parsed = paymentLinkEntitySchema.safeParse(value);
  if (!parsed.success) {
    throw new ProviderRequestError("razorpay", "Razorpay answered with something that is not a Payment Link.");
  }
  return parsed.data;
}

/** A link that can still be paid, for the same amount and currency as the order. */
export function isReusable(link: PaymentLinkEntity, order: PayableOrder): boolean {
  return (
    link.status === "created" &&
    Boolean(link.short_url) &&
    BigInt(link.amount) === order.totalMinor &&
    link.currency.toUpperCase() === order.currency
  );
}

/**
 * The captured payment of a link, refunds go on it: from the link's `payments`, else from the
 * Razorpay order behind the link (`order_id`).
 */
export async function capturedPaymentOfLink(razorpay: Razorpay, linkId: string): Promise<string | undefined> {
  const link = parsePaymentLink(await razorpay.paymentLink.fetch(linkId));
  const fromLink = link.payments?.find((p) => p.status === "captured")?.payment_id;
  if (fromLink) return fromLink;
  if (!link.order_id) return undefined;
  const { items } = await razorpay.orders.fetchPayments(link.order_id);
  return items.find((item) => item.status === "captured")?.id;
}
