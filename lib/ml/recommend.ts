// What the app calls for recommendations: the personalised feed, "similar" and "also bought". Each
// answers from the current trained recommender and falls back to popularity (from shopper events,
// else review counts) when no model is trained, its files are missing, or the product or shopper is
// unknown to it. `source` says which one answered.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { loadTensors } from "./model-files.ts";
import { loadCurrentModel, type ModelOptions } from "./model-registry.ts";
import { EVENT_WEIGHTS, type RecommenderModel, scoreHistory } from "./train-recommender.ts";

export type Recommendation = { productId: string; score: number };
export type RecommendationList = {
  items: Recommendation[];
  source: "model" | "popularity";
  modelVersion: string | null;
};

type LoadedRecommender = RecommenderModel & { index: Map<string, number>; norms: Float32Array };

const limitSchema = z.number().int().min(1).max(100).default(12);
const KIND_WEIGHT: Record<string, number> = {
  view: EVENT_WEIGHTS[0],
  cart: EVENT_WEIGHTS[1],
  purchase: EVENT_WEIGHTS[2],
};
/** A shopper's history is their last this-many events (older taste matters less and costs time). */
const HISTORY_EVENTS = 300;

async function loadRecommender(dir: string): Promise<LoadedRecommender> {
  const { tensors, metadata } = await loadTensors(dir);
  const items = metadata.items as string[];
  const factors = metadata.factors as number;
  const itemFactors = tensors.itemFactors as Float32Array;
  const norms = new Float32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let s = 0;
    for (let f = 0; f < factors; f++) s += (itemFactors[i * factors + f] as number) ** 2;
    norms[i] = Math.sqrt(s) || 1;
  }
  return {
    items,
    factors,
    itemFactors,
    projection: tensors.projection as Float32Array,
    popularity: tensors.popularity as Float32Array,
    alsoBought: (metadata.alsoBought as number[][] | undefined) ?? [],
    index: new Map(items.map((id, i) => [id, i])),
    norms,
  };
}

function current(db: Db, options: ModelOptions) {
  return loadCurrentModel(db, "recommender", options, loadRecommender);
}

/** Indices of the `limit` best scores, skipping `exclude`. */
function topK(scores: ArrayLike<number>, limit: number, exclude: (i: number) => boolean): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (exclude(i)) continue;
    const s = scores[i] as number;
    if (best.length === limit && s <= (scores[best[limit - 1] as number] as number)) continue;
    let k = best.length < limit ? best.length : limit - 1;
    best[k] = i;
    while (k > 0 && (scores[best[k - 1] as number] as number) < s) {
      best[k] = best[k - 1] as number;
      best[k - 1] = i;
      k--;
    }
  }
  return best;
}

/** Most popular products (shoppers who bought them, else review counts), for fallbacks. */
export async function popularProducts(
  db: Db,
  limit: number,
  options: { category?: string; exclude?: readonly string[] } = {},
): Promise<Recommendation[]> {
  const { rows } = await db.$client.query<{ product_id: string; score: number }>(
    `select d.product_id, (coalesce(b.buyers, 0) * 1000 + d.review_count)::float8 as score
       from commerce.search_documents d
       left join (select product_id, count(distinct user_id) as buyers from commerce.interactions
                   where kind = 'purchase' group by product_id) b on b.product_id = d.product_id
      where ($2::text is null or d.category_slug = $2) and not (d.product_id = any($3::uuid[]))
      order by score desc, d.product_id limit $1`,
    [limit, options.category ?? null, options.exclude ?? []],
  );
  return rows.map((r) => ({ productId: r.product_id, score: r.score }));
}

/** The personalised feed for a shopper (a commerce user or any id with recorded events). */
export async function recommendFor(
  db: Db,
  userId: string,
  options: ModelOptions & { limit?: number } = {},
): Promise<RecommendationList> {
  const limit = limitSchema.parse(options.limit);
  const id = z.uuid().parse(userId);
  const { rows } = await db.$client.query<{ product_id: string; kind: string }>(
    `(select product_id, kind from commerce.interactions where user_id = $1 order by occurred_at desc limit $2)
     union all
     (select oi.product_id, 'purchase' from commerce.orders o join commerce.order_items oi on oi.order_id = o.id
       where o.user_id = $1 order by o.created_at desc limit 50)`,
    [id, HISTORY_EVENTS],
  );
  const bought = new Set(rows.filter((r) => r.kind === "purchase").map((r) => r.product_id));
  const loaded = await current(db, options);
  if (loaded) {
    const model = loaded.model;
    const weights = new Map<number, number>();
    for (const row of rows) {
      const i = model.index.get(row.product_id);
      if (i !== undefined) weights.set(i, (weights.get(i) ?? 0) + (KIND_WEIGHT[row.kind] ?? 1));
    }
    if (weights.size > 0) {
      const history = new Map([...weights].map(([i, w]) => [i, Math.log1p(w)]));
      const scores = scoreHistory(model, history);
      // Already-bought products leave the feed; viewed ones may stay (people come back to them).
      const best = topK(scores, limit, (i) => bought.has(model.items[i] as string));
      return {
        items: best.map((i) => ({ productId: model.items[i] as string, score: scores[i] as number })),
        source: "model",
        modelVersion: loaded.record.version,
      };
    }
    const best = topK(model.popularity, limit, (i) => bought.has(model.items[i] as string));
    return {
      items: best.map((i) => ({ productId: model.items[i] as string, score: model.popularity[i] as number })),
      source: "popularity",
      modelVersion: loaded.record.version,
    };
  }
  return {
    items: await popularProducts(db, limit, { exclude: [...bought] }),
    source: "popularity",
    modelVersion: null,
  };
}

/** Products whose learned factors point the same way (cosine similarity). */
export async function similarProducts(
  db: Db,
  productId: string,
  options: ModelOptions & { limit?: number } = {},
): Promise<RecommendationList> {
  const limit = limitSchema.parse(options.limit);
  const id = z.uuid().parse(productId);
  const loaded = await current(db, options);
  const i = loaded?.model.index.get(id);
  if (loaded && i !== undefined) {
    const m = loaded.model;
    const d = m.factors;
    const scores = new Float32Array(m.items.length);
    for (let j = 0; j < m.items.length; j++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (m.itemFactors[i * d + f] as number) * (m.itemFactors[j * d + f] as number);
      scores[j] = s / ((m.norms[i] as number) * (m.norms[j] as number));
    }
    const best = topK(scores, limit, (j) => j === i);
    return {
      items: best.map((j) => ({ productId: m.items[j] as string, score: scores[j] as number })),
      source: "model",
      modelVersion: loaded.record.version,
    };
  }
  const { rows } = await db.$client.query<{ category_slug: string }>(
    "select category_slug from commerce.products where id = $1",
    [id],
  );
  const category = rows[0]?.category_slug;
  return {
    items: await popularProducts(db, limit, { category, exclude: [id] }),
    source: "popularity",
    modelVersion: loaded?.record.version ?? null,
  };
}

/** "Shoppers who bought this also bought": co-purchases, topped up with similar products. */
export async function alsoBought(
  db: Db,
  productId: string,
  options: ModelOptions & { limit?: number } = {},
): Promise<RecommendationList> {
  const limit = limitSchema.parse(options.limit);
  const id = z.uuid().parse(productId);
  const loaded = await current(db, options);
  const i = loaded?.model.index.get(id);
  if (loaded && i !== undefined) {
    const m = loaded.model;
    const together = (m.alsoBought[i] ?? []).slice(0, limit);
    const items: Recommendation[] = together.map((j, rank) => ({
      productId: m.items[j] as string,
      score: together.length - rank,
    }));
    if (items.length < limit) {
      const similar = await similarProducts(db, id, { ...options, limit });
      for (const s of similar.items) {
        if (items.length >= limit) break;
        if (!items.some((x) => x.productId === s.productId)) items.push({ productId: s.productId, score: 0 });
      }
    }
    return { items, source: "model", modelVersion: loaded.record.version };
  }
  return similarProducts(db, id, options);
}
