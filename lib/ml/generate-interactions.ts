// Deterministic synthetic shopper behaviour over the seeded catalog: the data the models learn from
// until real traffic accrues (and the data their tests can make exact claims about). Same seed and
// catalog, same events. What it encodes, so a model has something real to find:
// - latent tastes: each shopper favours 2–3 leaf categories and one of three "styles" within them;
// - popularity skew: a Zipf-like weight per product (a few best sellers, a long tail);
// - seasonality: per root category a yearly curve, plus a December lift and a Black Friday week;
// - price response: weekly shelf prices (promotions, drift) and a per-root-category elasticity, so
//   the chance that a view becomes a purchase scales with (price / base price)^-elasticity;
// - seller choice: among a product's offers, cheaper ones win more often (logit on log price).
import { uuidFrom } from "../catalog/deterministic-ids.ts";
import { createRandom, type Random } from "../catalog/prng.ts";
import type { Db } from "../db/client.ts";
import { addWeeks, weekOfYear } from "./weeks.ts";

export type CatalogItem = {
  productId: string;
  leaf: string;
  root: string;
  /** The cheapest active offer, in USD minor units. */
  priceUsdMinor: number;
  offers: { id: string; priceUsdMinor: number }[];
};

export type InteractionKind = "view" | "cart" | "purchase";

export type SyntheticInteraction = {
  userId: string;
  productId: string;
  offerId: string | null;
  kind: InteractionKind;
  quantity: number;
  unitPriceUsdMinor: number;
  occurredAt: Date;
};

export type SyntheticOptions = {
  seed?: string;
  users: number;
  weeks: number;
  /** Monday the series starts on (default 2024-07-01). */
  start?: Date;
  /** Mean sessions per shopper per week (default 0.6). */
  sessionsPerWeek?: number;
};

export type SyntheticData = {
  interactions: SyntheticInteraction[];
  priceWeeks: { productId: string; weekStart: Date; priceUsdMinor: number }[];
  /** What the generator used, so tests and the bench can check what models recover. */
  truth: { elasticity: Record<string, number>; competitionSensitivity: number };
};

export const DEFAULT_SERIES_START = new Date(Date.UTC(2024, 6, 1));
/** How strongly shoppers prefer the cheaper of a product's offers (logit on log price). */
export const OFFER_PRICE_SENSITIVITY = 4;
const STYLES = 3;
const HOUR_MS = 3_600_000;

function poisson(random: Random, lambda: number): number {
  // Knuth's method: fine for the small rates used here.
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k++;
    p *= random.next();
  }
  return k;
}

/** Index into `cumulative` (ascending running totals) for a uniform draw. */
function pickWeighted(cumulative: Float64Array, random: Random): number {
  const total = cumulative[cumulative.length - 1] ?? 0;
  const x = random.next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulate(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

/** Yearly demand multiplier of a root category in a given week of the year. */
function seasonFactor(amplitude: number, peakWeek: number, woy: number): number {
  return 1 + amplitude * Math.cos((2 * Math.PI * (woy - peakWeek)) / 52);
}

/** Whole-market multiplier: December lift and the Black Friday week. */
function marketFactor(woy: number): number {
  return (1 + 0.15 * Math.cos((2 * Math.PI * (woy - 50)) / 52)) * (woy === 47 ? 1.4 : 1);
}

export function syntheticUserId(seed: string, index: number): string {
  return uuidFrom(`synthetic-shopper:${seed}:${index}`);
}

export function generateInteractions(items: readonly CatalogItem[], options: SyntheticOptions): SyntheticData {
  const seed = options.seed ?? "neocart";
  const start = options.start ?? DEFAULT_SERIES_START;
  const sessionsPerWeek = options.sessionsPerWeek ?? 0.6;
  const roots = [...new Set(items.map((i) => i.root))].sort();
  const leaves = [...new Set(items.map((i) => i.leaf))].sort();

  const elasticity: Record<string, number> = {};
  const season = new Map<string, { amplitude: number; peak: number }>();
  for (const root of roots) {
    const r = createRandom(`${seed}:market:${root}`);
    elasticity[root] = Math.round((0.6 + 2 * r.next()) * 100) / 100;
    season.set(root, { amplitude: 0.15 + 0.35 * r.next(), peak: r.int(0, 51) });
  }

  // Popularity: a random rank per product, weight ~ 1 / (rank + 1)^0.9; style: one of three.
  const catalogRandom = createRandom(`${seed}:catalog-traits`);
  const ranks = catalogRandom.sample(
    items.map((_, i) => i),
    items.length,
  );
  const popularity = new Float64Array(items.length);
  ranks.forEach((itemIndex, rank) => {
    popularity[itemIndex] = 1 / (rank + 1) ** 0.9;
  });
  const style = items.map(() => catalogRandom.int(0, STYLES - 1));
  const leafRoot = new Map(items.map((i) => [i.leaf, i.root]));
  const byLeaf = new Map<string, number[]>();
  items.forEach((item, i) => {
    byLeaf.set(item.leaf, [...(byLeaf.get(item.leaf) ?? []), i]);
  });
  const leafWeight = leaves.map((leaf) => (byLeaf.get(leaf) ?? []).reduce((s, i) => s + (popularity[i] ?? 0), 0));
  const leafCumulative = cumulate(leafWeight);
  // Per leaf and preferred style, cumulative choice weights (the style a shopper likes counts 3×).
  const leafStyleCumulative = new Map<string, Float64Array>();
  for (const leaf of leaves) {
    for (let s = 0; s < STYLES; s++) {
      const members = byLeaf.get(leaf) ?? [];
      leafStyleCumulative.set(
        `${leaf}:${s}`,
        cumulate(members.map((i) => (popularity[i] ?? 0) * (style[i] === s ? 3 : 1))),
      );
    }
  }

  // Weekly shelf price multipliers: promotions (10–30 % off, ~1 week in 10) over a slow drift.
  const priceMultiplier: Float64Array[] = items.map((item) => {
    const r = createRandom(`${seed}:prices:${item.productId}`);
    const m = new Float64Array(options.weeks);
    let drift = 1;
    for (let w = 0; w < options.weeks; w++) {
      drift = Math.min(1.07, Math.max(0.93, drift + (r.next() - 0.5) * 0.02));
      m[w] = r.chance(0.1) ? 1 - (0.1 + 0.2 * r.next()) : drift;
    }
    return m;
  });
  const priceWeeks: SyntheticData["priceWeeks"] = [];
  items.forEach((item, i) => {
    for (let w = 0; w < options.weeks; w++) {
      priceWeeks.push({
        productId: item.productId,
        weekStart: addWeeks(start, w),
        priceUsdMinor: Math.max(1, Math.round(item.priceUsdMinor * (priceMultiplier[i]?.[w] ?? 1))),
      });
    }
  });

  const interactions: SyntheticInteraction[] = [];
  for (let u = 0; u < options.users; u++) {
    const r = createRandom(`${seed}:shopper:${u}`);
    const userId = syntheticUserId(seed, u);
    const activity = sessionsPerWeek * Math.exp(0.6 * (r.next() + r.next() + r.next() - 1.5) * 2 - 0.2);
    const favouriteCount = r.int(2, 3);
    const favourites: string[] = [];
    for (let tries = 0; favourites.length < favouriteCount && tries < 20; tries++) {
      const leaf = leaves[pickWeighted(leafCumulative, r)] as string;
      if (!favourites.includes(leaf)) favourites.push(leaf);
    }
    const favouriteWeights = favourites.map(() => 0.5 + r.next());
    const preferredStyle = r.int(0, STYLES - 1);

    for (let w = 0; w < options.weeks; w++) {
      const weekStartMs = addWeeks(start, w).getTime();
      const woy = weekOfYear(new Date(weekStartMs));
      const sessions = poisson(r, activity * marketFactor(woy));
      for (let s = 0; s < sessions; s++) {
        let leaf: string;
        if (r.chance(0.85) && favourites.length > 0) {
          const weights = favourites.map((f, k) => {
            const sf = season.get(leafRoot.get(f) ?? "") ?? { amplitude: 0, peak: 0 };
            return (favouriteWeights[k] ?? 1) * seasonFactor(sf.amplitude, sf.peak, woy);
          });
          leaf = favourites[pickWeighted(cumulate(weights), r)] as string;
        } else {
          leaf = leaves[pickWeighted(leafCumulative, r)] as string;
        }
        const members = byLeaf.get(leaf) ?? [];
        const cumulative = leafStyleCumulative.get(`${leaf}:${preferredStyle}`);
        if (!cumulative || members.length === 0) continue;
        let at = weekStartMs + r.int(0, 7 * 24 - 2) * HOUR_MS + r.int(0, 3_599) * 1000;
        const views = 1 + Math.min(3, poisson(r, 1.2));
        const seen = new Set<number>();
        for (let v = 0; v < views; v++) {
          const itemIndex = members[pickWeighted(cumulative, r)] as number;
          if (seen.has(itemIndex)) continue;
          seen.add(itemIndex);
          const item = items[itemIndex] as CatalogItem;
          const m = priceMultiplier[itemIndex]?.[w] ?? 1;
          const price = Math.max(1, Math.round(item.priceUsdMinor * m));
          const base = { userId, productId: item.productId, quantity: 1, unitPriceUsdMinor: price };
          interactions.push({ ...base, offerId: null, kind: "view", occurredAt: new Date(at) });
          at += r.int(20, 240) * 1000;
          const e = elasticity[item.root] ?? 1;
          if (!r.chance(Math.min(0.9, 0.22 * m ** -e))) continue;
          const offer = chooseOffer(item, r);
          const offerPrice = Math.max(1, Math.round((offer?.priceUsdMinor ?? item.priceUsdMinor) * m));
          interactions.push({
            ...base,
            offerId: offer?.id ?? null,
            kind: "cart",
            unitPriceUsdMinor: offerPrice,
            occurredAt: new Date(at),
          });
          at += r.int(60, 900) * 1000;
          if (!r.chance(0.55)) continue;
          const quantity = r.chance(0.8) ? 1 : r.chance(0.75) ? 2 : 3;
          interactions.push({
            ...base,
            offerId: offer?.id ?? null,
            kind: "purchase",
            quantity,
            unitPriceUsdMinor: offerPrice,
            occurredAt: new Date(at),
          });
          at += r.int(60, 600) * 1000;
        }
      }
    }
  }
  return { interactions, priceWeeks, truth: { elasticity, competitionSensitivity: OFFER_PRICE_SENSITIVITY } };
}

function chooseOffer(item: CatalogItem, r: Random): CatalogItem["offers"][number] | undefined {
  if (item.offers.length <= 1) return item.offers[0];
  const weights = item.offers.map((o) => (o.priceUsdMinor / item.priceUsdMinor) ** -OFFER_PRICE_SENSITIVITY);
  return item.offers[pickWeighted(cumulate(weights), r)];
}

/** The catalog as the generator and the models see it: leaf and root category, offer prices in USD. */
export async function readCatalogItems(db: Db): Promise<CatalogItem[]> {
  const { rows } = await db.$client.query<{
    product_id: string;
    leaf: string;
    root: string;
    offers: { id: string; usd: number | null }[] | null;
  }>(
    `select d.product_id, d.category_slug as leaf, d.category_path[1] as root,
            (select json_agg(json_build_object('id', o.id, 'usd', commerce.to_usd_minor(o.price_minor, o.currency))
                             order by o.id)
               from commerce.offers o where o.product_id = d.product_id and o.active) as offers
     from commerce.search_documents d order by d.product_id`,
  );
  const items: CatalogItem[] = [];
  for (const row of rows) {
    const offers = (row.offers ?? [])
      .filter((o): o is { id: string; usd: number } => o.usd !== null && o.usd > 0)
      .map((o) => ({ id: o.id, priceUsdMinor: Number(o.usd) }));
    if (offers.length === 0) continue;
    items.push({
      productId: row.product_id,
      leaf: row.leaf,
      root: row.root ?? row.leaf,
      priceUsdMinor: Math.min(...offers.map((o) => o.priceUsdMinor)),
      offers,
    });
  }
  return items;
}
