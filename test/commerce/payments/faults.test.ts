// Faults around webhook delivery, through a real HTTP server with the raw body (TESTPLAN F7–F9):
// duplicates sequential and concurrent apply once; with Postgres unreachable the answer is 5xx
// and nothing is stored, and the retry after recovery applies once; a crash after the commit and
// before the 2xx makes the provider's retry a no-op.
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb } from "../../../lib/db/client.ts";
import { createWebhookRequestHandler, readRawBody } from "../../../lib/payments/http-handler.ts";
import type { PaymentProvider } from "../../../lib/payments/provider.ts";
import { handleWebhook } from "../../../lib/payments/webhooks.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import {
  btcpayDelivery,
  btcpayEventBody,
  type Delivery,
  hook0Delivery,
  razorpayDelivery,
  stripeDelivery,
  stripeEventBody,
} from "./support/deliveries.ts";
import { countWebhookEvents, insertOrder, readOrderState } from "./support/fixtures.ts";
import { KEYS, SECRETS, startTestProviders, type TestProviders } from "./support/providers.ts";

let t: TestDatabase;
let p: TestProviders;
const servers: Server[] = [];
beforeAll(async () => {
  t = await createTestDatabase("payments-faults", 5533);
  p = await startTestProviders();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await p?.close();
  await t?.stop();
});

async function listen(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function post(url: string, d: Delivery) {
  const response = await fetch(url, { method: "POST", headers: d.headers, body: new Uint8Array(d.body) });
  return {
    status: response.status,
    body: (await response.json()) as { duplicate?: boolean; outcome?: string; error?: string },
  };
}

/** A pending payment of 10,000 minor units and the signed "paid" delivery for it, per provider. */
type Scenario = () => Promise<{ orderId: string; provider: PaymentProvider; delivery: Delivery }>;
const scenarios = {
  stripe: async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 10_000n });
    const { providerPaymentId: id } = await p.stripe.createPayment(t.db, { orderId, method: "card" });
    const event = stripeEventBody("payment_intent.succeeded", {
      id,
      amount: 10000,
      amount_received: 10000,
      currency: "usd",
      metadata: { orderId },
    });
    return { orderId, provider: p.stripe, delivery: stripeDelivery(event, SECRETS.stripe.current) };
  },
  razorpay: async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 10_000n });
    const { providerPaymentId: id } = await p.razorpay.createPayment(t.db, { orderId, method: "card" });
    const payment = {
      entity: { id: "pay_x", order_id: id, amount: 10000, currency: "USD", status: "captured", method: "card" },
    };
    const event = { entity: "event", event: "payment.captured", payload: { payment }, created_at: 0 };
    return { orderId, provider: p.razorpay, delivery: razorpayDelivery(event, SECRETS.razorpay.current) };
  },
  coinbase: async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 10_000n });
    const { providerPaymentId: id } = await p.coinbase.createPayment(t.db, { orderId, method: "crypto" });
    const event = {
      id,
      amount: "100.00",
      currency: "USD",
      status: "COMPLETED",
      eventType: "checkout.payment.success",
      metadata: { orderId },
    };
    return { orderId, provider: p.coinbase, delivery: hook0Delivery(event, SECRETS.coinbase.current) };
  },
  btcpay: async () => {
    const { orderId } = await insertOrder(t.db, { totalMinor: 10_000n });
    const { providerPaymentId: id } = await p.btcpay.createPayment(t.db, { orderId, method: "bitcoin" });
    p.fakes.btcpay.settle(id);
    return {
      orderId,
      provider: p.btcpay,
      delivery: btcpayDelivery(
        btcpayEventBody("InvoiceSettled", id, KEYS.btcpay.store, orderId),
        SECRETS.btcpay.current,
      ),
    };
  },
} satisfies Record<string, Scenario>;

const paidCount = async (orderId: string) =>
  (await readOrderState(t.db, orderId)).history.filter((s) => s === "paid").length;

let url: string;
beforeAll(async () => {
  url = await listen(
    createWebhookRequestHandler(t.db, {
      stripe: p.stripe,
      razorpay: p.razorpay,
      coinbase: p.coinbase,
      btcpay: p.btcpay,
    }),
  );
});

for (const [name, scenario] of Object.entries(scenarios)) {
  describe(`F7 ${name}: duplicates apply once`, () => {
    it("F7 the same webhook ×3 in sequence: one effect, two acknowledged duplicates", async () => {
      const { orderId, delivery } = await scenario();
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(`${url}/webhooks/${name}`, delivery));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers.map((a) => a.body.duplicate)).toEqual([false, true, true]);
      expect(await paidCount(orderId)).toBe(1);
      expect((await readOrderState(t.db, orderId)).payments[0]?.status).toBe("succeeded");
    });

    it("F7 the same webhook ×10 concurrently: exactly one effect", async () => {
      const { orderId, delivery } = await scenario();
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(`${url}/webhooks/${name}`, delivery)));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
      expect(await paidCount(orderId)).toBe(1);
    });
  });
}

describe("F8 Postgres unreachable", () => {
  it("F8 answers 503 and stores nothing; the provider's retry after recovery applies once", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const downDb = createDb(`postgresql://postgres:postgres@127.0.0.1:${closedPort}/neocart`, {
      onIdleError: () => {},
    });
    const downUrl = await listen(createWebhookRequestHandler(downDb, { stripe: p.stripe }));
    try {
      const { orderId, delivery } = await scenarios.stripe();
      const eventId = JSON.parse(delivery.body.toString()).id as string;
      const down = await post(`${downUrl}/webhooks/stripe`, delivery);
      expect(down.status).toBe(503);
      expect(down.body.error).toMatch(/nothing was recorded, retry later/);
      expect(await countWebhookEvents(t.db, "stripe", eventId)).toBe(0);
      expect((await readOrderState(t.db, orderId)).status).toBe("pending_payment");

      const retry = await post(`${url}/webhooks/stripe`, delivery);
      expect(retry).toMatchObject({ status: 200, body: { duplicate: false, outcome: "paid" } });
      const again = await post(`${url}/webhooks/stripe`, delivery);
      expect(again.body.duplicate).toBe(true);
      expect(await paidCount(orderId)).toBe(1);
    } finally {
      await closeDb(downDb);
    }
  });
});

describe("F8 failure inside the transaction", () => {
  it("F8 an error after the event id was inserted rolls the id back too: 503, then the retry applies once", async () => {
    // The database dies between "record the event id" and "apply the effect": simulated by a
    // trigger that fails the order-history insert. The event id must not survive on its own,
    // or the retry would be taken for a duplicate and the payment lost.
    const { orderId, delivery } = await scenarios.razorpay();
    await t.db.$client.query(`create function commerce.fail_history() returns trigger language plpgsql as
      $$ begin raise exception 'simulated outage'; end $$`);
    await t.db.$client.query(
      "create trigger fail_history before insert on commerce.order_status_history for each row execute function commerce.fail_history()",
    );
    try {
      const down = await post(`${url}/webhooks/razorpay`, delivery);
      expect(down.status).toBe(503);
      expect(down.body.error).toMatch(/simulated outage/);
      expect(await countWebhookEvents(t.db, "razorpay", delivery.headers["x-razorpay-event-id"])).toBe(0);
      expect((await readOrderState(t.db, orderId)).payments[0]?.status).toBe("pending");
    } finally {
      await t.db.$client.query("drop trigger fail_history on commerce.order_status_history");
      await t.db.$client.query("drop function commerce.fail_history()");
    }
    const retry = await post(`${url}/webhooks/razorpay`, delivery);
    expect(retry).toMatchObject({ status: 200, body: { duplicate: false, outcome: "paid" } });
    expect(await paidCount(orderId)).toBe(1);
  });
});

describe("F8 provider unreachable while verifying", () => {
  it("F8 a BTCPay settlement whose invoice cannot be read back answers 503 and stores nothing", async () => {
    const { BtcpayProvider } = await import("../../../lib/payments/btcpay.ts");
    const { orderId, delivery } = await scenarios.btcpay();
    const offline = new BtcpayProvider({ ...p.settings.btcpay, serverUrl: "http://127.0.0.1:9" });
    const answer = await handleWebhook(t.db, offline, delivery.body, delivery.headers);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatch(/could not be reached .* Retry later/);
    const eventId = JSON.parse(delivery.body.toString()).originalDeliveryId as string;
    expect(await countWebhookEvents(t.db, "btcpay", eventId)).toBe(0);
    expect((await readOrderState(t.db, orderId)).status).toBe("pending_payment");
  });
});

describe("F9 crash after commit, before the 2xx", () => {
  it("F9 the provider sees no answer and retries; the retry is a no-op", async () => {
    // This server commits (handleWebhook returns) and then dies before answering.
    const crashingUrl = await listen(async (request, response) => {
      const body = await readRawBody(request);
      await handleWebhook(t.db, p.coinbase, body ?? Buffer.alloc(0), request.headers);
      response.socket?.destroy();
    });
    const { orderId, delivery } = await scenarios.coinbase();
    await expect(post(`${crashingUrl}/webhooks/coinbase`, delivery)).rejects.toThrow();
    expect(await paidCount(orderId)).toBe(1);
    expect(await countWebhookEvents(t.db, "coinbase", delivery.headers["x-event-id"])).toBe(1);

    const retry = await post(`${url}/webhooks/coinbase`, delivery);
    expect(retry).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
    expect(await paidCount(orderId)).toBe(1);
  });
});
