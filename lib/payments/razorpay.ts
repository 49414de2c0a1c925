// Razorpay through its official SDK. Two ways to pay an order: a Payment Link, Razorpay's hosted
// page (createPayment for "upi" by default, createPaymentLink explicitly; ./razorpay-links.ts),
// settled by payment_link.paid; or a Razorpay order the shopper pays in Razorpay Checkout's
// script on our page (createCheckoutOrder; createPayment for "card" by default), settled by
// order.paid / payment.captured. Webhooks are checked with Razorpay.validateWebhookSignature over
// the raw body; refunds go on the captured payment (of the link or of the order).
import { createHash } from "node:crypto";
import Razorpay from "razorpay";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { PaymentRequestError, ProviderRequestError, WebhookRejectedError } from "./errors.ts";
import { loadPayableOrder, recordPendingPayment, refundWithLock } from "./orders.ts";
import type {
  CreatedPayment,
  CreatePaymentInput,
  NormalizedEvent,
  PaymentProvider,
  RefundInput,
  RefundResult,
  WebhookHeaders,
} from "./provider.ts";
import { createPaymentInputSchema, refundInputSchema } from "./provider.ts";
import {
  capturedPaymentOfLink,
  earlierPaymentLinks,
  isPaymentLinkId,
  isReusable,
  type PaymentLinkArgs,
  type PaymentLinkEntity,
  type PaymentLinkMethod,
  parsePaymentLink,
  paymentLinkBody,
  paymentLinkEntitySchema,
  referenceIdFor,
} from "./razorpay-links.ts";
import type { RazorpaySettings } from "./settings.ts";
import { anySecretMatches, headerValue, parseJsonBody, requireHeader } from "./signatures.ts";

const notesSchema = z
  .union([z.object({ orderId: z.uuid().optional() }).catchall(z.unknown()), z.array(z.unknown())])
  .optional();
const paymentEntitySchema = z.object({
  id: z.string(),
  order_id: z.string().nullable(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
  method: z.string().optional(),
  amount_refunded: z.number().int().optional(),
  notes: notesSchema,
});
const eventSchema = z.object({
  event: z.string(),
  payload: z
    .object({
      payment: z.object({ entity: paymentEntitySchema }).optional(),
      order: z
        .object({
          entity: z.object({ id: z.string(), amount_paid: z.number().int(), currency: z.string(), notes: notesSchema }),
        })
        .optional(),
      refund: z
        .object({ entity: z.object({ id: z.string(), amount: z.number().int(), payment_id: z.string() }) })
        .optional(),
      payment_link: z.object({ entity: paymentLinkEntitySchema.extend({ notes: notesSchema }) }).optional(),
    })
    .default({}),
});

type RazorpayFailure = { statusCode?: number | string; error?: { code?: string; description?: string } };

function toProviderError(error: unknown): ProviderRequestError {
  const failure = error as RazorpayFailure;
  if (failure?.error?.description) {
    return new ProviderRequestError(
      "razorpay",
      `Razorpay refused the request: ${failure.error.description} (${failure.error.code ?? "error"})`,
      Number(failure.statusCode) || undefined,
    );
  }
  return new ProviderRequestError("razorpay", `Razorpay could not be reached: ${(error as Error)?.message ?? error}`);
}

const orderIdFromNotes = (notes: z.infer<typeof notesSchema>) =>
  notes && !Array.isArray(notes) ? notes.orderId : undefined;

export type RazorpayProviderOptions = {
  /**
   * Methods createPayment answers with a Payment Link (a hosted page, `redirectUrl`); the others get
   * a Razorpay order for Razorpay Checkout's script. Default: ["upi"].
   */
  linkMethods?: readonly PaymentLinkMethod[];
  /** callback_url of the links createPayment makes (createPaymentLink takes one per call). */
  callbackUrl?: string;
};

/** The Razorpay client pointed at `apiUrl`. */
export function createRazorpayClient(settings: RazorpaySettings): Razorpay {
  const client = new Razorpay({ key_id: settings.keyId, key_secret: settings.keySecret });
  // The SDK has no base-URL option; its axios instance is the one place the host lives.
  (client.api as unknown as { rq: { defaults: { baseURL?: string } } }).rq.defaults.baseURL = settings.apiUrl;
  return client;
}

export class RazorpayProvider implements PaymentProvider {
  readonly name = "razorpay" as const;
  readonly #settings: RazorpaySettings;
  readonly #razorpay: Razorpay;
  readonly #linkMethods: readonly PaymentLinkMethod[];
  readonly #callbackUrl: string | undefined;

  constructor(settings: RazorpaySettings, options: RazorpayProviderOptions = {}) {
    this.#settings = settings;
    this.#razorpay = createRazorpayClient(settings);
    this.#linkMethods = options.linkMethods ?? ["upi"];
    this.#callbackUrl = options.callbackUrl;
  }

  async createPayment(db: Db, input: CreatePaymentInput): Promise<CreatedPayment> {
    const { orderId, method, hosted, customerEmail } = createPaymentInputSchema.parse(input);
    if (method !== "upi" && method !== "card") {
      throw new PaymentRequestError(`Razorpay takes "upi" or "card" here, not "${method}".`);
    }
    // A hosted page asked for: a Payment Link, whatever the default for the method.
    if (hosted || this.#linkMethods.includes(method)) {
      return this.createPaymentLink(db, {
        orderId,
        method,
        callbackUrl: hosted?.successUrl ?? this.#callbackUrl,
        customer: customerEmail ? { email: customerEmail } : undefined,
      });
    }
    return this.createCheckoutOrder(db, { orderId, method });
  }

  /**
   * A Payment Link for the order (UPI Payment Link for "upi", a cards-only Standard Payment Link
   * for "card"): `redirectUrl` is its short_url, `providerPaymentId` its id (plink_…). Called again
   * for an order whose link can still be paid, it returns that link instead of making another.
   */
  async createPaymentLink(db: Db, args: PaymentLinkArgs): Promise<CreatedPayment> {
    const orderId = createPaymentInputSchema.shape.orderId.parse(args.orderId);
    if (args.method !== "upi" && args.method !== "card") {
      throw new PaymentRequestError(`Razorpay Payment Links take "upi" or "card", not "${args.method}".`);
    }
    const order = await loadPayableOrder(db, orderId);
    const earlier = await earlierPaymentLinks(db, orderId);
    let link: PaymentLinkEntity;
    try {
      const open = earlier.filter((row) => row.status === "pending" && row.method === args.method).at(-1);
      if (open) {
        const existing = parsePaymentLink(await this.#razorpay.paymentLink.fetch(open.providerPaymentId));
        if (isReusable(existing, order)) return this.#linkPayment(existing, order);
      }
      const body = paymentLinkBody(order, args, referenceIdFor(orderId, earlier.length));
      link = parsePaymentLink(await this.#razorpay.paymentLink.create(body));
    } catch (error) {
      if (error instanceof PaymentRequestError || error instanceof ProviderRequestError) throw error;
      throw toProviderError(error);
    }
    const created = this.#linkPayment(link, order);
    await recordPendingPayment(db, orderId, args.method, created);
    return created;
  }

  #linkPayment(link: PaymentLinkEntity, order: { totalMinor: bigint; currency: string }) {
    if (!link.short_url) {
      throw new ProviderRequestError("razorpay", `Razorpay returned Payment Link ${link.id} without a short_url.`);
    }
    return {
      provider: this.name,
      providerPaymentId: link.id,
      amountMinor: order.totalMinor,
      currency: order.currency,
      redirectUrl: link.short_url,
    } satisfies CreatedPayment;
  }

  /** A Razorpay order for the order's total, which the shopper pays in Razorpay Checkout (no hosted page). */
  async createCheckoutOrder(db: Db, input: CreatePaymentInput): Promise<CreatedPayment> {
    const { orderId, method } = createPaymentInputSchema.parse(input);
    if (method !== "upi" && method !== "card") {
      throw new PaymentRequestError(`Razorpay takes "upi" or "card" here, not "${method}".`);
    }
    const order = await loadPayableOrder(db, orderId);
    let created: CreatedPayment;
    try {
      const rzpOrder = await this.#razorpay.orders.create({
        amount: Number(order.totalMinor),
        currency: order.currency,
        receipt: orderId,
        notes: { orderId, method },
      });
      created = {
        provider: this.name,
        providerPaymentId: rzpOrder.id,
        amountMinor: order.totalMinor,
        currency: order.currency,
      };
    } catch (error) {
      throw toProviderError(error);
    }
    await recordPendingPayment(db, orderId, method, created);
    return created;
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<NormalizedEvent> {
    const signature = requireHeader(headers, "x-razorpay-signature");
    const body = rawBody.toString("utf8");
    const valid = anySecretMatches(this.#settings.webhookSecrets, (secret) =>
      Razorpay.validateWebhookSignature(body, signature, secret),
    );
    if (!valid) {
      throw new WebhookRejectedError(
        "X-Razorpay-Signature does not match the body with any configured webhook secret (wrong secret or altered body).",
      );
    }
    const payload = parseJsonBody(rawBody);
    const parsed = eventSchema.safeParse(payload);
    if (!parsed.success) throw new WebhookRejectedError("The Razorpay webhook body is not an event.");
    // Razorpay signs no timestamp; replays are stopped by the event id (same id on every retry).
    const eventId =
      headerValue(headers, "x-razorpay-event-id") ?? `body:${createHash("sha256").update(rawBody).digest("hex")}`;
    const { event, payload: p } = parsed.data;
    const base = { eventId, providerType: event, payload };
    const payment = p.payment?.entity;
    switch (event) {
      case "order.paid": {
        const order = p.order?.entity;
        if (!order) throw new WebhookRejectedError("order.paid without payload.order.");
        return {
          ...base,
          type: "payment.succeeded",
          providerPaymentId: order.id,
          orderId: orderIdFromNotes(order.notes),
          amountMinor: BigInt(order.amount_paid),
          currency: order.currency.toUpperCase(),
          method: payment?.method,
        };
      }
      case "payment.captured":
      case "payment.authorized":
      case "payment.failed": {
        if (!payment?.order_id) return { ...base, type: "ignored" };
        const type =
          event === "payment.captured"
            ? "payment.succeeded"
            : event === "payment.failed"
              ? "payment.failed"
              : "payment.pending";
        return {
          ...base,
          type,
          providerPaymentId: payment.order_id,
          orderId: orderIdFromNotes(payment.notes),
          amountMinor: BigInt(payment.amount),
          currency: payment.currency.toUpperCase(),
          method: payment.method,
        };
      }
      // Payment Links (./razorpay-links.ts): our payment is the link; the payload also carries the
      // Razorpay order and payment the link made, whose ids we never stored.
      case "payment_link.paid": {
        const link = p.payment_link?.entity;
        if (!link) throw new WebhookRejectedError("payment_link.paid without payload.payment_link.");
        return {
          ...base,
          type: "payment.succeeded",
          providerPaymentId: link.id,
          orderId: orderIdFromNotes(link.notes),
          // What the link collected (cumulative; we make no partial-payment links).
          amountMinor: BigInt(link.amount_paid),
          currency: link.currency.toUpperCase(),
          method: payment?.method,
        };
      }
      case "payment_link.cancelled":
      case "payment_link.expired": {
        const link = p.payment_link?.entity;
        if (!link) throw new WebhookRejectedError(`${event} without payload.payment_link.`);
        // The link can no longer be paid: its payment failed (stale if it was paid after all).
        return { ...base, type: "payment.failed", providerPaymentId: link.id, orderId: orderIdFromNotes(link.notes) };
      }
      case "refund.processed": {
        if (!payment?.order_id) return { ...base, type: "ignored" };
        return {
          ...base,
          type: "payment.refunded",
          providerPaymentId: payment.order_id,
          amountMinor: BigInt(payment.amount_refunded ?? p.refund?.entity.amount ?? 0),
          currency: payment.currency.toUpperCase(),
        };
      }
      default:
        return { ...base, type: "ignored" };
    }
  }

  async refund(db: Db, input: RefundInput): Promise<RefundResult> {
    const { orderId, amountMinor } = refundInputSchema.parse(input);
    return refundWithLock(db, this.name, orderId, amountMinor, async (payment, amount) => {
      try {
        // We keep the link's id or Razorpay's order id; the refund goes on its captured payment.
        const captured = isPaymentLinkId(payment.providerPaymentId)
          ? await capturedPaymentOfLink(this.#razorpay, payment.providerPaymentId)
          : (await this.#razorpay.orders.fetchPayments(payment.providerPaymentId)).items.find(
              (item) => item.status === "captured",
            )?.id;
        if (!captured) {
          const what = isPaymentLinkId(payment.providerPaymentId) ? "Payment Link" : "order";
          throw new PaymentRequestError(
            `Razorpay ${what} ${payment.providerPaymentId} has no captured payment to refund.`,
          );
        }
        const refund = await this.#razorpay.payments.refund(captured, {
          amount: Number(amount),
          notes: { orderId },
        });
        return refund.id;
      } catch (error) {
        if (error instanceof PaymentRequestError || error instanceof ProviderRequestError) throw error;
        throw toProviderError(error);
      }
    });
  }
}
