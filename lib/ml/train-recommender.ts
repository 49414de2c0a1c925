// The recommender: implicit-feedback matrix factorisation fitted by alternating least squares in
// TF.js. Each shopper's row of the (users × products) matrix holds log(1 + weighted events) (view 1,
// cart 3, purchase 5); ALS alternates ridge solves for shopper factors and product factors.
// Why ALS and not SGD on embeddings: with the pure-JS CPU backend the gradient of an embedding
// lookup costs one pass over the batch per vocabulary row, while ALS is a few dense matMuls.
// The served model keeps only product factors V and the projection P = V (VᵀV + λI)⁻¹: a shopper's
// factor is then y·P for whatever history they have now (the exact ALS user step), so new and real
// shoppers get personal results without retraining.
import type { TrainingEvents } from "./read-training-data.ts";
import { KIND_CODES } from "./read-training-data.ts";
import { tf } from "./tf.ts";

export const EVENT_WEIGHTS = [1, 3, 5] as const;

export type RecommenderParams = {
  factors: number;
  lambda: number;
  iterations: number;
  /** Most-interacted products kept (the dense matrix is users × products). */
  maxItems: number;
  /** Most active shoppers kept for fitting (everyone still gets recommendations through fold-in). */
  maxUsers: number;
  seed: number;
};

export const DEFAULT_RECOMMENDER_PARAMS: RecommenderParams = {
  factors: 24,
  lambda: 2,
  iterations: 8,
  maxItems: 4_000,
  maxUsers: 4_000,
  seed: 7,
};

export type RecommenderModel = {
  items: string[];
  factors: number;
  /** items × factors, row-major. */
  itemFactors: Float32Array;
  /** items × factors, row-major: the fold-in projection. */
  projection: Float32Array;
  /** Distinct shoppers per product (training data), the popularity fallback and baseline. */
  popularity: Float32Array;
  /** Per product, products bought by the same shoppers, most shared first. */
  alsoBought: number[][];
};

export type RankingMetrics = { hitRate10: number; ndcg10: number; users: number };
export type RecommenderReport = {
  model: RecommenderModel;
  metrics: { model: RankingMetrics; popularity: RankingMetrics; items: number; users: number; events: number };
};

type Matrix = { users: number[]; rows: Map<number, Map<number, number>> };

/** Shopper rows: product index → log(1 + weighted events). */
function buildRows(
  events: TrainingEvents,
  keepItem: Int32Array,
  keepUser: Int32Array,
  include: (k: number) => boolean,
): Map<number, Map<number, number>> {
  const raw = new Map<number, Map<number, number>>();
  for (let k = 0; k < events.count; k++) {
    const u = keepUser[events.user[k] as number] as number;
    const i = keepItem[events.item[k] as number] as number;
    if (u < 0 || i < 0 || !include(k)) continue;
    let row = raw.get(u);
    if (!row) {
      row = new Map();
      raw.set(u, row);
    }
    row.set(i, (row.get(i) ?? 0) + (EVENT_WEIGHTS[events.kind[k] as number] ?? 1));
  }
  for (const row of raw.values()) for (const [i, w] of row) row.set(i, Math.log1p(w));
  return raw;
}

function selectTop(counts: Float64Array, max: number): { keep: Int32Array; chosen: number[] } {
  const order = [...counts.keys()].filter((i) => (counts[i] ?? 0) > 0);
  order.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a - b);
  const chosen = order.slice(0, max).sort((a, b) => a - b);
  const keep = new Int32Array(counts.length).fill(-1);
  chosen.forEach((original, k) => {
    keep[original] = k;
  });
  return { keep, chosen };
}

/** Inverse of a small symmetric positive-definite matrix (Gauss–Jordan; d is ~24). */
function invert(matrix: Float32Array, d: number): Float32Array {
  const a = Float64Array.from(matrix);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++)
      if (Math.abs(a[r * d + col] as number) > Math.abs(a[pivot * d + col] as number)) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < d; c++) {
        [a[col * d + c], a[pivot * d + c]] = [a[pivot * d + c] as number, a[col * d + c] as number];
        [inv[col * d + c], inv[pivot * d + c]] = [inv[pivot * d + c] as number, inv[col * d + c] as number];
      }
    }
    const p = a[col * d + col] as number;
    for (let c = 0; c < d; c++) {
      a[col * d + c] = (a[col * d + c] as number) / p;
      inv[col * d + c] = (inv[col * d + c] as number) / p;
    }
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r * d + col] as number;
      if (f === 0) continue;
      for (let c = 0; c < d; c++) {
        a[r * d + c] = (a[r * d + c] as number) - f * (a[col * d + c] as number);
        inv[r * d + c] = (inv[r * d + c] as number) - f * (inv[col * d + c] as number);
      }
    }
  }
  return Float32Array.from(inv);
}

/** (Xᵀ X + λI)⁻¹ as a tensor. */
function ridgeInverse(x: tf.Tensor2D, lambda: number): tf.Tensor2D {
  const d = x.shape[1];
  const gram = tf.tidy(() => tf.add(tf.matMul(x, x, true, false), tf.mul(tf.eye(d), lambda)));
  const inverse = invert(gram.dataSync() as Float32Array, d);
  gram.dispose();
  return tf.tensor2d(inverse, [d, d]);
}

/** Fits product factors and the fold-in projection on the given shopper rows. */
function fitAls(matrix: Matrix, itemCount: number, params: RecommenderParams) {
  const userCount = matrix.users.length;
  const y = new Float32Array(userCount * itemCount);
  matrix.users.forEach((u, r) => {
    for (const [i, v] of matrix.rows.get(u) ?? []) y[r * itemCount + i] = v;
  });
  const Y = tf.tensor2d(y, [userCount, itemCount]);
  let V: tf.Tensor2D = tf.randomNormal([itemCount, params.factors], 0, 0.1, "float32", params.seed);
  for (let it = 0; it < params.iterations; it++) {
    const gv = ridgeInverse(V, params.lambda);
    const U = tf.tidy(() => tf.matMul(tf.matMul(Y, V), gv)) as tf.Tensor2D;
    gv.dispose();
    const gu = ridgeInverse(U, params.lambda);
    const next = tf.tidy(() => tf.matMul(tf.matMul(Y, U, true, false), gu)) as tf.Tensor2D;
    gu.dispose();
    U.dispose();
    V.dispose();
    V = next;
  }
  const gv = ridgeInverse(V, params.lambda);
  const P = tf.matMul(V, gv);
  const itemFactors = V.dataSync() as Float32Array;
  const projection = P.dataSync() as Float32Array;
  for (const t of [Y, V, gv, P]) t.dispose();
  return { itemFactors: Float32Array.from(itemFactors), projection: Float32Array.from(projection) };
}

/** Scores of every product for a shopper history (product index → value), via fold-in. */
export function scoreHistory(
  model: Pick<RecommenderModel, "itemFactors" | "projection" | "factors" | "items">,
  history: ReadonlyMap<number, number>,
): Float32Array {
  const d = model.factors;
  const u = new Float32Array(d);
  for (const [i, v] of history) {
    for (let f = 0; f < d; f++) u[f] = (u[f] as number) + v * (model.projection[i * d + f] as number);
  }
  const n = model.items.length;
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < d; f++) s += (u[f] as number) * (model.itemFactors[i * d + f] as number);
    scores[i] = s;
  }
  return scores;
}

/** Rank (0-based) of `target` among products not in `exclude`; ties go to the lower index. */
function rankOf(scores: ArrayLike<number>, target: number, exclude: ReadonlyMap<number, number>): number {
  const t = scores[target] as number;
  let rank = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i === target || exclude.has(i)) continue;
    const s = scores[i] as number;
    if (s > t || (s === t && i < target)) rank++;
  }
  return rank;
}

function summarize(ranks: number[]): RankingMetrics {
  const hits = ranks.filter((r) => r < 10).length;
  const ndcg = ranks.reduce((sum, r) => sum + (r < 10 ? 1 / Math.log2(r + 2) : 0), 0);
  const n = Math.max(1, ranks.length);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return { hitRate10: round(hits / n), ndcg10: round(ndcg / n), users: ranks.length };
}

export function trainRecommender(
  events: TrainingEvents,
  params: RecommenderParams = DEFAULT_RECOMMENDER_PARAMS,
): RecommenderReport {
  const itemCounts = new Float64Array(events.products.length);
  const userCounts = new Float64Array(events.users.length);
  for (let k = 0; k < events.count; k++) {
    itemCounts[events.item[k] as number] = (itemCounts[events.item[k] as number] ?? 0) + 1;
    userCounts[events.user[k] as number] = (userCounts[events.user[k] as number] ?? 0) + 1;
  }
  const items = selectTop(itemCounts, params.maxItems);
  const users = selectTop(userCounts, params.maxUsers);
  const itemCount = items.chosen.length;

  // Held out per shopper: the last product they discovered (first touched last), with every event
  // from that moment on; the model must rank it in the top 10 among products they never touched.
  const firstTouch = new Map<string, number>();
  const heldOutFrom = new Map<number, { item: number; time: number }>();
  for (let k = 0; k < events.count; k++) {
    const u = users.keep[events.user[k] as number] as number;
    const i = items.keep[events.item[k] as number] as number;
    if (u < 0 || i < 0) continue;
    const key = `${u}:${i}`;
    if (!firstTouch.has(key)) {
      firstTouch.set(key, events.time[k] as number);
      heldOutFrom.set(u, { item: i, time: events.time[k] as number });
    }
  }
  const distinct = new Map<number, number>();
  for (const key of firstTouch.keys()) {
    const u = Number(key.split(":")[0]);
    distinct.set(u, (distinct.get(u) ?? 0) + 1);
  }
  const evaluated = new Set([...distinct].filter(([, n]) => n >= 4).map(([u]) => u));
  const trainRows = buildRows(events, items.keep, users.keep, (k) => {
    const u = users.keep[events.user[k] as number] as number;
    const cut = heldOutFrom.get(u);
    return !evaluated.has(u) || !cut || (events.time[k] as number) < cut.time;
  });
  const allRows = buildRows(events, items.keep, users.keep, () => true);

  const popularity = new Float32Array(itemCount);
  for (const row of trainRows.values()) for (const i of row.keys()) popularity[i] = (popularity[i] ?? 0) + 1;

  const itemIds = items.chosen.map((i) => events.products[i] as string);
  const evalFit = fitAls({ users: [...trainRows.keys()], rows: trainRows }, itemCount, params);
  const modelRanks: number[] = [];
  const popularityRanks: number[] = [];
  for (const u of evaluated) {
    const target = heldOutFrom.get(u)?.item;
    const history = trainRows.get(u);
    if (target === undefined || !history || history.size === 0) continue;
    const scores = scoreHistory({ ...evalFit, factors: params.factors, items: itemIds }, history);
    modelRanks.push(rankOf(scores, target, history));
    popularityRanks.push(rankOf(popularity, target, history));
  }

  // The served model is refitted on everything, held-out events included.
  const fit = fitAls({ users: [...allRows.keys()], rows: allRows }, itemCount, params);
  const servedPopularity = new Float32Array(itemCount);
  for (const row of allRows.values()) for (const i of row.keys()) servedPopularity[i] = (servedPopularity[i] ?? 0) + 1;
  return {
    model: {
      items: itemIds,
      factors: params.factors,
      itemFactors: fit.itemFactors,
      projection: fit.projection,
      popularity: servedPopularity,
      alsoBought: coPurchases(events, items.keep, itemCount),
    },
    metrics: {
      model: summarize(modelRanks),
      popularity: summarize(popularityRanks),
      items: itemCount,
      users: allRows.size,
      events: events.count,
    },
  };
}

/** For each product, the 10 products most often bought by the same shoppers. */
function coPurchases(events: TrainingEvents, keepItem: Int32Array, itemCount: number): number[][] {
  const bought = new Map<number, Set<number>>();
  for (let k = 0; k < events.count; k++) {
    if (events.kind[k] !== KIND_CODES.purchase) continue;
    const i = keepItem[events.item[k] as number] as number;
    if (i < 0) continue;
    const u = events.user[k] as number;
    let set = bought.get(u);
    if (!set) {
      set = new Set();
      bought.set(u, set);
    }
    set.add(i);
  }
  const counts: Map<number, number>[] = Array.from({ length: itemCount }, () => new Map());
  for (const set of bought.values()) {
    // The 50 most recent would be better; a shopper's set is small with synthetic data, so cap plainly.
    const list = [...set].slice(-50);
    for (const a of list) {
      const row = counts[a] as Map<number, number>;
      for (const b of list) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  return counts.map((row) =>
    [...row]
      .filter(([, n]) => n >= 2)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, 10)
      .map(([j]) => j),
  );
}
