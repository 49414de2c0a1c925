// BTCPay Server Greenfield API: JSON under /api/v1/stores/{storeId}, `Authorization: token <key>`;
// errors as {code, message} or, for validation, 422 [{path, message}]. `settle` plays the shopper
// paying. The invoice refund follows BTCPay 2.x (GreenfieldInvoiceController.RefundInvoice and its
// swagger, the source of docs.btcpayserver.org/API/Greenfield/v1/#operation/Invoices_Refund):
// unknown body fields are ignored as Newtonsoft does, so a 1.x `paymentMethod` falls back to the
// invoice's default payout method, which `pullPayments` lets a test see.
import { randomBytes } from "node:crypto";
import { type FakeServer, reply, startFakeServer } from "./fake-server.ts";

type Invoice = {
  id: string;
  amount: string;
  currency: string;
  status: string;
  metadata: Record<string, unknown>;
  checkoutLink: string;
};

/** A refund pull payment as created, with the payout methods BTCPay actually used. */
export type PullPayment = {
  id: string;
  invoiceId: string;
  currency: string;
  amount: string;
  payoutMethods: string[];
  autoApproveClaims: boolean;
};

export type FakeBtcpay = FakeServer & {
  settle(invoiceId: string): Invoice;
  invoices: Map<string, Invoice>;
  pullPayments: PullPayment[];
};

/** Payout methods the fake store has enabled; the invoices default to on-chain bitcoin. */
const SUPPORTED_PAYOUT_METHODS = ["BTC-CHAIN", "BTC-LN"];
const DEFAULT_PAYOUT_METHOD = "BTC-CHAIN";
const REFUND_VARIANTS = ["RateThen", "CurrentRate", "OverpaidAmount", "Fiat", "Custom"];
const invalid = (...errors: { path: string; message: string }[]) => reply(422, errors);

export async function startFakeBtcpay(storeId: string, apiKey: string): Promise<FakeBtcpay> {
  const invoices = new Map<string, Invoice>();
  const pullPayments: PullPayment[] = [];
  const base = `/api/v1/stores/${storeId}`;
  const server = await startFakeServer((request) => {
    if (request.headers.authorization !== `token ${apiKey}`) {
      return reply(401, { code: "unauthenticated", message: "Authentication is required for accessing this endpoint" });
    }
    if (!request.path.startsWith(`${base}/`))
      return reply(404, { code: "store-not-found", message: "The store was not found" });
    const rest = request.path.slice(base.length);
    const body = request.rawBody ? (JSON.parse(request.rawBody) as Record<string, unknown>) : {};
    if (request.method === "POST" && rest === "/invoices") {
      if (typeof body.amount !== "string" || Number(body.amount) <= 0) {
        return reply(422, [{ path: "amount", message: "Amount should be greater than 0" }]);
      }
      const id = randomBytes(11).toString("base64url");
      const invoice: Invoice = {
        id,
        amount: body.amount,
        currency: String(body.currency),
        status: "New",
        metadata: (body.metadata as Record<string, unknown>) ?? {},
        checkoutLink: `http://btcpay.local/i/${id}`,
      };
      invoices.set(id, invoice);
      return reply(200, { ...invoice, storeId, createdTime: Math.floor(Date.now() / 1000) });
    }
    const get = /^\/invoices\/([^/]+)$/.exec(rest);
    if (request.method === "GET" && get) {
      const invoice = invoices.get(get[1] ?? "");
      return invoice
        ? reply(200, { ...invoice, storeId })
        : reply(404, { code: "invoice-not-found", message: "The invoice was not found" });
    }
    const refund = /^\/invoices\/([^/]+)\/refund$/.exec(rest);
    if (request.method === "POST" && refund) {
      const invoice = invoices.get(refund[1] ?? "");
      if (!invoice) return reply(404, { code: "invoice-not-found", message: "The invoice was not found" });
      if (invoice.status !== "Settled")
        return reply(400, { code: "non-refundable", message: "Cannot refund this invoice" });
      // payoutMethods (2.4.1+) supersedes payoutMethodId (2.0–2.4.0); neither → the invoice's default.
      const explicit = Array.isArray(body.payoutMethods);
      const requested = explicit
        ? (body.payoutMethods as unknown[])
        : [typeof body.payoutMethodId === "string" ? body.payoutMethodId : DEFAULT_PAYOUT_METHOD];
      const payoutMethods = requested.filter(
        (m): m is string => typeof m === "string" && SUPPORTED_PAYOUT_METHODS.includes(m),
      );
      const key = explicit ? "PayoutMethods" : "PayoutMethodId";
      if (explicit && payoutMethods.length !== requested.length) {
        const bad = requested.find((m) => !payoutMethods.includes(m as string));
        return invalid({ path: key, message: `Invalid or unsupported payout method: ${bad}` });
      }
      if (payoutMethods.length === 0) {
        return invalid({
          path: key,
          message: "Please select one of the payment methods which were available for the original invoice",
        });
      }
      const variant = body.refundVariant;
      if (typeof variant !== "string" || !REFUND_VARIANTS.includes(variant)) {
        return invalid({ path: "RefundVariant", message: "`refundVariant` is mandatory" });
      }
      if (variant !== "Custom") {
        const errors = [];
        if (body.customAmount !== undefined && body.customAmount !== null) {
          errors.push({
            path: "CustomAmount",
            message: "CustomAmount should only be set if the refundVariant is Custom",
          });
        }
        if (body.customCurrency !== undefined && body.customCurrency !== null) {
          errors.push({
            path: "CustomCurrency",
            message: "CustomCurrency should only be set if the refundVariant is Custom",
          });
        }
        if (errors.length) return invalid(...errors);
      }
      let currency: string;
      let amount: string;
      if (variant === "Custom") {
        const errors = [];
        if (!(Number(body.customAmount) > 0))
          errors.push({ path: "CustomAmount", message: "Amount must be greater than 0" });
        if (typeof body.customCurrency !== "string" || !/^[A-Z]{3,5}$/.test(body.customCurrency)) {
          errors.push({ path: "CustomCurrency", message: "Invalid currency" });
        }
        if (errors.length) return invalid(...errors);
        currency = String(body.customCurrency);
        amount = String(body.customAmount);
      } else if (variant === "Fiat") {
        // The invoice's currency, at the rate when the refund is sent: the fiat amount paid.
        currency = invoice.currency;
        amount = invoice.amount;
      } else {
        return invalid({ path: "RefundVariant", message: `the fake does not price ${variant} refunds` });
      }
      const pull: PullPayment = {
        id: randomBytes(10).toString("base64url"),
        invoiceId: invoice.id,
        currency,
        amount,
        payoutMethods,
        // Claims in another currency than the one paid wait for the merchant's approval.
        autoApproveClaims: false,
      };
      pullPayments.push(pull);
      return reply(200, {
        id: pull.id,
        name: typeof body.name === "string" ? body.name : `Refund ${invoice.id}`,
        description: typeof body.description === "string" ? body.description : null,
        currency,
        amount,
        BOLT11Expiration: "30",
        archived: false,
        autoApproveClaims: pull.autoApproveClaims,
        startsAt: Math.floor(Date.now() / 1000),
        expiresAt: null,
        viewLink: `http://btcpay.local/pull-payments/${pull.id}`,
      });
    }
    return reply(404, { code: "not-found", message: `no route ${request.method} ${request.path}` });
  });
  return {
    ...server,
    invoices,
    pullPayments,
    settle(invoiceId) {
      const invoice = invoices.get(invoiceId);
      if (!invoice) throw new Error(`fake btcpay: no invoice ${invoiceId}`);
      invoice.status = "Settled";
      return invoice;
    },
  };
}
