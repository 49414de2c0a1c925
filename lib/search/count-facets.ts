// Facet counts over a search's matches, from the in-memory facet store. Facets are "disjunctive":
// each counts the matches that pass every other active filter but not its own, so choosing a
// category still shows how many results the other categories would have.
import { deliveryOptions, paymentMethods } from "../db/schema.ts";
import { deliveryBit, type FacetStore, paymentBit, SELLERS_INLINE } from "./facet-store.ts";

export type FacetFilters = {
  category?: string;
  /** Bounds in USD minor units, inclusive. */
  priceMinUsd?: number;
  priceMaxUsd?: number;
  /** Stars × 100. */
  minRatingCenti?: number;
  /** A seller id; null when the requested seller does not exist (nothing passes). */
  sellerId?: string | null;
  delivery?: string;
  payment?: string;
};

export type FacetCounts = {
  /** Matches passing every filter. */
  total: number;
  /** Matches read (before filters). */
  matched: number;
  category: Map<string, number>;
  /** Bucket b counts prices with exactly b of `priceEdgesUsd` at or below them (width_bucket). */
  priceBuckets: Map<number, number>;
  /** By seller id. */
  seller: Map<string, number>;
  /** `rating:4`, `delivery:green`, `payment:upi` … as the facet lists show them. */
  fixed: Record<string, number>;
};

const CATEGORY = 1;
const PRICE = 2;
const RATING = 4;
const SELLER = 8;
const DELIVERY = 16;
const PAYMENT = 32;
const ALL = 63;

function bucketOf(price: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] ?? 0) <= price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Facet f counts a row when every other filter passes (bit f of `pass` set: the row passes f). */
const passesAllBut = (pass: number, f: number) => (pass | f) === ALL;

function includes(values: Int32Array, from: number, to: number, value: number): boolean {
  for (let k = from; k < to; k++) if (values[k] === value) return true;
  return false;
}

const bump = (counts: Int32Array, i: number) => {
  counts[i] = (counts[i] as number) + 1;
};

/** How many rows of a mask histogram have each bit. */
function countBits(histogram: Int32Array, bits: readonly number[]): number[] {
  return bits.map((bit) => histogram.reduce((sum, n, mask) => (mask & bit ? sum + n : sum), 0));
}

// One pass over the matches with flat typed arrays and no allocation: it runs for every uncached
// search, over up to MAX_MATCHED_ROWS rows. Fixed-value facets are histograms (by whole stars, by
// delivery and payment bit mask), turned into per-value counts at the end.
export function countFacets(
  store: FacetStore,
  slots: Int32Array,
  filters: FacetFilters,
  priceEdgesUsd: readonly number[],
  /** When given, `passing[i]` is set to 1 when `slots[i]` passes every filter, else 0. */
  passing?: Uint8Array,
): FacetCounts {
  const pathPasses = filters.category
    ? Uint8Array.from(store.paths, (path) => (path.includes(filters.category as string) ? 1 : 0))
    : undefined;
  const filterSeller = filters.sellerId !== undefined;
  const sellerOrdinal = filters.sellerId ? store.sellerOrdinal(filters.sellerId) : -1;
  const filterPrice = filters.priceMinUsd !== undefined || filters.priceMaxUsd !== undefined;
  const priceMin = filters.priceMinUsd ?? Number.NEGATIVE_INFINITY;
  const priceMax = filters.priceMaxUsd ?? Number.POSITIVE_INFINITY;
  const filterRating = filters.minRatingCenti !== undefined;
  const minRating = filters.minRatingCenti ?? 0;
  const deliveryMask = filters.delivery ? deliveryBit(filters.delivery) : 0;
  const paymentMask = filters.payment ? paymentBit(filters.payment) : 0;
  const { price: prices, rating: ratings, delivery: deliveries, payment: payments, path, category } = store;
  const { sellerIds, sellerCount, moreSellers } = store;

  // Counted by ordinal and named at the end: maps keyed by id strings cost ten times as much.
  const categoryCounts = new Int32Array(store.categories.length);
  const sellerCounts = new Int32Array(store.sellers.length);
  const bucketCounts = new Int32Array(priceEdgesUsd.length + 1);
  /** By whole stars (0–5); unrated rows are not counted. */
  const starCounts = new Int32Array(6);
  const deliveryHistogram = new Int32Array(256);
  const paymentHistogram = new Int32Array(256);
  let total = 0;

  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    const price = prices[slot] as number;
    const rating = ratings[slot] as number;
    const delivery = deliveries[slot] as number;
    const payment = payments[slot] as number;
    const count = sellerCount[slot] as number;
    // Inline sellers are read in place; only products with many sellers have an array of their own.
    const sellers = count > SELLERS_INLINE ? (moreSellers.get(slot) as Int32Array) : sellerIds;
    const first = count > SELLERS_INLINE ? 0 : slot * SELLERS_INLINE;
    const end = count > SELLERS_INLINE ? sellers.length : first + count;
    let pass = ALL;
    if (pathPasses && !pathPasses[path[slot] as number]) pass &= ~CATEGORY;
    // NaN (no offer) fails both comparisons, as NULL fails in SQL.
    if (filterPrice && !(price >= priceMin && price <= priceMax)) pass &= ~PRICE;
    if (filterRating && !(rating >= 0 && rating >= minRating)) pass &= ~RATING;
    if (filterSeller && !(sellerOrdinal >= 0 && includes(sellers, first, end, sellerOrdinal))) pass &= ~SELLER;
    if (deliveryMask && !(delivery & deliveryMask)) pass &= ~DELIVERY;
    if (paymentMask && !(payment & paymentMask)) pass &= ~PAYMENT;

    if (pass === ALL) total++;
    if (passing) passing[i] = pass === ALL ? 1 : 0;
    if (passesAllBut(pass, CATEGORY)) bump(categoryCounts, category[slot] as number);
    if (passesAllBut(pass, PRICE) && !Number.isNaN(price)) bump(bucketCounts, bucketOf(price, priceEdgesUsd));
    if (passesAllBut(pass, SELLER)) for (let k = first; k < end; k++) bump(sellerCounts, sellers[k] as number);
    if (passesAllBut(pass, RATING) && rating >= 0) bump(starCounts, Math.min(5, Math.floor(rating / 100)));
    if (passesAllBut(pass, DELIVERY)) bump(deliveryHistogram, delivery);
    if (passesAllBut(pass, PAYMENT)) bump(paymentHistogram, payment);
  }

  const named = (counts: Int32Array, names: readonly string[]) => {
    const map = new Map<string, number>();
    counts.forEach((n, i) => {
      if (n > 0) map.set(names[i] as string, n);
    });
    return map;
  };
  const counts: FacetCounts = {
    total,
    matched: slots.length,
    category: named(categoryCounts, store.categories),
    priceBuckets: new Map([...bucketCounts.entries()].filter(([, n]) => n > 0)),
    seller: named(sellerCounts, store.sellers),
    fixed: {},
  };
  for (const stars of [4, 3, 2, 1])
    counts.fixed[`rating:${stars}`] = starCounts.slice(stars).reduce((a, b) => a + b, 0);
  const deliveryCounts = countBits(deliveryHistogram, deliveryOptions.map(deliveryBit));
  deliveryOptions.forEach((v, i) => {
    counts.fixed[`delivery:${v}`] = deliveryCounts[i] ?? 0;
  });
  const paymentCounts = countBits(paymentHistogram, paymentMethods.map(paymentBit));
  paymentMethods.forEach((v, i) => {
    counts.fixed[`payment:${v}`] = paymentCounts[i] ?? 0;
  });
  return counts;
}
