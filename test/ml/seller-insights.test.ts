// The functions behind the seller dashboard's "Demand and pricing" card and the admin fraud
// queue's model column, against a real PostgreSQL and models trained on a small seeded catalog:
// readSellerInsights (low-stock alerts, per-listing forecast and price suggestion, one seller's
// offers only), setPriceBounds (validation, ownership, suggestions kept inside the bounds) and
// scoreFraudCase (which order a case is scored on, model vs rules).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import { listFraudCases } from "../../lib/dashboards/fraud-queue.ts";
import { clearModelCache, trainAllModels } from "../../lib/ml/index.ts";
import { scoreFraudCase } from "../../lib/web-recs/fraud-case-score.ts";
import {
  LEAD_TIME_WEEKS,
  PriceBoundsError,
  readSellerInsights,
  setPriceBounds,
} from "../../lib/web-recs/seller-insights.ts";
import { createTestDatabase, type TestDatabase } from "../commerce/support/test-database.ts";
import { insertPaidOrder } from "./support/insert-paid-order.ts";

let t: TestDatabase;
let modelsDir: string;
/** The seller with the most forecast demand, and the product of theirs we run out of stock. */
let sellerId: string;
let lowStockProduct: string;

const insertOrder = (userId: string | null, offerId: string, at: Date, currency = "USD") =>
  insertPaidOrder(t.db, userId, offerId, at, currency);

beforeAll(async () => {
  t = await createTestDatabase("ml-seller-insights", 5643);
  modelsDir = await mkdtemp(path.join(os.tmpdir(), "neocart-insights-models-"));
  await seedCatalog(t.db, { products: 200 });
  clearModelCache();
  await trainAllModels(t.db, {
    modelsDir,
    synthetic: { seed: "insights-test", users: 200, weeks: 104 },
    fraudExamples: 4_000,
  });
  const { rows } = await t.db.$client.query<{ seller_id: string; product_id: string }>(
    `select o.seller_id, o.product_id from commerce.offers o
       join commerce.demand_forecasts f on f.product_id = o.product_id
      where o.active group by o.seller_id, o.product_id order by sum(f.units) desc, o.seller_id limit 1`,
  );
  sellerId = rows[0]?.seller_id as string;
  lowStockProduct = rows[0]?.product_id as string;
  // Their busiest product runs out: stock 0 against a positive forecast.
  await t.db.$client.query("update commerce.offers set stock = 0 where seller_id = $1 and product_id = $2", [
    sellerId,
    lowStockProduct,
  ]);
}, 600_000);

afterAll(async () => {
  clearModelCache();
  await t?.stop();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

describe("readSellerInsights", () => {
  it("alerts on the seller's products whose stock is below the forecast over the lead time", async () => {
    const insights = await readSellerInsights(t.db, sellerId, 3, { modelsDir });
    const alert = insights.alerts.find((a) => a.productId === lowStockProduct);
    expect(alert).toMatchObject({ stock: 0 });
    expect(alert?.leadTimeUnits).toBeGreaterThan(0);
    for (const a of insights.alerts) expect(a.stock).toBeLessThan(a.leadTimeUnits);
    // Only this seller's products, and their stock only.
    const { rows } = await t.db.$client.query<{ product_id: string }>(
      "select distinct product_id from commerce.offers where seller_id = $1",
      [sellerId],
    );
    const own = new Set(rows.map((r) => r.product_id));
    for (const a of insights.alerts) expect(own.has(a.productId)).toBe(true);
  });

  it("shows the busiest listings with the model's forecast and a price suggestion with its expected effect", async () => {
    const insights = await readSellerInsights(t.db, sellerId, 3, { modelsDir });
    expect(insights.listings.length).toBeGreaterThan(0);
    expect(insights.listings.length).toBeLessThanOrEqual(3);
    const { rows } = await t.db.$client.query<{ id: string }>("select id from commerce.offers where seller_id = $1", [
      sellerId,
    ]);
    const own = new Set(rows.map((r) => r.id));
    const totals: number[] = [];
    for (const l of insights.listings) {
      expect(own.has(l.offerId)).toBe(true);
      expect(l.forecast).toMatchObject({ source: "model", leadTimeWeeks: LEAD_TIME_WEEKS });
      expect(l.forecast?.weeks).toHaveLength(8);
      totals.push(l.forecast?.weeks.reduce((s, w) => s + w.units, 0) ?? 0);
      const s = l.suggestion;
      if (!s) throw new Error(`no price suggestion for ${l.offerId}`);
      expect(s.elasticitySource).toBe("model");
      expect(s.elasticity).toBeGreaterThan(0);
      expect(s.suggestedPriceMinor).toBeGreaterThanOrEqual(s.bounds.minMinor);
      expect(s.suggestedPriceMinor).toBeLessThanOrEqual(s.bounds.maxMinor);
      // The suggestion maximises expected revenue, and units move against price.
      expect(s.expected.suggested.revenueMinor).toBeGreaterThanOrEqual(s.expected.current.revenueMinor);
      if (s.suggestedPriceMinor > s.currentPriceMinor) expect(s.expected.unitsChangePercent).toBeLessThanOrEqual(0);
      if (s.suggestedPriceMinor < s.currentPriceMinor) expect(s.expected.unitsChangePercent).toBeGreaterThanOrEqual(0);
    }
    // Busiest first (by forecast units; forecasts are summed over a product's weeks).
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);
    const low = insights.listings.find((l) => l.productId === lowStockProduct);
    expect(low?.forecast?.lowStock).toBe(true);
  });

  it("a seller with no listings gets no alerts and no listings", async () => {
    const insights = await readSellerInsights(t.db, randomUUID(), 3, { modelsDir });
    expect(insights).toEqual({ alerts: [], listings: [] });
  });
});

describe("setPriceBounds", () => {
  it("keeps suggestions inside the seller's own bounds", async () => {
    const { listings } = await readSellerInsights(t.db, sellerId, 1, { modelsDir });
    const listing = listings[0];
    if (!listing?.suggestion) throw new Error("no listing to bound");
    const price = listing.suggestion.currentPriceMinor;
    const decimal = (minor: number) => (minor / 100).toFixed(2);
    const min = Math.round(price * 0.97);
    const max = Math.round(price * 1.01);
    const saved = await setPriceBounds(t.db, sellerId, {
      offerId: listing.offerId,
      min: decimal(min),
      max: decimal(max),
    });
    expect(saved).toMatchObject({ minMinor: BigInt(min), maxMinor: BigInt(max) });
    const after = (await readSellerInsights(t.db, sellerId, 1, { modelsDir })).listings[0];
    expect(after?.bounds).toEqual({ minMinor: BigInt(min), maxMinor: BigInt(max) });
    expect(after?.suggestion?.bounds).toEqual({ minMinor: min, maxMinor: max, source: "seller" });
    expect(after?.suggestion?.suggestedPriceMinor).toBeGreaterThanOrEqual(min);
    expect(after?.suggestion?.suggestedPriceMinor).toBeLessThanOrEqual(max);
  });

  it("refuses bad bounds and other sellers' offers, changing nothing", async () => {
    const { rows } = await t.db.$client.query<{ own: string; other: string }>(
      `select (select id from commerce.offers where seller_id = $1 order by id limit 1) as own,
              (select id from commerce.offers where seller_id <> $1 order by id limit 1) as other`,
      [sellerId],
    );
    const { own, other } = rows[0] as { own: string; other: string };
    const bounds = () =>
      t.db.$client
        .query("select offer_id, min_price_minor, max_price_minor from commerce.offer_price_bounds order by offer_id")
        .then((r) => r.rows);
    const before = await bounds();
    const refused = async (input: unknown, code: "invalid" | "not_your_offer", message: RegExp) => {
      const error = await setPriceBounds(t.db, sellerId, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PriceBoundsError);
      expect((error as PriceBoundsError).code).toBe(code);
      expect((error as PriceBoundsError).message).toMatch(message);
    };
    await refused({ offerId: own, min: "20.00", max: "10.00" }, "invalid", /maximum must be at least the minimum/);
    await refused({ offerId: own, min: "0", max: "10.00" }, "invalid", /above zero/);
    await refused({ offerId: own, min: "ten", max: "10.00" }, "invalid", /decimal numbers such as 19\.99/);
    await refused({ offerId: own, min: "1.00", max: "10.00", price: "5" }, "invalid", /price/);
    await refused({ offerId: "x", min: "1.00", max: "10.00" }, "invalid", /choose one of your offers/);
    await refused({ offerId: other, min: "1.00", max: "10.00" }, "not_your_offer", /not one of your shop's/);
    expect(await bounds()).toEqual(before);
  });
});

describe("scoreFraudCase (the admin fraud queue's model column)", () => {
  it("scores a buyer case on their latest order with the model, a burst above a regular payment", async () => {
    const { rows } = await t.db.$client.query<{ id: string }>(
      "select id from commerce.offers where active and currency = 'USD' order by id limit 1",
    );
    const offer = rows[0]?.id as string;
    const now = Date.now();
    // A brand-new wallet, paying in another currency than its own, five orders in 20 minutes.
    const burst = randomUUID();
    await t.db.$client.query("insert into commerce.users (id, currency) values ($1, 'EUR')", [burst]);
    await t.db.$client.query("insert into commerce.wallets (address, user_id, linked_at) values ($1, $2, $3)", [
      `0x${"cd".repeat(20)}`,
      burst,
      new Date(now - 40 * 60_000).toISOString(),
    ]);
    let latest = "";
    for (let k = 4; k >= 0; k--) latest = await insertOrder(burst, offer, new Date(now - k * 5 * 60_000));
    // A regular buyer whose payment a webhook flagged (amount mismatch): a payment case.
    const regular = randomUUID();
    await t.db.$client.query("insert into commerce.users (id, currency) values ($1, 'USD')", [regular]);
    for (let k = 4; k >= 1; k--) await insertOrder(regular, offer, new Date(now - k * 7 * 86_400_000));
    const flaggedOrder = await insertOrder(regular, offer, new Date(now - 60_000));
    await t.db.$client.query(
      `insert into commerce.payments (order_id, provider, provider_payment_id, amount_minor, currency, status, flagged_reason)
       values ($1, 'stripe', $2, 1, 'USD', 'flagged', 'amount does not match the order')`,
      [flaggedOrder, `pi_${flaggedOrder}`],
    );

    const cases = await listFraudCases(t.db);
    const buyerCase = cases.find((c) => c.kind === "buyer" && c.ref === burst);
    const paymentCase = cases.find((c) => c.kind === "payment" && c.ref === flaggedOrder);
    if (!buyerCase || !paymentCase) throw new Error("the queue did not list both cases");

    const buyerScore = await scoreFraudCase(t.db, buyerCase, { modelsDir });
    expect(buyerScore).toMatchObject({ orderId: latest, source: "model", flagged: true });
    expect(buyerScore?.input).toMatchObject({ ordersLastHour: 4, currencyMismatch: true });
    expect(buyerScore?.reasons.length).toBeGreaterThan(0);
    const paymentScore = await scoreFraudCase(t.db, paymentCase, { modelsDir });
    expect(paymentScore).toMatchObject({ orderId: flaggedOrder, source: "model" });
    expect(buyerScore?.score).toBeGreaterThan(paymentScore?.score ?? 1);

    // Without model files the rules answer, and say so.
    clearModelCache();
    const rules = await scoreFraudCase(t.db, buyerCase, { modelsDir: path.join(modelsDir, "nowhere") });
    expect(rules).toMatchObject({ source: "rules", flagged: true, modelVersion: null });
    clearModelCache();
  });

  it("a case with nothing to score answers null; a malformed reference is refused", async () => {
    expect(await scoreFraudCase(t.db, { kind: "buyer", ref: randomUUID() }, { modelsDir })).toBeNull();
    expect(await scoreFraudCase(t.db, { kind: "payment", ref: randomUUID() }, { modelsDir })).toBeNull();
    await expect(scoreFraudCase(t.db, { kind: "payment", ref: "1; drop table" }, { modelsDir })).rejects.toThrow(
      /order or user id/,
    );
  });
});
