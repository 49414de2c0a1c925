// Stripe subscription renewals through the webhook handler, with deliveries signed by the official
// SDK's stripe.webhooks.generateTestHeaderString and objects shaped by the fake Stripe's billing:
// each later billing period is recorded once as a payment (keyed by its invoice) and a period
// linked to the subscription's order, under duplicate and concurrent deliveries (F7) and under the
// two events Stripe sends per paid invoice; amounts are checked against the order; a failed
// renewal makes the subscription past due, deletion cancels it; unknown subscriptions are answered
// with an outcome that says so.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getTableConfig } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookRequestHandler } from "../../../lib/payments/http-handler.ts";
import { subscriptionRenewals, subscriptions } from "../../../lib/payments/tables.ts";
import { handleWebhook } from "../../../lib/payments/webhooks.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { type Delivery, stripeDelivery, stripeEventBody } from "./support/deliveries.ts";
import { countWebhookEvents, insertOrder, readOrderState } from "./support/fixtures.ts";
import { SECRETS, startTestProviders, type TestProviders } from "./support/providers.ts";

let t: TestDatabase;
let p: TestProviders;
let server: Server;
let webhookUrl: string;
beforeAll(async () => {
  t = await createTestDatabase("payments-subscriptions", 5534);
  p = await startTestProviders();
  server = createServer(createWebhookRequestHandler(t.db, { stripe: p.stripe }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await p?.close();
  await t?.stop();
});

const delivery = (type: string, object: Record<string, unknown>, eventId?: string) =>
  stripeDelivery(stripeEventBody(type, object, eventId), SECRETS.stripe.current);
const send = (d: Delivery) => handleWebhook(t.db, p.stripe, d.body, d.headers);
async function post(d: Delivery) {
  const response = await fetch(webhookUrl, { method: "POST", headers: d.headers, body: new Uint8Array(d.body) });
  return { status: response.status, body: (await response.json()) as { duplicate?: boolean; outcome?: string } };
}

/** An order paid through a subscription Checkout Session, as a shopper does it. */
async function subscribedOrder(totalMinor = 1_500n) {
  const order = await insertOrder(t.db, { totalMinor });
  const created = await p.stripe.createPayment(t.db, { orderId: order.orderId, method: "subscription" });
  const session = p.fakes.stripe.completeCheckout(created.providerPaymentId);
  const answer = await send(delivery("checkout.session.completed", session));
  expect(answer.body.outcome).toBe("paid");
  if (!session.subscription) throw new Error("the session started no subscription");
  return { ...order, sessionId: created.providerPaymentId, subscriptionId: session.subscription };
}

async function subscriptionOf(orderId: string) {
  const q = (sql: string) => t.db.$client.query(sql, [orderId]);
  const sub = (
    await q(
      "select provider_subscription_id, status, paid_through, canceled_at from commerce.subscriptions where order_id = $1",
    )
  ).rows[0];
  const renewals = (
    await q(
      `select p.provider_payment_id, p.status, p.amount_minor::text, p.currency, p.method, p.flagged_reason,
              r.period_start, r.period_end
         from commerce.subscription_renewals r join commerce.payments p on p.id = r.payment_id
        where r.order_id = $1 order by r.created_at, p.provider_payment_id`,
    )
  ).rows;
  return { sub, renewals };
}

const paymentsFor = async (invoiceId: string) =>
  (
    await t.db.$client.query(
      "select count(*)::int as n from commerce.payments where provider = 'stripe' and provider_payment_id = $1",
      [invoiceId],
    )
  ).rows[0].n as number;

const lineEnd = (invoice: Record<string, unknown>) =>
  new Date(((invoice.lines as { data: { period: { end: number } }[] }).data[0]?.period.end ?? 0) * 1000);

describe("stripe subscriptions: linking and the first period", () => {
  it("checkout.session.completed links the subscription to the order; its first invoice is not a renewal", async () => {
    const s = await subscribedOrder();
    // The subscription carries our order id (the fallback below relies on it).
    const sent = p.fakes.stripe.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1);
    expect(sent && p.fakes.stripe.form(sent).get("subscription_data[metadata][orderId]")).toBe(s.orderId);

    const first = await send(delivery("invoice.paid", p.fakes.stripe.firstInvoice(s.subscriptionId)));
    expect(first).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    const { sub, renewals } = await subscriptionOf(s.orderId);
    expect(sub).toMatchObject({ provider_subscription_id: s.subscriptionId, status: "active", paid_through: null });
    expect(renewals).toEqual([]);
    const state = await readOrderState(t.db, s.orderId);
    expect(state.status).toBe("paid");
    expect(state.payments).toHaveLength(1);
  });
});

describe("stripe subscriptions: renewals", () => {
  it("a renewal is one payment (keyed by its invoice) and one period on the subscription's order", async () => {
    const s = await subscribedOrder(1_500n);
    const invoice = p.fakes.stripe.renewInvoice(s.subscriptionId);
    const answer = await send(delivery("invoice.paid", invoice));
    expect(answer).toMatchObject({ status: 200, body: { received: true, duplicate: false, outcome: "renewed" } });

    const { sub, renewals } = await subscriptionOf(s.orderId);
    expect(renewals).toEqual([
      {
        provider_payment_id: invoice.id,
        status: "succeeded",
        amount_minor: "1500",
        currency: "USD",
        method: "subscription",
        flagged_reason: null,
        period_start: expect.any(Date),
        period_end: lineEnd(invoice),
      },
    ]);
    expect(sub).toMatchObject({ status: "active", paid_through: lineEnd(invoice) });
    // The order is the subscription: still paid once, with both payments on it.
    const state = await readOrderState(t.db, s.orderId);
    expect(state.status).toBe("paid");
    expect(state.history.filter((h) => h === "paid")).toHaveLength(1);
    expect(state.payments.map((x) => x.provider_payment_id).sort()).toEqual([s.sessionId, invoice.id].sort());

    // A second period is a second renewal and moves paid_through on.
    const next = p.fakes.stripe.renewInvoice(s.subscriptionId);
    expect((await send(delivery("invoice.paid", next))).body.outcome).toBe("renewed");
    const after = await subscriptionOf(s.orderId);
    expect(after.renewals).toHaveLength(2);
    expect(after.sub.paid_through).toEqual(lineEnd(next));
  });

  it("F7 the same renewal delivery ×3 in sequence: one renewal, two acknowledged duplicates", async () => {
    const s = await subscribedOrder();
    const invoice = p.fakes.stripe.renewInvoice(s.subscriptionId);
    const d = delivery("invoice.paid", invoice);
    const answers = [await post(d), await post(d), await post(d)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.duplicate)).toEqual([false, true, true]);
    expect(answers[0]?.body.outcome).toBe("renewed");
    expect(await paymentsFor(invoice.id)).toBe(1);
    expect((await subscriptionOf(s.orderId)).renewals).toHaveLength(1);
  });

  it("F7 the same renewal delivery ×10 concurrently: exactly one renewal", async () => {
    const s = await subscribedOrder();
    const invoice = p.fakes.stripe.renewInvoice(s.subscriptionId);
    const d = delivery("invoice.paid", invoice);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(d)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.duplicate === false)).toEqual([
      { status: 200, body: { received: true, duplicate: false, outcome: "renewed" } },
    ]);
    expect(await paymentsFor(invoice.id)).toBe(1);
    expect((await subscriptionOf(s.orderId)).renewals).toHaveLength(1);
  });

  it("F7 invoice.paid and invoice.payment_succeeded (10 events, each its own id) for one invoice, concurrently: one renewal", async () => {
    const s = await subscribedOrder();
    const invoice = p.fakes.stripe.renewInvoice(s.subscriptionId);
    const deliveries = Array.from({ length: 10 }, (_, i) =>
      delivery(i % 2 ? "invoice.payment_succeeded" : "invoice.paid", invoice),
    );
    const eventsBefore = await countWebhookEvents(t.db, "stripe");
    const answers = await Promise.all(deliveries.map(post));
    expect(answers.every((a) => a.status === 200 && a.body.duplicate === false)).toBe(true);
    const outcomes = answers.map((a) => a.body.outcome).sort();
    expect(outcomes).toEqual([...Array(9).fill("already_paid"), "renewed"]);
    // Every event was stored (each its own id); the invoice counted once.
    expect(await countWebhookEvents(t.db, "stripe")).toBe(eventsBefore + 10);
    expect(await paymentsFor(invoice.id)).toBe(1);
    expect((await subscriptionOf(s.orderId)).renewals).toHaveLength(1);
  });

  it("a renewal whose amount or currency differs from the order is flagged, not fulfilled", async () => {
    const s = await subscribedOrder(1_500n);
    const short = p.fakes.stripe.renewInvoice(s.subscriptionId, { amountPaid: 1_499 });
    expect((await send(delivery("invoice.paid", short))).body.outcome).toBe("flagged");
    const euro = p.fakes.stripe.renewInvoice(s.subscriptionId, { currency: "eur" });
    expect((await send(delivery("invoice.paid", euro))).body.outcome).toBe("flagged");

    const { sub, renewals } = await subscriptionOf(s.orderId);
    expect(renewals.map((r) => [r.provider_payment_id, r.status, r.flagged_reason])).toEqual(
      expect.arrayContaining([
        [short.id, "flagged", "amount 1499 ≠ order total 1500"],
        [euro.id, "flagged", "currency EUR ≠ order currency USD"],
      ]),
    );
    // Not fulfilled: nothing is paid through, and a repeat of the flagged invoice changes nothing.
    expect(sub.paid_through).toBeNull();
    expect((await send(delivery("invoice.payment_succeeded", short))).body.outcome).toBe("already_paid");
    expect(await paymentsFor(short.id)).toBe(1);
    expect((await readOrderState(t.db, s.orderId)).status).toBe("paid");
  });
});

describe("stripe subscriptions: failed renewals and cancellation", () => {
  it("a failed renewal makes the subscription past due; paid on a later attempt it is active again", async () => {
    const s = await subscribedOrder();
    const invoice = p.fakes.stripe.renewInvoice(s.subscriptionId, { paid: false });
    const failed = await send(delivery("invoice.payment_failed", invoice));
    expect(failed).toMatchObject({ status: 200, body: { outcome: "past_due" } });
    let state = await subscriptionOf(s.orderId);
    expect(state.sub).toMatchObject({ status: "past_due", paid_through: null });
    expect(state.renewals).toMatchObject([{ provider_payment_id: invoice.id, status: "failed" }]);
    // The next automatic retry fails too: still past due, still one row for the invoice.
    expect((await send(delivery("invoice.payment_failed", invoice))).body.outcome).toBe("past_due");
    expect(await paymentsFor(invoice.id)).toBe(1);

    const paid = p.fakes.stripe.payInvoice(invoice.id);
    expect((await send(delivery("invoice.paid", paid))).body.outcome).toBe("renewed");
    state = await subscriptionOf(s.orderId);
    expect(state.sub).toMatchObject({ status: "active", paid_through: lineEnd(paid) });
    expect(state.renewals).toMatchObject([{ provider_payment_id: invoice.id, status: "succeeded" }]);
    expect(await paymentsFor(invoice.id)).toBe(1);

    // A failure delivered after the invoice was paid (Stripe does not order deliveries) is stale.
    expect((await send(delivery("invoice.payment_failed", invoice))).body.outcome).toBe("stale");
    expect((await subscriptionOf(s.orderId)).sub.status).toBe("active");
    // The first period stays paid throughout.
    expect((await readOrderState(t.db, s.orderId)).status).toBe("paid");
  });

  it("customer.subscription.deleted cancels it; a repeat is stale and a late failure does not revive it", async () => {
    const s = await subscribedOrder();
    const cancelled = p.fakes.stripe.cancel(s.subscriptionId);
    expect((await send(delivery("customer.subscription.deleted", cancelled))).body.outcome).toBe("canceled");
    const { sub } = await subscriptionOf(s.orderId);
    expect(sub.status).toBe("canceled");
    expect(sub.canceled_at).toBeInstanceOf(Date);

    expect((await send(delivery("customer.subscription.deleted", cancelled))).body.outcome).toBe("stale");
    const late = p.fakes.stripe.renewInvoice(s.subscriptionId, { paid: false });
    expect((await send(delivery("invoice.payment_failed", late))).body.outcome).toBe("stale");
    expect((await subscriptionOf(s.orderId)).sub.status).toBe("canceled");
    expect((await readOrderState(t.db, s.orderId)).status).toBe("paid");
  });
});

describe("stripe subscriptions: subscriptions we do not know", () => {
  it("a renewal, a failure or a deletion for an unknown subscription is acknowledged as unknown_subscription and records nothing", async () => {
    const stranger = {
      id: "in_not_ours",
      object: "invoice",
      billing_reason: "subscription_cycle",
      amount_paid: 1500,
      amount_due: 1500,
      currency: "usd",
      parent: { type: "subscription_details", subscription_details: { subscription: "sub_not_ours", metadata: {} } },
      lines: { object: "list", data: [], has_more: false },
    };
    for (const type of ["invoice.paid", "invoice.payment_failed"]) {
      const d = delivery(type, stranger);
      const answer = await send(d);
      expect(answer).toMatchObject({ status: 200, body: { received: true, outcome: "unknown_subscription" } });
    }
    const deleted = await send(
      delivery("customer.subscription.deleted", { id: "sub_not_ours", object: "subscription", status: "canceled" }),
    );
    expect(deleted.body.outcome).toBe("unknown_subscription");
    expect(await paymentsFor("in_not_ours")).toBe(0);
    const { rows } = await t.db.$client.query(
      "select outcome from commerce.webhook_events where provider = 'stripe' and payload->'data'->'object'->>'id' in ('in_not_ours', 'sub_not_ours')",
    );
    expect(rows.map((r) => r.outcome)).toEqual(Array(3).fill("unknown_subscription"));
  });

  it("metadata naming an order that was not paid by a subscription does not link anything", async () => {
    const { orderId } = await insertOrder(t.db);
    await p.stripe.createPayment(t.db, { orderId, method: "card" });
    const invoice = {
      id: "in_claims_card_order",
      object: "invoice",
      billing_reason: "subscription_cycle",
      amount_paid: 12_345,
      currency: "usd",
      parent: {
        type: "subscription_details",
        subscription_details: { subscription: "sub_claims_card_order", metadata: { orderId } },
      },
      lines: { object: "list", data: [], has_more: false },
    };
    expect((await send(delivery("invoice.paid", invoice))).body.outcome).toBe("unknown_subscription");
    expect((await subscriptionOf(orderId)).sub).toBeUndefined();
    expect(await paymentsFor(invoice.id)).toBe(0);
  });

  it("a subscription paid before renewals were linked is found through its metadata (legacy invoice shape too)", async () => {
    const order = await insertOrder(t.db, { totalMinor: 2_000n });
    const created = await p.stripe.createPayment(t.db, { orderId: order.orderId, method: "subscription" });
    const session = p.fakes.stripe.completeCheckout(created.providerPaymentId);
    // As recorded before this change: the session's subscription was not kept.
    const { subscription, ...withoutSubscription } = session;
    expect((await send(delivery("checkout.session.completed", withoutSubscription))).body.outcome).toBe("paid");
    expect((await subscriptionOf(order.orderId)).sub).toBeUndefined();
    if (!subscription) throw new Error("the session started no subscription");

    // An endpoint pinned to an API version before 2025-03-31 gets invoice.subscription at the top.
    const invoice = p.fakes.stripe.renewInvoice(subscription, { legacyShape: true });
    expect(invoice).toHaveProperty("subscription", subscription);
    expect((await send(delivery("invoice.paid", invoice))).body.outcome).toBe("renewed");
    const { sub, renewals } = await subscriptionOf(order.orderId);
    expect(sub).toMatchObject({ provider_subscription_id: subscription, status: "active" });
    expect(renewals).toMatchObject([{ provider_payment_id: invoice.id, status: "succeeded", amount_minor: "2000" }]);
  });
});

describe("stripe subscriptions: schema", () => {
  it("every column of the Drizzle mirror (lib/payments/tables.ts) exists in the database with the same nullability", async () => {
    const { rows } = await t.db.$client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'commerce'",
    );
    const columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable === "YES"]));
    const problems: string[] = [];
    for (const table of [subscriptions, subscriptionRenewals]) {
      const config = getTableConfig(table);
      for (const column of config.columns) {
        const key = `${config.name}.${column.name}`;
        const nullable = columns.get(key);
        if (nullable === undefined) problems.push(`${key} missing`);
        else if (nullable === column.notNull) problems.push(`${key} nullability differs`);
      }
    }
    expect(problems).toEqual([]);
  });
});
