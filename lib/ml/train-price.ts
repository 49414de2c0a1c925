// Price elasticity per root category, fitted in TF.js as a Poisson regression of weekly units on
// log relative price, with each product's usual level as an offset and a yearly season per
// category: units ~ Poisson(base_p · exp(β_c · log(price/median) + season_c(week))). Elasticity is
// −β_c. Rows are pooled by (category, 4-week season bucket, price bucket) before fitting, which
// leaves the likelihood's sufficient statistics intact and keeps the tensors small.
import type { WeeklySeries } from "./read-training-data.ts";
import { tf } from "./tf.ts";
import { addWeeks, weekOfYear } from "./weeks.ts";

export type PriceParams = { steps: number; learningRate: number };
export const DEFAULT_PRICE_PARAMS: PriceParams = { steps: 300, learningRate: 0.05 };
/** Used for categories too thin to fit (and as the "no model" assumption the bench compares against). */
export const DEFAULT_ELASTICITY = 1;

export type PriceModel = { elasticity: Record<string, number>; observations: Record<string, number> };

export function trainPrice(
  data: WeeklySeries,
  rootOf: ReadonlyMap<string, string>,
  params: PriceParams = DEFAULT_PRICE_PARAMS,
): PriceModel {
  const roots = [...new Set(data.products.map((p) => rootOf.get(p)).filter((r): r is string => !!r))].sort();
  const rootIndex = new Map(roots.map((r, i) => [r, i]));
  const groups = new Map<string, { c: number; y: number; e: number; x: number; bucket: number }>();
  const observations: Record<string, number> = {};
  data.units.forEach((series, p) => {
    const root = rootOf.get(data.products[p] ?? "");
    const c = root === undefined ? undefined : rootIndex.get(root);
    if (c === undefined || root === undefined) return;
    const prices = data.logPrice[p] ?? new Float64Array(0);
    // The product's usual weekly level: mean units in weeks at (about) its usual price.
    let sum = 0;
    let n = 0;
    for (let w = 0; w < data.weeks; w++) {
      if (Math.abs(prices[w] ?? 0) < 0.03) {
        sum += series[w] ?? 0;
        n++;
      }
    }
    const base = n > 0 ? sum / n : 0;
    if (base <= 0) return;
    for (let w = 0; w < data.weeks; w++) {
      const x = prices[w] ?? 0;
      const bucket = Math.floor(weekOfYear(addWeeks(data.start, w)) / 4);
      const key = `${c}:${bucket}:${Math.round(x / 0.025)}`;
      const g = groups.get(key) ?? { c, y: 0, e: 0, x: 0, bucket };
      g.y += series[w] ?? 0;
      g.x += base * x; // base-weighted mean of x within the group
      g.e += base;
      groups.set(key, g);
      observations[root] = (observations[root] ?? 0) + (series[w] ?? 0);
    }
  });
  const rows = [...groups.values()];
  const elasticity: Record<string, number> = {};
  if (rows.length === 0) return { elasticity, observations };

  const C = roots.length;
  const oneHot = tf
    .oneHot(
      tf.tensor1d(
        rows.map((r) => r.c),
        "int32",
      ),
      C,
    )
    .toFloat();
  const x = tf.tensor1d(rows.map((r) => r.x / r.e));
  const offset = tf.tensor1d(rows.map((r) => Math.log(r.e)));
  const y = tf.tensor1d(rows.map((r) => r.y));
  const angle = rows.map((r) => (2 * Math.PI * (r.bucket * 4 + 2)) / 52);
  const sin = tf.tensor1d(angle.map(Math.sin));
  const cos = tf.tensor1d(angle.map(Math.cos));
  const beta = tf.variable(tf.fill([C], -1));
  const level = tf.variable(tf.zeros([C]));
  const a = tf.variable(tf.zeros([C]));
  const b = tf.variable(tf.zeros([C]));
  const perRow = (v: tf.Variable) => tf.squeeze(tf.matMul(oneHot, tf.reshape(v, [C, 1])), [1]);
  const optimizer = tf.train.adam(params.learningRate);
  const total = y.sum().dataSync()[0] ?? 1;
  for (let step = 0; step < params.steps; step++) {
    optimizer.minimize(() => {
      const eta = tf.addN([
        offset,
        perRow(level),
        tf.mul(perRow(beta), x),
        tf.mul(perRow(a), sin),
        tf.mul(perRow(b), cos),
      ]);
      // Poisson negative log-likelihood (without the constant log y! term), scaled per unit sold.
      return tf.div(tf.sum(tf.sub(tf.exp(eta), tf.mul(y, eta))), total) as tf.Scalar;
    });
  }
  const betas = beta.dataSync();
  roots.forEach((root, c) => {
    elasticity[root] = Math.round(-(betas[c] ?? -DEFAULT_ELASTICITY) * 100) / 100;
  });
  for (const t of [oneHot, x, offset, y, sin, cos, beta, level, a, b]) t.dispose();
  optimizer.dispose();
  return { elasticity, observations };
}
