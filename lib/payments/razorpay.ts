// Razorpay through its official SDK: an order per NeoCart order (the shopper then pays it by UPI
// or card in Razorpay Checkout), webhooks checked with Razorpay.validateWebhookSignature over the
// raw body, refunds on the order's captured payment.
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

  constructor(settings: RazorpaySettings) {
    this.#settings = settings;
    this.#razorpay = createRazorpayClient(settings);
  }

  async createPayment(db: Db, input: CreatePaymentInput): Promise<CreatedPayment> {
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
        // We keep Razorpay's order id; the refund goes on the order's captured payment.
        const { items } = await this.#razorpay.orders.fetchPayments(payment.providerPaymentId);
        const captured = items.find((item) => item.status === "captured");
        if (!captured) {
          throw new PaymentRequestError(
            `Razorpay order ${payment.providerPaymentId} has no captured payment to refund.`,
          );
        }
        const refund = await this.#razorpay.payments.refund(captured.id, {
          amount: Number(amount),
          notes: { orderId },
        });
        return refund.id;
      } catch (error) {
        if (error instanceof PaymentRequestError) throw error;
        throw toProviderError(error);
      }
    });
  }
}
