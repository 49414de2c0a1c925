// Price elasticity per root category, fitted in TF.js as a Poisson regression of weekly units on
// log relative price with a fixed effect per product, a yearly season per category and a common
// effect per week (December, Black Friday):
//   units[p][w] ~ Poisson(exp(α_p + β_c · log(price/median) + season_c(w) + γ_w)), elasticity = −β_c.
// The product levels α_p are conditioned out rather than estimated: given a product's total units,
// its weekly units are multinomial over the weeks with probabilities softmax_w(η), which depends on
// β, season and γ only. (An earlier version plugged in each product's mean sales in regular-price
// weeks as its level and dropped products with none; for slow sellers that level is noisy and
// biased upwards when kept.) Then each category's estimate is pooled towards the others by its
// standard error (shrink-elasticity.ts): that is what keeps thin categories sensible, and most of
// the gain on the bench (elasticity MAE 0.26 → 0.23 from the conditional fit, → 0.18 pooled).
import type { WeeklySeries } from "./read-training-data.ts";
import { shrinkElasticities } from "./shrink-elasticity.ts";
import { tf } from "./tf.ts";
import { addWeeks, weekOfYear } from "./weeks.ts";

export type PriceParams = { steps: number; learningRate: number };
export const DEFAULT_PRICE_PARAMS: PriceParams = { steps: 150, learningRate: 0.1 };
/** Used for categories too thin to fit (and as the "no model" assumption the bench compares against). */
export const DEFAULT_ELASTICITY = 1;

export type PriceModel = {
  /** What suggestions use: each category's estimate after pooling. */
  elasticity: Record<string, number>;
  /** Each category's estimate on its own data. */
  unpooled: Record<string, number>;
  standardError: Record<string, number>;
  /** Units sold per category in the fitted data. */
  observations: Record<string, number>;
  pooled: number | null;
  between: number | null;
  /** Variance of weekly units over their Poisson variance (≥ 1). */
  dispersion: number | null;
};

const round2 = (x: number) => Math.round(x * 100) / 100;
let fits = 0;

export function trainPrice(
  data: WeeklySeries,
  rootOf: ReadonlyMap<string, string>,
  params: PriceParams = DEFAULT_PRICE_PARAMS,
): PriceModel {
  const W = data.weeks;
  const roots = [...new Set(data.products.map((p) => rootOf.get(p)).filter((r): r is string => !!r))].sort();
  const rootIndex = new Map(roots.map((r, i) => [r, i]));
  // Only products that sold something and whose price moved carry information on β.
  const rows: { p: number; c: number; total: number }[] = [];
  const observations: Record<string, number> = {};
  data.units.forEach((series, p) => {
    const root = rootOf.get(data.products[p] ?? "");
    const c = root === undefined ? undefined : rootIndex.get(root);
    if (c === undefined || root === undefined) return;
    const total = series.reduce((s, u) => s + u, 0);
    const prices = data.logPrice[p];
    if (total <= 0 || !prices || prices.every((x) => x === prices[0])) return;
    rows.push({ p, c, total });
    observations[root] = (observations[root] ?? 0) + total;
  });
  const empty: PriceModel = {
    elasticity: {},
    unpooled: {},
    standardError: {},
    observations,
    pooled: null,
    between: null,
    dispersion: null,
  };
  if (rows.length === 0 || W < 2) return empty;

  const P = rows.length;
  const C = roots.length;
  const yData = new Float32Array(P * W);
  const xData = new Float32Array(P * W);
  rows.forEach((r, k) => {
    yData.set(data.units[r.p] as Float64Array, k * W);
    xData.set(data.logPrice[r.p] as Float64Array, k * W);
  });
  const angle = Array.from({ length: W }, (_, w) => (2 * Math.PI * weekOfYear(addWeeks(data.start, w))) / 52);
  const grand = rows.reduce((s, r) => s + r.total, 0);

  const y = tf.tensor2d(yData, [P, W]);
  const x = tf.tensor2d(xData, [P, W]);
  const totals = tf.tensor2d(
    rows.map((r) => r.total),
    [P, 1],
  );
  const oneHot = tf
    .oneHot(
      tf.tensor1d(
        rows.map((r) => r.c),
        "int32",
      ),
      C,
    )
    .toFloat();
  const sin = tf.tensor2d(angle.map(Math.sin), [1, W]);
  const cos = tf.tensor2d(angle.map(Math.cos), [1, W]);
  const onesW = tf.ones([1, W]);
  const onesP = tf.ones([P, 1]);
  // Variable names are global to the tfjs engine: unique per fit, so fits never collide.
  const name = (what: string) => `price-${what}-${++fits}`;
  const beta = tf.variable(tf.fill([C, 1], -DEFAULT_ELASTICITY), true, name("beta"));
  const a = tf.variable(tf.zeros([C, 1]), true, name("season-sin"));
  const b = tf.variable(tf.zeros([C, 1]), true, name("season-cos"));
  const gamma = tf.variable(tf.zeros([1, W]), true, name("week"));
  // Row and column expansions are written as matMuls with ones: the pure-JS backend's broadcasting
  // element-wise ops (and autodiff through them) are ~10× slower than same-shape ops, which made
  // 300 steps over 2,000 products × 104 weeks take over a minute.
  const expandRows = (perRow: tf.Tensor) => tf.matMul(perRow, onesW);
  const eta = () =>
    tf.addN([
      tf.mul(expandRows(tf.matMul(oneHot, beta)), x),
      tf.matMul(tf.matMul(oneHot, a), sin),
      tf.matMul(tf.matMul(oneHot, b), cos),
      tf.matMul(onesP, gamma),
    ]);
  const optimizer = tf.train.adam(params.learningRate);
  for (let step = 0; step < params.steps; step++) {
    // Gradient of the conditional (multinomial) log-likelihood, written out: with residuals
    // R = units − total · softmax_w(η), ∂/∂η = R, then the chain rule through each term of η.
    const gradients = tf.tidy(() => {
      const e = tf.exp(eta());
      const expected = tf.mul(e, expandRows(tf.div(totals, tf.matMul(e, onesW, false, true))));
      const r = tf.div(tf.sub(expected, y), grand); // gradient of the loss: −R per unit sold
      return [
        { name: beta.name, tensor: tf.matMul(oneHot, tf.matMul(tf.mul(r, x), onesW, false, true), true) },
        { name: a.name, tensor: tf.matMul(oneHot, tf.matMul(r, sin, false, true), true) },
        { name: b.name, tensor: tf.matMul(oneHot, tf.matMul(r, cos, false, true), true) },
        { name: gamma.name, tensor: tf.matMul(onesP, r, true) },
      ];
    });
    optimizer.applyGradients(gradients);
    for (const g of gradients) g.tensor.dispose();
  }
  // Fisher information for β_c: Σ over the category's products of total units × the variance of
  // log price under the fitted weekly probabilities (nuisance terms left fixed, a close bound here
  // since price moves are not aligned with the season).
  const probabilities = tf.tidy(() => tf.softmax(eta(), 1).dataSync() as Float32Array);
  // Units come in baskets of 1–3 and shoppers come back, so weekly counts vary more than Poisson:
  // the information is divided by the Pearson dispersion (quasi-Poisson), else every standard
  // error is too small and thin categories are trusted more than they deserve.
  const information = new Float64Array(C);
  let pearson = 0;
  rows.forEach((r, k) => {
    let mean = 0;
    let square = 0;
    for (let w = 0; w < W; w++) {
      const pi = probabilities[k * W + w] ?? 0;
      const v = xData[k * W + w] ?? 0;
      mean += pi * v;
      square += pi * v * v;
      const expected = r.total * pi;
      if (expected > 0) pearson += ((yData[k * W + w] ?? 0) - expected) ** 2 / expected;
    }
    information[r.c] = (information[r.c] ?? 0) + r.total * Math.max(0, square - mean * mean);
  });
  const freedom = P * W - P - (3 * C + W - 1);
  const dispersion = freedom > 0 ? Math.max(1, pearson / freedom) : 1;
  const betas = beta.dataSync();
  for (const t of [y, x, totals, oneHot, sin, cos, onesW, onesP, beta, a, b, gamma]) t.dispose();
  optimizer.dispose();

  const estimates: Record<string, { elasticity: number; standardError: number }> = {};
  const unpooled: Record<string, number> = {};
  const standardError: Record<string, number> = {};
  roots.forEach((root, c) => {
    const info = (information[c] ?? 0) / dispersion;
    if (info <= 0) return;
    const e = -(betas[c] ?? -DEFAULT_ELASTICITY);
    estimates[root] = { elasticity: e, standardError: 1 / Math.sqrt(info) };
    unpooled[root] = round2(e);
    standardError[root] = round2(1 / Math.sqrt(info));
  });
  const shrunk = shrinkElasticities(estimates);
  const elasticity: Record<string, number> = {};
  for (const [root, e] of Object.entries(shrunk.elasticity)) elasticity[root] = round2(e);
  return {
    elasticity,
    unpooled,
    standardError,
    observations,
    pooled: Number.isFinite(shrunk.pooled) ? round2(shrunk.pooled) : null,
    between: round2(shrunk.between),
    dispersion: round2(dispersion),
  };
}
