// BTCPay Server (self-hosted Bitcoin processor) through its Greenfield REST API: an invoice per
// order, `Authorization: token <api key>`; webhooks signed as BTCPay-Sig: sha256=<hex HMAC of the
// raw body>. Settlement webhooks carry no amount, so the invoice is read back from the server
// (amount and currency as BTCPay knows them) before the order is marked paid.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { PaymentRequestError, WebhookRejectedError } from "./errors.ts";
import { decimalToMinor, minorToDecimal } from "./money.ts";
import { loadPayableOrder, recordPendingPayment, refundWithLock } from "./orders.ts";
import type {
  CreatedPayment,
  CreatePaymentInput,
  NormalizedEvent,
  NormalizedEventType,
  PaymentProvider,
  RefundInput,
  RefundResult,
  WebhookHeaders,
} from "./provider.ts";
import { createPaymentInputSchema, refundInputSchema } from "./provider.ts";
import { requestJson } from "./rest-client.ts";
import type { BtcpaySettings } from "./settings.ts";
import { hexEqual, hmacSha256Hex, parseJsonBody, requireHeader } from "./signatures.ts";

const invoiceSchema = z.object({
  id: z.string().min(1),
  checkoutLink: z.string().optional(),
  amount: z.union([z.string(), z.number()]),
  currency: z.string(),
  status: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
/** PullPaymentData, the answer of POST …/invoices/{id}/refund (amount is a decimal string). */
const pullPaymentSchema = z.object({
  id: z.string().min(1),
  currency: z.string(),
  amount: z.union([z.string(), z.number()]),
  viewLink: z.string().optional(),
});
const webhookSchema = z.object({
  deliveryId: z.string().min(1),
  originalDeliveryId: z.string().nullish(),
  type: z.string().min(1),
  storeId: z.string().optional(),
  invoiceId: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

const EVENT_TYPES: Record<string, NormalizedEventType> = {
  InvoiceSettled: "payment.succeeded",
  InvoiceProcessing: "payment.pending",
  InvoiceReceivedPayment: "payment.pending",
  InvoiceExpired: "payment.failed",
  InvoiceInvalid: "payment.failed",
};

export class BtcpayProvider implements PaymentProvider {
  readonly name = "btcpay" as const;
  readonly #settings: BtcpaySettings;

  constructor(settings: BtcpaySettings) {
    this.#settings = settings;
  }

  #call<T>(method: "GET" | "POST", path: string, schema: z.ZodType<T>, body?: unknown) {
    const store = encodeURIComponent(this.#settings.storeId);
    const url = new URL(`api/v1/stores/${store}${path}`, `${this.#settings.serverUrl.replace(/\/$/, "")}/`);
    return requestJson(
      { provider: "btcpay", method, url, headers: { authorization: `token ${this.#settings.apiKey}` }, body },
      schema,
    );
  }

  async createPayment(db: Db, input: CreatePaymentInput): Promise<CreatedPayment> {
    const { orderId, method, hosted } = createPaymentInputSchema.parse(input);
    if (method !== "bitcoin") throw new PaymentRequestError(`BTCPay takes "bitcoin" here, not "${method}".`);
    const order = await loadPayableOrder(db, orderId);
    const invoice = await this.#call("POST", "/invoices", invoiceSchema, {
      amount: minorToDecimal(order.totalMinor, order.currency),
      currency: order.currency,
      metadata: { orderId },
      checkout: { redirectURL: hosted?.successUrl ?? `${this.#settings.returnUrl}/${orderId}?paid=1` },
    });
    const created: CreatedPayment = {
      provider: this.name,
      providerPaymentId: invoice.id,
      amountMinor: order.totalMinor,
      currency: order.currency,
      redirectUrl: invoice.checkoutLink,
    };
    await recordPendingPayment(db, orderId, method, created);
    return created;
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<NormalizedEvent> {
    const header = requireHeader(headers, "btcpay-sig");
    const given = /^sha256=([0-9a-f]+)$/i.exec(header.trim())?.[1];
    if (!given) throw new WebhookRejectedError("BTCPay-Sig must read sha256=<hex>.");
    const valid = this.#settings.webhookSecrets.some((secret) => hexEqual(hmacSha256Hex(secret, rawBody), given));
    if (!valid) {
      throw new WebhookRejectedError(
        "BTCPay-Sig does not match the body with any configured webhook secret (wrong secret or altered body).",
      );
    }
    const payload = parseJsonBody(rawBody);
    const parsed = webhookSchema.safeParse(payload);
    if (!parsed.success) throw new WebhookRejectedError("The BTCPay webhook body is not a webhook event.");
    const event = parsed.data;
    if (event.storeId && event.storeId !== this.#settings.storeId) {
      throw new WebhookRejectedError(`The webhook is for store ${event.storeId}, not ${this.#settings.storeId}.`);
    }
    // A redelivery gets a new deliveryId but keeps originalDeliveryId: that is the event's identity.
    const eventId = event.originalDeliveryId || event.deliveryId;
    const type = EVENT_TYPES[event.type] ?? "ignored";
    const base = { eventId, providerType: event.type, payload };
    if (type === "ignored" || !event.invoiceId) return { ...base, type: "ignored" };
    const orderId = z.uuid().safeParse(event.metadata?.orderId);
    if (type !== "payment.succeeded") {
      return { ...base, type, providerPaymentId: event.invoiceId, orderId: orderId.success ? orderId.data : undefined };
    }
    // BTCPay does not sign a timestamp (a retry resends the same body); the event id stops replays.
    const invoice = await this.#call("GET", `/invoices/${encodeURIComponent(event.invoiceId)}`, invoiceSchema);
    const currency = invoice.currency.toUpperCase();
    return {
      ...base,
      type,
      providerPaymentId: invoice.id,
      orderId: orderId.success ? orderId.data : undefined,
      amountMinor: decimalToMinor(String(invoice.amount), currency),
      currency,
      method: "bitcoin",
    };
  }

  async refund(db: Db, input: RefundInput): Promise<RefundResult> {
    const { orderId, amountMinor } = refundInputSchema.parse(input);
    return refundWithLock(db, this.name, orderId, amountMinor, async (payment, amount) => {
      const full = payment.refundedMinor === 0n && amount === payment.amountMinor;
      const method = this.#settings.refundPaymentMethod;
      // A refund is a pull payment the shopper claims with their address, denominated in the
      // order's currency so the shopper gets back what they paid ("Fiat": the paid amount;
      // "Custom": the part refunded now). BTCPay 2.x names the method payoutMethods (2.4.1+) or
      // payoutMethodId (2.0–2.4.0, deprecated since and still read); it silently ignores the 1.x
      // name paymentMethod and would fall back to the invoice's default method, so we send both
      // 2.x names. customAmount/customCurrency are refused unless the variant is Custom.
      const pull = await this.#call(
        "POST",
        `/invoices/${encodeURIComponent(payment.providerPaymentId)}/refund`,
        pullPaymentSchema,
        {
          name: `Refund of NeoCart order ${orderId}`,
          description: `${full ? "Full" : "Partial"} refund of ${minorToDecimal(amount, payment.currency)} ${payment.currency}`,
          payoutMethods: [method],
          payoutMethodId: method,
          refundVariant: full ? "Fiat" : "Custom",
          ...(full ? {} : { customAmount: minorToDecimal(amount, payment.currency), customCurrency: payment.currency }),
        },
      );
      return pull.id;
    });
  }
}
