// NeoCart's TF.js models trained end to end on a small seeded catalog and deterministic synthetic
// behaviour, against a real migrated PostgreSQL: the recommender must beat popularity on held-out
// interactions, files and metadata rows must be written, the loaders must answer from the models
// and fall back to popularity / rules when there is no model.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import { generateFraudSet } from "../../lib/ml/fraud-features.ts";
import { generateInteractions, readCatalogItems, syntheticUserId } from "../../lib/ml/generate-interactions.ts";
import {
  alsoBought,
  clearModelCache,
  forecastDemand,
  fraudScore,
  listLatestModels,
  listLowStockAlerts,
  recommendFor,
  similarProducts,
  suggestPrice,
  type TrainAllReport,
  trainAllModels,
} from "../../lib/ml/index.ts";
import { readTrainingEvents } from "../../lib/ml/read-training-data.ts";
import { createTestDatabase, type TestDatabase } from "../commerce/support/test-database.ts";
import { insertPaidOrder } from "./support/insert-paid-order.ts";

const SYNTHETIC = { seed: "ml-test", users: 250, weeks: 104 };

let t: TestDatabase;
let modelsDir: string;
let report: TrainAllReport;
let beforeTraining: Awaited<ReturnType<typeof recommendFor>>;

const metricsOf = (kind: string) => report.models.find((m) => m.kind === kind)?.metrics as Record<string, never>;

const insertOrder = (userId: string | null, offerId: string, at: Date, currency = "USD") =>
  insertPaidOrder(t.db, userId, offerId, at, currency);

beforeAll(async () => {
  t = await createTestDatabase("ml-models", 5582);
  modelsDir = await mkdtemp(path.join(os.tmpdir(), "neocart-models-"));
  await seedCatalog(t.db, { products: 200 });
  clearModelCache();
  beforeTraining = await recommendFor(t.db, syntheticUserId(SYNTHETIC.seed, 1), { modelsDir });
  report = await trainAllModels(t.db, { modelsDir, synthetic: SYNTHETIC, fraudExamples: 4_000 });
});

afterAll(async () => {
  clearModelCache();
  await t?.stop();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

describe("synthetic behaviour", () => {
  it("is deterministic and re-seeding replaces its own rows", async () => {
    const items = await readCatalogItems(t.db);
    const a = generateInteractions(items, { ...SYNTHETIC, users: 20 });
    const b = generateInteractions(items, { ...SYNTHETIC, users: 20 });
    expect(a.interactions.length).toBeGreaterThan(100);
    expect(JSON.stringify(a.interactions)).toBe(JSON.stringify(b.interactions));
    expect(new Set(a.interactions.map((e) => e.kind))).toEqual(new Set(["view", "cart", "purchase"]));
    const { rows } = await t.db.$client.query<{ n: number }>(
      "select count(*)::int as n from commerce.interactions where synthetic_seed = $1",
      [SYNTHETIC.seed],
    );
    expect(rows[0]?.n).toBe(report.events);
  });

  it("training events include purchases from real orders", async () => {
    const before = await readTrainingEvents(t.db);
    const { rows } = await t.db.$client.query<{ id: string }>("select id from commerce.offers order by id limit 1");
    const user = randomUUID();
    await t.db.$client.query("insert into commerce.users (id) values ($1)", [user]);
    await insertOrder(user, rows[0]?.id as string, new Date());
    const after = await readTrainingEvents(t.db);
    expect(after.count).toBe(before.count + 1);
    expect(after.users).toContain(user);
  });
});

describe("training", () => {
  it("writes every model's files and a metadata row with its figures", async () => {
    expect(report.models.map((m) => m.kind)).toEqual(["recommender", "demand", "price", "fraud"]);
    const rows = await listLatestModels(t.db);
    expect(rows.map((r) => r.kind).sort()).toEqual(["demand", "fraud", "price", "recommender"]);
    for (const row of rows) {
      expect(existsSync(path.join(modelsDir, row.files, "model.json"))).toBe(true);
      expect(existsSync(path.join(modelsDir, row.files, "weights.bin"))).toBe(true);
      expect(row.trainingMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("the recommender beats the popularity baseline on held-out interactions (hit-rate@10 and NDCG@10)", () => {
    const m = metricsOf("recommender") as unknown as {
      model: { hitRate10: number; ndcg10: number; users: number };
      popularity: { hitRate10: number; ndcg10: number };
    };
    expect(m.model.users).toBeGreaterThan(100);
    expect(m.model.hitRate10).toBeGreaterThan(m.popularity.hitRate10);
    expect(m.model.ndcg10).toBeGreaterThan(m.popularity.ndcg10);
  });

  it("the demand model reports MAPE next to the seasonal naive baseline on held-out weeks", () => {
    const m = metricsOf("demand") as unknown as { mape: number; baselineMape: number; forecastRows: number };
    expect(Number.isFinite(m.mape)).toBe(true);
    expect(Number.isFinite(m.baselineMape)).toBe(true);
    expect(m.forecastRows).toBeGreaterThan(0);
  });

  it("the price model finds demand falling with price across the catalog", () => {
    const m = metricsOf("price") as unknown as {
      elasticity: Record<string, number>;
      observations: Record<string, number>;
    };
    // Per category the fit is noisy at this test size (a few hundred units over two years; the
    // bench, with 6× the shoppers, checks it against the generator's true values), so the claim
    // here is the sign of the unit-weighted elasticity.
    const roots = Object.keys(m.elasticity);
    expect(roots.length).toBeGreaterThan(3);
    const units = roots.reduce((s, r) => s + (m.observations[r] ?? 0), 0);
    const weighted = roots.reduce((s, r) => s + (m.elasticity[r] ?? 0) * (m.observations[r] ?? 0), 0) / units;
    expect(weighted).toBeGreaterThan(0.5);
  });

  it("the fraud model is more precise and finds more fraud than the velocity rules", () => {
    const m = metricsOf("fraud") as unknown as {
      model: { precision: number; recall: number; auc: number };
      rules: { precision: number; recall: number };
    };
    expect(m.model.precision).toBeGreaterThan(m.rules.precision);
    expect(m.model.recall).toBeGreaterThan(m.rules.recall);
    expect(m.model.auc).toBeGreaterThan(0.8);
    // The labelled set is deterministic too.
    expect(generateFraudSet(50).labels).toEqual(generateFraudSet(50).labels);
  });
});

describe("loaders", () => {
  it("fall back to popularity before any model is trained", () => {
    expect(beforeTraining.source).toBe("popularity");
    expect(beforeTraining.modelVersion).toBeNull();
    expect(beforeTraining.items).toHaveLength(12);
  });

  it("recommendFor personalises from the shopper's history and leaves out what they bought", async () => {
    const user = syntheticUserId(SYNTHETIC.seed, 3);
    const feed = await recommendFor(t.db, user, { modelsDir, limit: 10 });
    expect(feed.source).toBe("model");
    expect(feed.items).toHaveLength(10);
    const { rows } = await t.db.$client.query<{ product_id: string }>(
      "select distinct product_id from commerce.interactions where user_id = $1 and kind = 'purchase'",
      [user],
    );
    const bought = new Set(rows.map((r) => r.product_id));
    for (const item of feed.items) expect(bought.has(item.productId)).toBe(false);
    const scores = feed.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Another shopper with other tastes gets another feed.
    const other = await recommendFor(t.db, syntheticUserId(SYNTHETIC.seed, 4), { modelsDir, limit: 10 });
    expect(other.items.map((i) => i.productId)).not.toEqual(feed.items.map((i) => i.productId));
  });

  it("an unknown shopper gets the popular products; missing model files fall back too", async () => {
    const stranger = await recommendFor(t.db, randomUUID(), { modelsDir, limit: 5 });
    expect(stranger.source).toBe("popularity");
    expect(stranger.items).toHaveLength(5);
    clearModelCache();
    const missing = await recommendFor(t.db, syntheticUserId(SYNTHETIC.seed, 3), {
      modelsDir: path.join(modelsDir, "nowhere"),
      limit: 5,
    });
    expect(missing).toMatchObject({ source: "popularity", modelVersion: null });
    clearModelCache();
  });

  it("similarProducts and alsoBought answer from the model", async () => {
    const feed = await recommendFor(t.db, syntheticUserId(SYNTHETIC.seed, 3), { modelsDir, limit: 1 });
    const productId = feed.items[0]?.productId as string;
    const similar = await similarProducts(t.db, productId, { modelsDir, limit: 5 });
    expect(similar.source).toBe("model");
    expect(similar.items).toHaveLength(5);
    expect(similar.items.map((i) => i.productId)).not.toContain(productId);
    const together = await alsoBought(t.db, productId, { modelsDir, limit: 5 });
    expect(together.source).toBe("model");
    expect(together.items).toHaveLength(5);
    expect(together.items.map((i) => i.productId)).not.toContain(productId);
  });

  it("forecastDemand reads the model's forecasts and flags stock below lead-time demand", async () => {
    const { rows } = await t.db.$client.query<{ product_id: string }>(
      "select product_id from commerce.demand_forecasts group by product_id order by sum(units) desc limit 1",
    );
    const forecast = await forecastDemand(t.db, rows[0]?.product_id as string, { leadTimeWeeks: 3 });
    expect(forecast.source).toBe("model");
    expect(forecast.weeks).toHaveLength(8);
    expect(forecast.leadTimeUnits).toBeCloseTo(
      forecast.weeks.slice(0, 3).reduce((s, w) => s + w.units, 0),
      1,
    );
    expect(forecast.lowStock).toBe(forecast.stock < forecast.leadTimeUnits);
    const alerts = await listLowStockAlerts(t.db, { leadTimeWeeks: 2 });
    for (const alert of alerts) expect(alert.stock).toBeLessThan(alert.leadTimeUnits);
  });

  it("suggestPrice stays within the seller's bounds and states the expected effect", async () => {
    const { rows } = await t.db.$client.query<{ offer_id: string; price: string }>(
      `select o.id as offer_id, o.price_minor as price from commerce.offers o
         join commerce.demand_forecasts f on f.product_id = o.product_id
        group by o.id order by sum(f.units) desc, o.id limit 1`,
    );
    const offer = rows[0] as { offer_id: string; price: string };
    const free = await suggestPrice(t.db, offer.offer_id, { modelsDir });
    expect(free.bounds.source).toBe("default ±15%");
    expect(free.suggestedPriceMinor).toBeGreaterThanOrEqual(free.bounds.minMinor);
    expect(free.suggestedPriceMinor).toBeLessThanOrEqual(free.bounds.maxMinor);
    expect(free.elasticitySource).toBe("model");
    expect(free.expected.suggested.revenueMinor).toBeGreaterThanOrEqual(free.expected.current.revenueMinor);
    const price = Number(offer.price);
    await t.db.$client.query(
      "insert into commerce.offer_price_bounds (offer_id, min_price_minor, max_price_minor) values ($1, $2, $3)",
      [offer.offer_id, price, Math.round(price * 1.02)],
    );
    const bounded = await suggestPrice(t.db, offer.offer_id, { modelsDir });
    expect(bounded.bounds).toEqual({ minMinor: price, maxMinor: Math.round(price * 1.02), source: "seller" });
    expect(bounded.suggestedPriceMinor).toBeGreaterThanOrEqual(price);
    expect(bounded.suggestedPriceMinor).toBeLessThanOrEqual(Math.round(price * 1.02));
  });

  it("fraudScore scores a real order: a burst from a brand-new wallet outranks a regular purchase", async () => {
    const { rows } = await t.db.$client.query<{ id: string }>("select id from commerce.offers order by id limit 2");
    const offer = rows[0]?.id as string;
    const now = Date.now();
    const regular = randomUUID();
    await t.db.$client.query("insert into commerce.users (id, currency) values ($1, 'USD')", [regular]);
    for (let k = 5; k >= 1; k--) await insertOrder(regular, offer, new Date(now - k * 7 * 86_400_000));
    const regularOrder = await insertOrder(regular, offer, new Date(now));

    const burst = randomUUID();
    await t.db.$client.query("insert into commerce.users (id, currency) values ($1, 'EUR')", [burst]);
    await t.db.$client.query("insert into commerce.wallets (address, user_id, linked_at) values ($1, $2, $3)", [
      `0x${"ab".repeat(20)}`,
      burst,
      new Date(now - 30 * 60_000).toISOString(),
    ]);
    for (let k = 4; k >= 1; k--) await insertOrder(burst, offer, new Date(now - k * 5 * 60_000));
    const burstOrder = await insertOrder(burst, offer, new Date(now));

    const low = await fraudScore(t.db, regularOrder, { modelsDir });
    const high = await fraudScore(t.db, burstOrder, { modelsDir });
    expect(low.source).toBe("model");
    expect(high.input).toMatchObject({ ordersLastHour: 4, currencyMismatch: true, priorOrders: 4 });
    expect(high.input.walletAgeHours).toBeLessThan(1);
    expect(high.score).toBeGreaterThan(low.score);
    expect(high.flagged).toBe(true);
    expect(low.flagged).toBe(false);
    expect(high.reasons[0]?.feature).toBeDefined();

    clearModelCache();
    const rules = await fraudScore(t.db, burstOrder, { modelsDir: path.join(modelsDir, "nowhere") });
    expect(rules).toMatchObject({ source: "rules", flagged: true });
    clearModelCache();
  });
});
