// Razorpay Payment Links end to end against the fake Razorpay, through the official SDK: the UPI
// link (and the cards-only Standard link) made for the order's total read from the database, its
// short_url as the hosted page; payment_link.paid (shaped as Razorpay sends it, signed as Razorpay
// signs it) applied once under 3 sequential and 10 concurrent deliveries over HTTP; amount or
// currency not matching the order flagged; forged deliveries refused; cancelled/expired links;
// refunds on the link's captured payment.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PaymentRequestError } from "../../../lib/payments/errors.ts";
import { createWebhookRequestHandler } from "../../../lib/payments/http-handler.ts";
import { RazorpayProvider } from "../../../lib/payments/razorpay.ts";
import { handleWebhook } from "../../../lib/payments/webhooks.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { type Delivery, razorpayDelivery, tampered, withoutHeader } from "./support/deliveries.ts";
import type { RecordedRequest } from "./support/fake-server.ts";
import { countWebhookEvents, insertOrder, readOrderState } from "./support/fixtures.ts";
import { KEYS, SECRETS, startTestProviders, type TestProviders } from "./support/providers.ts";

let t: TestDatabase;
let p: TestProviders;
let server: Server;
let webhookUrl: string;
beforeAll(async () => {
  t = await createTestDatabase("payments-razorpay-links", 5535);
  p = await startTestProviders();
  server = createServer(createWebhookRequestHandler(t.db, { razorpay: p.razorpay }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/razorpay`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await p?.close();
  await t?.stop();
});

const linkCreates = () =>
  p.fakes.razorpay.requests.filter((r) => r.method === "POST" && r.path === "/v1/payment_links");
const jsonOf = (request: RecordedRequest | undefined) =>
  JSON.parse(request?.rawBody ?? "null") as Record<string, unknown>;
const signed = (event: object, eventId?: string, secret: string = SECRETS.razorpay.current) =>
  razorpayDelivery(event, secret, eventId);
const send = (d: Delivery) => handleWebhook(t.db, p.razorpay, d.body, d.headers);
async function post(d: Delivery) {
  const response = await fetch(webhookUrl, { method: "POST", headers: d.headers, body: new Uint8Array(d.body) });
  return { status: response.status, body: (await response.json()) as { duplicate?: boolean; outcome?: string } };
}

/** An INR order with a UPI Payment Link, as the storefront makes it. */
async function upiLink(totalMinor = 49_900n) {
  const order = await insertOrder(t.db, { totalMinor, currency: "INR" });
  const created = await p.razorpay.createPayment(t.db, { orderId: order.orderId, method: "upi" });
  return { ...order, linkId: created.providerPaymentId, created };
}

describe("razorpay payment links: creation through the SDK", () => {
  it("UPI: createPayment makes a UPI Payment Link for the DB total; its short_url is the hosted page", async () => {
    const before = linkCreates().length;
    const { orderId, created } = await upiLink(49_900n);
    expect(linkCreates().length - before).toBe(1);
    const sent = linkCreates().at(-1);
    expect(sent?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${KEYS.razorpay.id}:${KEYS.razorpay.secret}`).toString("base64")}`,
    );
    expect(sent?.headers["user-agent"]).toMatch(/razorpay-node/);
    const body = jsonOf(sent);
    expect(body).toMatchObject({
      upi_link: true,
      amount: 49900,
      currency: "INR",
      accept_partial: false,
      reference_id: orderId,
      notes: { orderId, method: "upi" },
      notify: { sms: false, email: false },
    });
    expect(body).not.toHaveProperty("callback_url");
    const link = p.fakes.razorpay.links.get(created.providerPaymentId);
    expect(created).toMatchObject({
      provider: "razorpay",
      providerPaymentId: expect.stringMatching(/^plink_[A-Za-z0-9]{14}$/),
      amountMinor: 49_900n,
      currency: "INR",
      redirectUrl: link?.short_url,
    });
    expect(created.redirectUrl).toMatch(/\/i\/[A-Za-z0-9]+$/);
    expect((await readOrderState(t.db, orderId)).payments).toEqual([
      expect.objectContaining({
        provider: "razorpay",
        provider_payment_id: created.providerPaymentId,
        status: "pending",
        amount_minor: "49900",
        currency: "INR",
      }),
    ]);
  });

  it("createPaymentLink sends callback_url with callback_method get; a second call returns the open link", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 12_300n, currency: "INR" });
    const callbackUrl = `https://shop.example/checkout/return?order=${orderId}`;
    const first = await p.razorpay.createPaymentLink(t.db, { orderId, method: "upi", callbackUrl });
    expect(jsonOf(linkCreates().at(-1))).toMatchObject({ callback_url: callbackUrl, callback_method: "get" });
    const before = linkCreates().length;
    const again = await p.razorpay.createPaymentLink(t.db, { orderId, method: "upi", callbackUrl });
    expect(again).toEqual(first);
    expect(linkCreates().length).toBe(before);
    expect((await readOrderState(t.db, orderId)).payments).toHaveLength(1);
  });

  it("card when asked: a Standard Payment Link showing cards only (createPaymentLink, or linkMethods)", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 5_000n, currency: "USD" });
    const cardLinks = new RazorpayProvider(p.settings.razorpay, { linkMethods: ["upi", "card"] });
    const created = await cardLinks.createPayment(t.db, { orderId, method: "card" });
    expect(created.redirectUrl).toBe(p.fakes.razorpay.links.get(created.providerPaymentId)?.short_url);
    const body = jsonOf(linkCreates().at(-1));
    expect(body).not.toHaveProperty("upi_link");
    expect(body).toMatchObject({
      amount: 5000,
      currency: "USD",
      options: { checkout: { method: { card: true, netbanking: false, upi: false, wallet: false } } },
    });
    // By default card stays a Razorpay order for Checkout (no hosted page).
    const { orderId: other } = await insertOrder(t.db, { totalMinor: 5_000n, currency: "INR" });
    const checkout = await p.razorpay.createPayment(t.db, { orderId: other, method: "card" });
    expect(checkout.providerPaymentId).toMatch(/^order_/);
    expect(checkout.redirectUrl).toBeUndefined();
  });

  it("UPI for an order not priced in INR is refused before Razorpay is asked", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 2_500n, currency: "USD" });
    const before = p.fakes.razorpay.requests.length;
    await expect(p.razorpay.createPayment(t.db, { orderId, method: "upi" })).rejects.toThrow(PaymentRequestError);
    await expect(p.razorpay.createPayment(t.db, { orderId, method: "upi" })).rejects.toThrow(
      /Indian rupees only.*priced in USD/,
    );
    expect(p.fakes.razorpay.requests.length).toBe(before);
    expect((await readOrderState(t.db, orderId)).payments).toEqual([]);
  });

  it("Razorpay's refusal reaches the caller with its description; nothing is recorded", async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 50n, currency: "INR" });
    await expect(p.razorpay.createPayment(t.db, { orderId, method: "upi" })).rejects.toThrow(
      /Razorpay refused the request: amount must be an integer of at least 100/,
    );
    expect((await readOrderState(t.db, orderId)).payments).toEqual([]);
  });
});

describe("razorpay payment links: payment_link.paid", () => {
  it("pays the order once under 3 sequential deliveries of the event, then 10 concurrent ones over HTTP", async () => {
    const { orderId, linkId } = await upiLink(49_900n);
    const event = p.fakes.razorpay.payLink(linkId, "upi");
    const delivery = signed(event, "evt_link_paid_1");

    const sequential = [await send(delivery), await send(delivery), await send(delivery)];
    expect(sequential.map((a) => [a.status, a.body.duplicate, a.body.outcome])).toEqual([
      [200, false, "paid"],
      [200, true, undefined],
      [200, true, undefined],
    ]);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => post(delivery)));
    expect(concurrent.every((a) => a.status === 200 && a.body.duplicate === true)).toBe(true);

    const state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("paid");
    expect(state.history.filter((s) => s === "paid")).toHaveLength(1);
    expect(state.payments).toEqual([
      expect.objectContaining({ provider_payment_id: linkId, status: "succeeded", amount_minor: "49900" }),
    ]);
    const [row] = (
      await t.db.$client.query("select method from commerce.payments where provider_payment_id = $1", [linkId])
    ).rows;
    expect(row.method).toBe("upi");
    expect(await countWebhookEvents(t.db, "razorpay", "evt_link_paid_1")).toBe(1);
  });

  it("10 concurrent first deliveries (distinct event ids, as for events Razorpay sends separately) pay it once", async () => {
    const { orderId, linkId } = await upiLink(10_000n);
    const event = p.fakes.razorpay.payLink(linkId, "upi");
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(signed(event, `evt_conc_${linkId}_${i}`))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.map((a) => a.body.outcome).sort()).toEqual([...Array(9).fill("already_paid"), "paid"]);
    const state = await readOrderState(t.db, orderId);
    expect(state.history.filter((s) => s === "paid")).toHaveLength(1);
    expect(state.payments[0]).toMatchObject({ status: "succeeded" });
  });

  it("Razorpay's other events for the link's own order and payment are acknowledged, not applied", async () => {
    const { orderId, linkId } = await upiLink(10_000n);
    const paid = p.fakes.razorpay.payLink(linkId, "upi");
    const payload = paid.payload as {
      payment: { entity: Record<string, unknown> };
      order: { entity: Record<string, unknown> };
    };
    const captured = {
      ...paid,
      event: "payment.captured",
      contains: ["payment"],
      payload: { payment: payload.payment },
    };
    const orderPaid = {
      ...paid,
      event: "order.paid",
      contains: ["payment", "order"],
      payload: { payment: payload.payment, order: payload.order },
    };
    expect((await send(signed(captured))).body.outcome).toBe("unknown_payment");
    expect((await send(signed(orderPaid))).body.outcome).toBe("unknown_payment");
    expect((await readOrderState(t.db, orderId)).status).toBe("pending_payment");
    expect((await send(signed(paid))).body.outcome).toBe("paid");
  });

  it("an amount or currency not matching the order is flagged, the order goes to review, never paid", async () => {
    const short = await upiLink(10_000n);
    const event = p.fakes.razorpay.payLink(short.linkId, "upi");
    const link = (event.payload.payment_link as { entity: { amount_paid: number; currency: string } }).entity;
    link.amount_paid = 9_999;
    const answer = await send(signed(event));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "flagged" } });
    const state = await readOrderState(t.db, short.orderId);
    expect(state.status).toBe("payment_review");
    expect(state.history).not.toContain("paid");
    expect(state.payments[0]).toMatchObject({ status: "flagged", flagged_reason: "amount 9999 ≠ order total 10000" });

    const other = await upiLink(10_000n);
    const usd = p.fakes.razorpay.payLink(other.linkId, "upi");
    (usd.payload.payment_link as { entity: { currency: string } }).entity.currency = "USD";
    await send(signed(usd));
    expect((await readOrderState(t.db, other.orderId)).payments[0]?.flagged_reason).toBe(
      "currency USD ≠ order currency INR",
    );
  });

  it("forged deliveries are refused with 400 and change nothing", async () => {
    const { orderId, linkId } = await upiLink(10_000n);
    const event = p.fakes.razorpay.payLink(linkId, "upi");
    const eventsBefore = await countWebhookEvents(t.db, "razorpay");
    const forged = [
      signed(event, undefined, SECRETS.razorpay.wrong),
      tampered(signed(event)),
      withoutHeader(signed(event), "x-razorpay-signature"),
      { ...signed(event), headers: { ...signed(event).headers, "x-razorpay-signature": "0".repeat(64) } },
    ];
    for (const d of forged) {
      const answer = await post(d);
      expect(answer.status).toBe(400);
    }
    // Signed, but not a payment_link.paid Razorpay could send.
    const noLink = { ...event, payload: { payment: event.payload.payment } };
    expect(await send(signed(noLink))).toMatchObject({
      status: 400,
      body: { error: "payment_link.paid without payload.payment_link." },
    });
    expect(await countWebhookEvents(t.db, "razorpay")).toBe(eventsBefore);
    const state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("pending_payment");
    expect(state.payments[0]?.status).toBe("pending");
    // The genuine delivery still pays it; the previous webhook secret verifies during a rotation.
    expect((await send(signed(event, undefined, SECRETS.razorpay.previous))).body.outcome).toBe("paid");
  });
});

describe("razorpay payment links: cancelled, expired, refunded", () => {
  it("an expired link fails the payment (the order may be paid again with a new link); a paid one is not undone", async () => {
    const { orderId, linkId } = await upiLink(10_000n);
    const expired = await send(signed(p.fakes.razorpay.endLink(linkId, "expired")));
    expect(expired.body.outcome).toBe("failed");
    let state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("payment_failed");
    expect(state.payments[0]).toMatchObject({ status: "failed" });

    // Razorpay wants reference_id unique per link: the second link of the order gets ".2".
    const second = await p.razorpay.createPayment(t.db, { orderId, method: "upi" });
    expect(second.providerPaymentId).not.toBe(linkId);
    expect(jsonOf(linkCreates().at(-1)).reference_id).toBe(`${orderId}.2`);
    expect((await send(signed(p.fakes.razorpay.payLink(second.providerPaymentId, "upi")))).body.outcome).toBe("paid");
    state = await readOrderState(t.db, orderId);
    expect(state.status).toBe("paid");

    const cancelledAfterPaid = await send(signed(p.fakes.razorpay.endLink(second.providerPaymentId, "cancelled")));
    expect(cancelledAfterPaid.body.outcome).toBe("stale");
    expect((await readOrderState(t.db, orderId)).status).toBe("paid");
  });

  it("refunds of a link payment go on its captured payment id (partial, then the rest)", async () => {
    const { orderId, linkId } = await upiLink(49_900n);
    const event = p.fakes.razorpay.payLink(linkId, "upi");
    await send(signed(event));
    const paymentId = (event.payload.payment as { entity: { id: string } }).entity.id;

    const partial = await p.razorpay.refund(t.db, { orderId, amountMinor: 10_000n });
    expect(partial).toMatchObject({ amountMinor: 10_000n, refundedMinor: 10_000n });
    expect(partial.providerRefundId).toMatch(/^rfnd_/);
    const refunds = p.fakes.razorpay.requests.filter((r) => r.path === `/v1/payments/${paymentId}/refund`);
    expect(jsonOf(refunds.at(-1))).toMatchObject({ amount: 10000, notes: { orderId } });
    expect(p.fakes.razorpay.requests.some((r) => r.method === "GET" && r.path === `/v1/payment_links/${linkId}`)).toBe(
      true,
    );
    expect((await readOrderState(t.db, orderId)).status).toBe("partially_refunded");

    const rest = await p.razorpay.refund(t.db, { orderId });
    expect(rest).toMatchObject({ amountMinor: 39_900n, refundedMinor: 49_900n });
    expect((await readOrderState(t.db, orderId)).status).toBe("refunded");
  });

  it("an unpaid link has nothing to refund", async () => {
    const { orderId } = await upiLink(10_000n);
    await expect(p.razorpay.refund(t.db, { orderId })).rejects.toThrow(/no succeeded razorpay payment/);
  });
});
