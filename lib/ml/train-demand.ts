// Demand forecast: one small TF.js network shared by every product (a global model learns seasonal
// shape and price response from the whole catalog, which a single sparse series cannot), predicting
// log(1 + units) of a week from recent lags, last year's level, the week's relative price and the
// season. Forecasts are recursive: week h+1 uses the forecast of week h as its lag.
// Quality: MAPE over the last `horizon` weeks, which training never sees, against the seasonal naive
// forecast (same week last year) on the same product-weeks.
import type { WeeklySeries } from "./read-training-data.ts";
import { tf } from "./tf.ts";
import { addWeeks, weekOfYear } from "./weeks.ts";

export type DemandParams = { horizon: number; epochs: number; hidden: number; seed: number };
export const DEFAULT_DEMAND_PARAMS: DemandParams = { horizon: 8, epochs: 30, hidden: 16, seed: 11 };
export const DEMAND_FEATURES = [
  "log1p(units t-1)",
  "log1p(units t-2)",
  "log1p(mean units t-4..t-1)",
  "log1p(mean units t-13..t-1)",
  "log1p(units t-52)",
  "log1p(mean units t-53..t-51)",
  "log(price / median price)",
  "sin(week of year)",
  "cos(week of year)",
] as const;
/** Weeks of history a feature row needs (a year back for the seasonal lags). */
const SEASON = 52;

export type DemandMetrics = {
  mape: number;
  baselineMape: number;
  baseline: "seasonal naive (same week last year)";
  products: number;
  productWeeks: number;
  trainingRows: number;
};

function features(series: ArrayLike<number>, logPrice: ArrayLike<number>, t: number, date: Date): number[] {
  const at = (k: number) => (k >= 0 ? (series[k] ?? 0) : 0);
  const mean = (from: number, to: number) => {
    let s = 0;
    for (let k = from; k <= to; k++) s += at(k);
    return s / (to - from + 1);
  };
  const woy = weekOfYear(date);
  return [
    Math.log1p(at(t - 1)),
    Math.log1p(at(t - 2)),
    Math.log1p(mean(t - 4, t - 1)),
    Math.log1p(mean(t - 13, t - 1)),
    Math.log1p(at(t - SEASON)),
    Math.log1p(mean(t - SEASON - 1, t - SEASON + 1)),
    logPrice[t] ?? 0,
    Math.sin((2 * Math.PI * woy) / 52),
    Math.cos((2 * Math.PI * woy) / 52),
  ];
}

export function buildDemandModel(hidden: number, seed: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: hidden,
      activation: "relu",
      inputShape: [DEMAND_FEATURES.length],
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });
  return model;
}

/**
 * Forecasts weeks [from, from + horizon) of many series at once (one predict call per week ahead),
 * feeding forecasts back as lags. `futureLogPrice` (default: each series' own) is the planned price.
 */
export function forecastMany(
  model: tf.LayersModel,
  units: readonly ArrayLike<number>[],
  logPrice: readonly ArrayLike<number>[],
  start: Date,
  from: number,
  horizon: number,
  futureLogPrice?: (index: number) => number,
): number[][] {
  const series = units.map((u) => Array.from({ length: from }, (_, k) => u[k] ?? 0));
  const prices = units.map((_, i) =>
    Array.from({ length: from + horizon }, (_, k) =>
      k < from || futureLogPrice === undefined ? (logPrice[i]?.[k] ?? 0) : futureLogPrice(i),
    ),
  );
  const out: number[][] = units.map(() => []);
  if (units.length === 0) return out;
  for (let h = 0; h < horizon; h++) {
    const t = from + h;
    const date = addWeeks(start, t);
    const x = series.map((s, i) => features(s, prices[i] ?? [], t, date));
    const y = tf.tidy(() => (model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync());
    series.forEach((s, i) => {
      const value = Math.max(0, Math.expm1(y[i] ?? 0));
      out[i]?.push(value);
      s.push(value);
    });
  }
  return out;
}

export async function trainDemand(
  data: WeeklySeries,
  params: DemandParams = DEFAULT_DEMAND_PARAMS,
): Promise<{ model: tf.LayersModel; metrics: DemandMetrics }> {
  const end = data.weeks - params.horizon;
  const first = end > SEASON + 8 ? SEASON : Math.min(13, Math.max(1, end - 1));
  const xs: number[][] = [];
  const ys: number[] = [];
  data.units.forEach((series, p) => {
    let total = 0;
    for (let t = 0; t < end; t++) total += series[t] ?? 0;
    if (total === 0) return; // never sold: nothing to learn from, and forecast 0 anyway
    for (let t = first; t < end; t++) {
      xs.push(features(series, data.logPrice[p] ?? [], t, addWeeks(data.start, t)));
      ys.push(Math.log1p(series[t] ?? 0));
    }
  });
  const model = buildDemandModel(params.hidden, params.seed);
  if (xs.length > 0) {
    const x = tf.tensor2d(xs);
    const y = tf.tensor2d(ys, [ys.length, 1]);
    await model.fit(x, y, { epochs: params.epochs, batchSize: 512, shuffle: false, verbose: 0 });
    x.dispose();
    y.dispose();
  }

  // Held-out weeks, on products selling at least one unit a week on average (MAPE is meaningless
  // on weeks of zeros), comparing only weeks that sold something.
  let errors = 0;
  let baselineErrors = 0;
  let count = 0;
  let products = 0;
  const evaluated = data.units
    .map((series, p) => ({ series, p }))
    .filter(({ series }) => {
      let total = 0;
      for (let t = 0; t < end; t++) total += series[t] ?? 0;
      return end > SEASON && total / end >= 1;
    });
  const forecasts = forecastMany(
    model,
    evaluated.map((e) => e.series),
    evaluated.map((e) => data.logPrice[e.p] ?? []),
    data.start,
    end,
    params.horizon,
  );
  evaluated.forEach(({ series }, k) => {
    products++;
    const forecast = forecasts[k] ?? [];
    for (let h = 0; h < params.horizon; h++) {
      const actual = series[end + h] ?? 0;
      if (actual <= 0) continue;
      errors += Math.abs((forecast[h] ?? 0) - actual) / actual;
      baselineErrors += Math.abs((series[end + h - SEASON] ?? 0) - actual) / actual;
      count++;
    }
  });
  const pct = (x: number) => Math.round((x / Math.max(1, count)) * 10_000) / 100;
  return {
    model,
    metrics: {
      mape: pct(errors),
      baselineMape: pct(baselineErrors),
      baseline: "seasonal naive (same week last year)",
      products,
      productWeeks: count,
      trainingRows: xs.length,
    },
  };
}
