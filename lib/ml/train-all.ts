// Trains every model against one database: (optionally) regenerate the synthetic behaviour, read the
// events, then recommender, demand, price and fraud in turn. Each model's files go under
// <modelsDir>/<kind>/<version>/ and its figures into commerce.ml_models; demand forecasts are
// written to commerce.demand_forecasts for the seller dashboards.
import path from "node:path";
import type { Db } from "../db/client.ts";
import { generateFraudSet } from "./fraud-features.ts";
import type { SyntheticOptions } from "./generate-interactions.ts";
import { DEFAULT_MODELS_DIR, fileSaveHandler, saveTensors } from "./model-files.ts";
import { readCatalogFingerprint } from "./model-freshness.ts";
import { type ModelKind, type ModelOptions, recordModel } from "./model-registry.ts";
import { readTrainingEvents, readWeeklySeries } from "./read-training-data.ts";
import { seedInteractions } from "./seed-interactions.ts";
import { tf } from "./tf.ts";
import { DEFAULT_DEMAND_PARAMS, type DemandParams, forecastMany, trainDemand } from "./train-demand.ts";
import { DEFAULT_FRAUD_PARAMS, type FraudParams, trainFraud } from "./train-fraud.ts";
import { DEFAULT_PRICE_PARAMS, trainPrice } from "./train-price.ts";
import { DEFAULT_RECOMMENDER_PARAMS, type RecommenderParams, trainRecommender } from "./train-recommender.ts";
import { addWeeks, isoDate } from "./weeks.ts";

export type TrainAllOptions = ModelOptions & {
  /** Regenerate the synthetic history first (false: train on what the tables hold). */
  synthetic?: SyntheticOptions | false;
  fraudExamples?: number;
  recommender?: Partial<RecommenderParams>;
  demand?: Partial<DemandParams>;
  fraud?: Partial<FraudParams>;
  /** Called as stages finish: stage index (1-based), stage count, and a label. */
  onProgress?: (done: number, total: number, label: string) => void;
};

export type TrainedModel = { kind: ModelKind; version: string; trainingMs: number; metrics: Record<string, unknown> };
export type TrainAllReport = { models: TrainedModel[]; events: number; syntheticMs: number | null };

function versionNow(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
}

export async function trainAllModels(db: Db, options: TrainAllOptions = {}): Promise<TrainAllReport> {
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  const version = versionNow();
  const stages = 6;
  let stage = 0;
  const step = (label: string) => options.onProgress?.(++stage, stages, label);

  let syntheticMs: number | null = null;
  if (options.synthetic) {
    const t0 = performance.now();
    await seedInteractions(db, options.synthetic);
    syntheticMs = Math.round(performance.now() - t0);
  }
  step("synthetic history");
  const events = await readTrainingEvents(db);
  if (events.count === 0) {
    throw new Error(
      "No shopper events to train on: generate the synthetic history (train.ts --users N) or record some.",
    );
  }
  const series = await readWeeklySeries(db, events);
  step("events read");
  const models: TrainedModel[] = [];
  // Which catalog these models saw: the dev stack retrains when it changes (model-freshness.ts).
  const catalog = await readCatalogFingerprint(db);
  const save = async (kind: ModelKind, trainingMs: number, metrics: Record<string, unknown>, params: object) => {
    await recordModel(db, {
      kind,
      version,
      files: path.join(kind, version),
      metrics,
      params: { ...params, catalog },
      trainingMs,
    });
    models.push({ kind, version, trainingMs, metrics });
  };

  // Recommender.
  {
    const params = { ...DEFAULT_RECOMMENDER_PARAMS, ...options.recommender };
    const t0 = performance.now();
    const { model, metrics } = trainRecommender(events, params);
    const trainingMs = Math.round(performance.now() - t0);
    const d = model.factors;
    const tensors = {
      itemFactors: tf.tensor2d(model.itemFactors, [model.items.length, d]),
      projection: tf.tensor2d(model.projection, [model.items.length, d]),
      popularity: tf.tensor1d(model.popularity),
    };
    await saveTensors(path.join(modelsDir, "recommender", version), tensors, {
      items: model.items,
      factors: d,
      alsoBought: model.alsoBought,
    });
    for (const t of Object.values(tensors)) t.dispose();
    await save("recommender", trainingMs, metrics, params);
    step("recommender");
  }

  // Demand forecast, then next weeks' forecasts for every product that ever sold.
  {
    const params = { ...DEFAULT_DEMAND_PARAMS, ...options.demand };
    const t0 = performance.now();
    const { model, metrics } = await trainDemand(series, params);
    const trainingMs = Math.round(performance.now() - t0);
    model.setUserDefinedMetadata({ horizon: params.horizon, seriesStart: isoDate(series.start), weeks: series.weeks });
    await model.save(fileSaveHandler(path.join(modelsDir, "demand", version)));
    const forecasts = forecastMany(
      model,
      series.units,
      series.logPrice,
      series.start,
      series.weeks,
      params.horizon,
      (i) => series.logPrice[i]?.[series.weeks - 1] ?? 0,
    );
    const rows: [string, string, number][] = [];
    forecasts.forEach((weeks, p) => {
      weeks.forEach((units, h) => {
        rows.push([
          series.products[p] as string,
          isoDate(addWeeks(series.start, series.weeks + h)),
          Math.round(units * 100) / 100,
        ]);
      });
    });
    // One connection for the transaction: pool.query could run each statement on a different one.
    const client = await db.$client.connect();
    try {
      await client.query("begin");
      await client.query("delete from commerce.demand_forecasts");
      await client.query(
        `insert into commerce.demand_forecasts (product_id, week_start, units, model_version)
         select p, w, u, $4 from unnest($1::uuid[], $2::date[], $3::real[]) as x (p, w, u)`,
        [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), version],
      );
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    model.dispose();
    await save("demand", trainingMs, { ...metrics, forecastRows: rows.length }, params);
    step("demand");
  }

  // Price elasticity.
  {
    const { rows } = await db.$client.query<{ product_id: string; root: string }>(
      "select product_id, category_path[1] as root from commerce.search_documents",
    );
    const rootOf = new Map(rows.map((r) => [r.product_id, r.root]));
    const t0 = performance.now();
    const model = trainPrice(series, rootOf, DEFAULT_PRICE_PARAMS);
    const trainingMs = Math.round(performance.now() - t0);
    const roots = Object.keys(model.elasticity).sort();
    const tensor = tf.tensor1d(roots.map((r) => model.elasticity[r] ?? 0));
    await saveTensors(path.join(modelsDir, "price", version), { elasticity: tensor }, { roots });
    tensor.dispose();
    await save(
      "price",
      trainingMs,
      {
        elasticity: model.elasticity,
        unpooled: model.unpooled,
        standardError: model.standardError,
        observations: model.observations,
        pooled: model.pooled,
        between: model.between,
        dispersion: model.dispersion,
      },
      DEFAULT_PRICE_PARAMS,
    );
    step("price");
  }

  // Fraud risk.
  {
    const params = { ...DEFAULT_FRAUD_PARAMS, ...options.fraud };
    const set = generateFraudSet(options.fraudExamples ?? 20_000, {
      seed: options.synthetic ? options.synthetic.seed : undefined,
    });
    const t0 = performance.now();
    const { model, scaler, metrics } = await trainFraud(set.inputs, set.labels, params);
    const trainingMs = Math.round(performance.now() - t0);
    model.setUserDefinedMetadata({ scaler });
    await model.save(fileSaveHandler(path.join(modelsDir, "fraud", version)));
    model.dispose();
    await save("fraud", trainingMs, metrics, params);
    step("fraud");
  }
  return { models, events: events.count, syntheticMs };
}
