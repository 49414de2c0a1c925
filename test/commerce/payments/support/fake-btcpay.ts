// BTCPay Server Greenfield API: JSON under /api/v1/stores/{storeId}, `Authorization: token <key>`;
// errors as {code, message} or, for validation, [{path, message}]. `settle` plays the shopper paying.
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

export type FakeBtcpay = FakeServer & { settle(invoiceId: string): Invoice; invoices: Map<string, Invoice> };

export async function startFakeBtcpay(storeId: string, apiKey: string): Promise<FakeBtcpay> {
  const invoices = new Map<string, Invoice>();
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
      return reply(200, {
        id: randomBytes(10).toString("base64url"),
        name: body.name,
        currency: body.customCurrency ?? invoice.currency,
        amount: body.customAmount ?? invoice.amount,
        viewLink: "http://btcpay.local/pull-payments/x",
      });
    }
    return reply(404, { code: "not-found", message: `no route ${request.method} ${request.path}` });
  });
  return {
    ...server,
    invoices,
    settle(invoiceId) {
      const invoice = invoices.get(invoiceId);
      if (!invoice) throw new Error(`fake btcpay: no invoice ${invoiceId}`);
      invoice.status = "Settled";
      return invoice;
    },
  };
}
