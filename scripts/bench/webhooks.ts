// `npm run bench:webhooks`: webhook throughput with duplicates and forgeries. Starts its own
// embedded PostgreSQL (port 5539, data under .neocart/bench-webhooks-pg, deleted afterwards),
// seeds one pending payment per order, then sends NEOCART_BENCH_DELIVERIES (default 10,000)
// signed deliveries — Stripe, Razorpay and Coinbase formats; 20% duplicates of earlier events,
// 5% forged (wrong secret or altered body) — at NEOCART_BENCH_CONCURRENCY (default 32) through
// handleWebhook behind a local HTTP server that passes the raw body. Reports deliveries/s,
// latency p50/p95/p99, double effects (must be 0) and forged rejected (must be 100%); prints a
// table and writes bench/webhooks.json.
import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { startPostgres } from "../../lib/db/start-postgres.ts";
import { CoinbaseProvider } from "../../lib/payments/coinbase.ts";
import { createWebhookRequestHandler } from "../../lib/payments/http-handler.ts";
import type { ProviderName } from "../../lib/payments/provider.ts";
import { RazorpayProvider } from "../../lib/payments/razorpay.ts";
import { StripeProvider } from "../../lib/payments/stripe.ts";
import {
  type Delivery,
  hook0Delivery,
  razorpayDelivery,
  stripeDelivery,
  stripeEventBody,
  tampered,
} from "../../test/commerce/payments/support/deliveries.ts";
import { repoRoot } from "../stack/child-process.ts";

const DELIVERIES = Number(process.env.NEOCART_BENCH_DELIVERIES ?? 10_000);
const CONCURRENCY = Number(process.env.NEOCART_BENCH_CONCURRENCY ?? 32);
const DUPLICATE_SHARE = 0.2;
const FORGED_SHARE = 0.05;
const PG_PORT = 5539;
const TOTAL_MINOR = 10_000n;
const pgDir = path.join(repoRoot, ".neocart", "bench-webhooks-pg");
const outFile = path.join(repoRoot, "bench", "webhooks.json");
const SECRET = { stripe: "whsec_bench", razorpay: "rzp_wh_bench", coinbase: "cb_wh_bench" };
const PROVIDERS = ["stripe", "razorpay", "coinbase"] as const satisfies readonly ProviderName[];

type Planned = { provider: (typeof PROVIDERS)[number]; delivery: Delivery; kind: "first" | "duplicate" | "forged" };

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const run of cleanups.splice(0).reverse())
    await run().catch((e) => console.error(`cleanup: ${(e as Error).message}`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

/** One user, seller, product and offer; `count` orders awaiting payment, each with its pending payment. */
async function seed(db: Db, count: number) {
  const q = (sql: string, params: unknown[] = []) => db.$client.query(sql, params);
  const user = (await q("insert into commerce.users (display_name) values ('bench') returning id")).rows[0].id;
  const seller = (await q("insert into commerce.sellers (slug, name) values ('bench', 'Bench') returning id")).rows[0]
    .id;
  await q("insert into commerce.categories (slug, name) values ('bench', 'Bench')");
  const product = (
    await q(`insert into commerce.products (sku, slug, chain_id_hash, category_slug, brand, title, description)
      values ('bench', 'bench', '0x${"ab".repeat(32)}', 'bench', 'B', 'B', 'B') returning id`)
  ).rows[0].id;
  const offer = (
    await q(
      "insert into commerce.offers (product_id, seller_id, price_minor, currency) values ($1, $2, $3, 'USD') returning id",
      [product, seller, TOTAL_MINOR],
    )
  ).rows[0].id;
  await q(
    `insert into commerce.orders (kind, user_id, chain_order_id, currency, subtotal_minor, total_minor, status)
     select 'fiat', $1, '0x' || lpad(to_hex(i), 64, '0'), 'USD', $2, $2, 'pending_payment' from generate_series(1, $3) i`,
    [user, TOTAL_MINOR, count],
  );
  await q(
    `insert into commerce.order_items (order_id, offer_id, product_id, seller_id, quantity, unit_price_minor)
     select id, $1, $2, $3, 1, total_minor from commerce.orders`,
    [offer, product, seller],
  );
  const { rows } = await q(
    "select id, ('x' || right(chain_order_id, 8))::bit(32)::int as i from commerce.orders order by 2",
  );
  const orders = rows.map((r) => ({ id: r.id as string, index: r.i as number }));
  await q(
    `insert into commerce.payments (order_id, provider, provider_payment_id, method, amount_minor, currency, status)
     select o.id, p.provider, p.ref, 'card', $1, 'USD', 'pending'
     from unnest($2::uuid[], $3::text[], $4::text[]) as p(order_id, provider, ref) join commerce.orders o on o.id = p.order_id`,
    [
      TOTAL_MINOR,
      orders.map((o) => o.id),
      orders.map((o) => providerOf(o.index)),
      orders.map((o) => paymentRef(o.index)),
    ],
  );
  return orders;
}

const providerOf = (index: number) => PROVIDERS[index % PROVIDERS.length] as (typeof PROVIDERS)[number];
const paymentRef = (index: number) => {
  const provider = providerOf(index);
  if (provider === "stripe") return `pi_bench_${index}`;
  if (provider === "razorpay") return `order_bench${index}`;
  return index.toString(16).padStart(24, "0");
};

/** The signed "paid" delivery for an order, as its provider would send it. */
function paidDelivery(order: { id: string; index: number }, secret?: string): Delivery {
  const provider = providerOf(order.index);
  const ref = paymentRef(order.index);
  if (provider === "stripe") {
    const event = stripeEventBody("payment_intent.succeeded", {
      id: ref,
      amount: 10000,
      amount_received: 10000,
      currency: "usd",
      metadata: { orderId: order.id },
    });
    return stripeDelivery(event, secret ?? SECRET.stripe);
  }
  if (provider === "razorpay") {
    const payment = {
      entity: {
        id: `pay_${order.index}`,
        order_id: ref,
        amount: 10000,
        currency: "USD",
        status: "captured",
        method: "upi",
      },
    };
    return razorpayDelivery(
      { entity: "event", event: "payment.captured", payload: { payment }, created_at: 0 },
      secret ?? SECRET.razorpay,
    );
  }
  const checkout = {
    id: ref,
    amount: "100.00",
    currency: "USD",
    status: "COMPLETED",
    eventType: "checkout.payment.success",
    metadata: { orderId: order.id },
  };
  return hook0Delivery(checkout, secret ?? SECRET.coinbase);
}

function plan(orders: { id: string; index: number }[]): Planned[] {
  const forgedCount = Math.round(DELIVERIES * FORGED_SHARE);
  const duplicateCount = Math.round(DELIVERIES * DUPLICATE_SHARE);
  const firsts: Planned[] = orders.map((o) => ({
    provider: providerOf(o.index),
    delivery: paidDelivery(o),
    kind: "first",
  }));
  const out: Planned[] = [...firsts];
  for (let i = 0; i < duplicateCount; i++) {
    const original = firsts[Math.floor(Math.random() * firsts.length)] as Planned;
    out.push({ ...original, kind: "duplicate" });
  }
  for (let i = 0; i < forgedCount; i++) {
    const order = orders[Math.floor(Math.random() * orders.length)] as { id: string; index: number };
    const delivery =
      i % 2 === 0 ? paidDelivery(order, `forged_${randomBytes(4).toString("hex")}`) : tampered(paidDelivery(order));
    out.push({ provider: providerOf(order.index), delivery, kind: "forged" });
  }
  // Shuffle, so duplicates sometimes race their original and forgeries are spread out.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as Planned, out[i] as Planned];
  }
  return out;
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
  await rm(pgDir, { recursive: true, force: true });
  console.log(`postgres: starting embedded server on port ${PG_PORT}`);
  const pgServer = await startPostgres({
    forceEmbedded: true,
    ephemeral: true,
    port: PG_PORT,
    dataDir: pgDir,
    database: "neocart_bench",
  });
  cleanups.push(() => rm(pgDir, { recursive: true, force: true }));
  cleanups.push(() => pgServer.stop());
  await migrate(pgServer.url);
  const db = createDb(pgServer.url, { max: 40, onIdleError: () => {} });
  cleanups.push(() => closeDb(db));

  const firstCount = DELIVERIES - Math.round(DELIVERIES * DUPLICATE_SHARE) - Math.round(DELIVERIES * FORGED_SHARE);
  const orders = await seed(db, firstCount);
  const deliveries = plan(orders);
  console.log(
    `seeded ${orders.length.toLocaleString("en")} orders; sending ${deliveries.length.toLocaleString("en")} deliveries at concurrency ${CONCURRENCY}`,
  );

  const providers = {
    stripe: new StripeProvider({
      secretKey: "sk_test_bench",
      webhookSecrets: [SECRET.stripe],
      toleranceSeconds: 300,
      apiUrl: "http://127.0.0.1:9",
      returnUrl: "http://localhost/orders",
    }),
    razorpay: new RazorpayProvider({
      keyId: "rzp_test_bench",
      keySecret: "x",
      webhookSecrets: [SECRET.razorpay],
      apiUrl: "http://127.0.0.1:9",
    }),
    coinbase: new CoinbaseProvider({
      apiKeyId: "bench",
      apiKeySecret: "unused",
      webhookSecrets: [SECRET.coinbase],
      toleranceSeconds: 300,
      apiUrl: "http://127.0.0.1:9",
      returnUrl: "http://localhost/orders",
    }),
  };
  const server: Server = createServer(createWebhookRequestHandler(db, providers));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const latencies: number[] = [];
  const tally = { firstOk: 0, duplicateOk: 0, forgedRejected: 0, unexpected: 0 };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < deliveries.length) {
        const item = deliveries[next++] as Planned;
        const t0 = performance.now();
        const response = await fetch(`${base}/webhooks/${item.provider}`, {
          method: "POST",
          headers: item.delivery.headers,
          body: new Uint8Array(item.delivery.body),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (item.kind === "forged") response.status === 400 ? tally.forgedRejected++ : tally.unexpected++;
        else if (response.status === 200) item.kind === "first" ? tally.firstOk++ : tally.duplicateOk++;
        else tally.unexpected++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const q = async (sql: string) => (await db.$client.query(sql)).rows[0];
  const effects = await q("select count(*)::int as n from commerce.order_status_history where status = 'paid'");
  const doubles = await q(
    "select coalesce(sum(n - 1), 0)::int as n from (select count(*) as n from commerce.order_status_history where status = 'paid' group by order_id) s",
  );
  const events = await q("select count(*)::int as n from commerce.webhook_events");
  const forged = deliveries.filter((d) => d.kind === "forged").length;
  latencies.sort((a, b) => a - b);

  const result = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      // The figures move with whatever else the machine runs; this says how busy it was.
      loadAverage1mAtEnd: round(os.loadavg()[0] ?? 0, 2),
    },
    database: "embedded PostgreSQL (fsync off)",
    providers: [...PROVIDERS],
    deliveries: deliveries.length,
    concurrency: CONCURRENCY,
    uniqueEvents: orders.length,
    duplicates: deliveries.filter((d) => d.kind === "duplicate").length,
    forged,
    seconds: round(seconds, 2),
    deliveriesPerSecond: round(deliveries.length / seconds, 0),
    latencyMs: {
      p50: round(percentile(latencies, 0.5), 2),
      p95: round(percentile(latencies, 0.95), 2),
      p99: round(percentile(latencies, 0.99), 2),
    },
    effectsApplied: effects.n as number,
    eventsRecorded: events.n as number,
    doubleEffects: doubles.n as number,
    forgedRejectedPercent: round((100 * tally.forgedRejected) / forged, 2),
    unexpectedAnswers: tally.unexpected,
    pass: doubles.n === 0 && tally.forgedRejected === forged && effects.n === orders.length && tally.unexpected === 0,
  };

  const rows: [string, string][] = [
    [
      "deliveries",
      `${result.deliveries.toLocaleString("en")} (${result.uniqueEvents.toLocaleString("en")} unique, ${result.duplicates.toLocaleString("en")} duplicates, ${result.forged.toLocaleString("en")} forged)`,
    ],
    ["concurrency", String(result.concurrency)],
    ["throughput", `${result.deliveriesPerSecond.toLocaleString("en")} deliveries/s (${result.seconds}s)`],
    ["latency p50 / p95 / p99", `${result.latencyMs.p50} / ${result.latencyMs.p95} / ${result.latencyMs.p99} ms`],
    [
      "effects applied",
      `${result.effectsApplied.toLocaleString("en")} (expected ${result.uniqueEvents.toLocaleString("en")})`,
    ],
    ["double effects", `${result.doubleEffects} (must be 0)`],
    ["forged rejected", `${result.forgedRejectedPercent}% (must be 100%)`],
    ["unexpected answers", String(result.unexpectedAnswers)],
    ["verdict", result.pass ? "PASS" : "FAIL"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log("");
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(repoRoot, outFile)}`);
  return result.pass;
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  console.error(`bench:webhooks failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(ok ? 0 : 1);
