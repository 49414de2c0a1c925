// Facet counts over a search's matches, from the in-memory facet store. Facets are "disjunctive":
// each counts the matches that pass every other active filter but not its own, so choosing a
// category still shows how many results the other categories would have.
import { deliveryOptions, paymentMethods } from "../db/schema.ts";
import { deliveryBit, type FacetStore, paymentBit } from "./facet-store.ts";

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
const increment = (counts: number[], i: number) => {
  counts[i] = (counts[i] ?? 0) + 1;
};
const add = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

export function countFacets(
  store: FacetStore,
  slots: Int32Array,
  filters: FacetFilters,
  priceEdgesUsd: readonly number[],
): FacetCounts {
  const pathPasses = filters.category
    ? store.paths.map((path) => path.includes(filters.category as string))
    : undefined;
  const sellerOrdinal =
    filters.sellerId === undefined ? -2 : filters.sellerId === null ? -1 : store.sellerOrdinal(filters.sellerId);
  const deliveryMask = filters.delivery ? deliveryBit(filters.delivery) : 0;
  const paymentMask = filters.payment ? paymentBit(filters.payment) : 0;
  const ratingBits = [4, 3, 2, 1];
  const deliveryBits = deliveryOptions.map(deliveryBit);
  const paymentBits = paymentMethods.map(paymentBit);
  const ratingCounts = [0, 0, 0, 0];
  const deliveryCounts = deliveryOptions.map(() => 0);
  const paymentCounts = paymentMethods.map(() => 0);
  const counts: FacetCounts = {
    total: 0,
    matched: slots.length,
    category: new Map(),
    priceBuckets: new Map(),
    seller: new Map(),
    fixed: {},
  };

  for (const slot of slots) {
    const price = store.price[slot] ?? Number.NaN;
    const rating = store.rating[slot] ?? -1;
    const delivery = store.delivery[slot] ?? 0;
    const payment = store.payment[slot] ?? 0;
    const sellers = store.sellerIds[slot] ?? new Int32Array(0);
    let pass = ALL;
    if (pathPasses && !pathPasses[store.path[slot] ?? 0]) pass &= ~CATEGORY;
    if (
      (filters.priceMinUsd !== undefined || filters.priceMaxUsd !== undefined) &&
      !(
        !Number.isNaN(price) &&
        (filters.priceMinUsd === undefined || price >= filters.priceMinUsd) &&
        (filters.priceMaxUsd === undefined || price <= filters.priceMaxUsd)
      )
    ) {
      pass &= ~PRICE;
    }
    if (filters.minRatingCenti !== undefined && !(rating >= 0 && rating >= filters.minRatingCenti)) pass &= ~RATING;
    if (sellerOrdinal !== -2 && !(sellerOrdinal >= 0 && sellers.includes(sellerOrdinal))) pass &= ~SELLER;
    if (deliveryMask && !(delivery & deliveryMask)) pass &= ~DELIVERY;
    if (paymentMask && !(payment & paymentMask)) pass &= ~PAYMENT;

    if (pass === ALL) counts.total++;
    if (passesAllBut(pass, CATEGORY)) add(counts.category, store.categories[store.category[slot] ?? 0] as string);
    if (passesAllBut(pass, PRICE) && !Number.isNaN(price)) add(counts.priceBuckets, bucketOf(price, priceEdgesUsd));
    if (passesAllBut(pass, SELLER)) for (const s of sellers) add(counts.seller, store.sellers[s] as string);
    if (passesAllBut(pass, RATING)) {
      for (let i = 0; i < ratingBits.length; i++) if (rating >= (ratingBits[i] ?? 0) * 100) increment(ratingCounts, i);
    }
    if (passesAllBut(pass, DELIVERY))
      for (let i = 0; i < deliveryBits.length; i++) if (delivery & (deliveryBits[i] ?? 0)) increment(deliveryCounts, i);
    if (passesAllBut(pass, PAYMENT))
      for (let i = 0; i < paymentBits.length; i++) if (payment & (paymentBits[i] ?? 0)) increment(paymentCounts, i);
  }

  ratingBits.forEach((r, i) => {
    counts.fixed[`rating:${r}`] = ratingCounts[i] ?? 0;
  });
  deliveryOptions.forEach((v, i) => {
    counts.fixed[`delivery:${v}`] = deliveryCounts[i] ?? 0;
  });
  paymentMethods.forEach((v, i) => {
    counts.fixed[`payment:${v}`] = paymentCounts[i] ?? 0;
  });
  return counts;
}
