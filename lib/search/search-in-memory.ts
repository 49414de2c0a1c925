// The in-memory side of a search (text-index.ts): the matches of a tsquery, their facet counts, and
// the page's products in the requested order, ranked as the SQL search ranks them
// (ts_rank × a little popularity), and the page's result cards from the item store.
import type { Db } from "../db/client.ts";
import { countFacets, type FacetCounts, type FacetFilters } from "./count-facets.ts";
import { itemStoreFor } from "./item-store.ts";
import type { SearchContext } from "./search-context.ts";
import type { SearchQuery } from "./search-input.ts";
import type { SearchItem } from "./search-products.ts";
import { tsqueryExpressions } from "./search-statements.ts";
import type { TextIndex } from "./text-index.ts";
import { type Ranker, type RankQuery, rankOrder } from "./ts-rank.ts";
import { lexemesOf, parseTsquery, type TsqueryNode, UnsupportedTsquery } from "./tsquery-text.ts";

/** A text query as PostgreSQL parsed it; `primary` (the words as typed) adds to the rank. */
export type ParsedQuery = { match: TsqueryNode; primary: TsqueryNode | null };

export type MemoryMatches = {
  counts: FacetCounts;
  /** Matches in the whole index (`counts.matched` stops at the cap). */
  all: number;
  /** The page in order: each product's id, document version and score. */
  page: { productId: string; version: number; score: number }[];
};

function rankQuery(index: TextIndex, node: TsqueryNode): RankQuery {
  return {
    rootIsAnd: "op" in node && node.op === "and",
    lexemeIds: rankOrder(lexemesOf(node)).map((lexeme) => index.lexemeId(lexeme)),
  };
}

/** Orders two slots (negative: `a` first), as the SQL search's ORDER BY does. */
type Compare = (a: number, b: number) => number;

const idOrder =
  (index: TextIndex): Compare =>
  (a, b) => {
    const x = index.productIds[a] as string;
    const y = index.productIds[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  };

/** Every order but relevance with a text query, which ranks (see searchIndex). */
function comparator(index: TextIndex, sort: SearchQuery["sort"], hasText: boolean): Compare {
  const { reviewCount, createdAt, facetSlot } = index;
  const { price, rating } = index.facets;
  const byId = idOrder(index);
  const priceOf = (slot: number) => price[facetSlot[slot] as number] as number;
  // Unrated is -1, below every rating: "desc nulls last" comes for free.
  const ratingOf = (slot: number) => rating[facetSlot[slot] as number] as number;
  const priceThen =
    (direction: 1 | -1): Compare =>
    (a, b) => {
      const x = priceOf(a);
      const y = priceOf(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? byId(a, b) : 1) : -1;
      return (x - y) * direction || byId(a, b);
    };
  switch (sort) {
    case "price_asc":
      return priceThen(1);
    case "price_desc":
      return priceThen(-1);
    case "rating":
      return (a, b) =>
        ratingOf(b) - ratingOf(a) || (reviewCount[b] as number) - (reviewCount[a] as number) || byId(a, b);
    case "newest":
      return (a, b) => (createdAt[b] as number) - (createdAt[a] as number) || byId(a, b);
    default:
      if (hasText) throw new Error("relevance with a text query is ranked, not compared");
      // Browsing: most reviewed first, then best rated.
      return (a, b) =>
        (reviewCount[b] as number) - (reviewCount[a] as number) || ratingOf(b) - ratingOf(a) || byId(a, b);
  }
}

/** The first `count` slots of `candidates` in `compare` order, without sorting all of them. */
function topSlots(candidates: Int32Array, count: number, compare: Compare): number[] {
  const best: number[] = [];
  if (count <= 0) return best;
  for (const slot of candidates) {
    if (best.length === count && compare(slot, best[count - 1] as number) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(best[mid] as number, slot) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, slot);
    if (best.length > count) best.pop();
  }
  return best;
}

export function searchIndex(
  index: TextIndex,
  parsed: ParsedQuery | null,
  query: SearchQuery,
  filters: FacetFilters,
  priceEdgesUsd: readonly number[],
  maxMatchedRows: number,
): MemoryMatches {
  const { slots, all } = index.match(parsed?.match ?? null, parsed ? undefined : query.category, maxMatchedRows);
  const facetSlots = new Int32Array(slots.length);
  for (let i = 0; i < slots.length; i++) facetSlots[i] = index.facetSlot[slots[i] as number] as number;
  const passing = new Uint8Array(slots.length);
  const counts = countFacets(index.facets, facetSlots, filters, priceEdgesUsd, passing);
  const candidates = new Int32Array(counts.total);
  let n = 0;
  for (let i = 0; i < slots.length; i++) if (passing[i]) candidates[n++] = slots[i] as number;

  const matchRank = parsed ? rankQuery(index, parsed.match) : undefined;
  const primaryRank = parsed?.primary ? rankQuery(index, parsed.primary) : undefined;
  const ranker = matchRank ? index.ranker(primaryRank ? [matchRank, primaryRank] : [matchRank]) : undefined;
  try {
    return rankPage(index, query, counts, all, candidates, ranker);
  } finally {
    ranker?.release();
  }
}

function rankPage(
  index: TextIndex,
  query: SearchQuery,
  counts: FacetCounts,
  all: number,
  candidates: Int32Array,
  ranker: Ranker | undefined,
): MemoryMatches {
  const n = candidates.length;
  const pair = new Float64Array(2);
  // (ts_rank(query) [+ ts_rank(primary)], in float4) × (1 + ln(1 + reviews) / 20), in float8.
  const rankOf = (slot: number) => {
    if (!ranker) return 0;
    ranker.rank(slot, pair);
    const text = Math.fround((pair[0] as number) + (pair[1] as number));
    return text * (index.popularity[slot] as number);
  };
  const offset = (query.page - 1) * query.pageSize;
  const wanted = offset + query.pageSize;
  let page: number[];
  let scores: number[];
  if (query.sort === "relevance" && ranker) {
    // Every candidate is ranked once; the order compares candidates by index into `ranks`.
    const ranks = new Float64Array(n);
    for (let i = 0; i < n; i++) ranks[i] = rankOf(candidates[i] as number);
    const { reviewCount } = index;
    const byId = idOrder(index);
    const indexes = new Int32Array(n);
    for (let i = 0; i < n; i++) indexes[i] = i;
    const order = topSlots(indexes, wanted, (i, j) => {
      const a = candidates[i] as number;
      const b = candidates[j] as number;
      return (
        (ranks[j] as number) - (ranks[i] as number) ||
        (reviewCount[b] as number) - (reviewCount[a] as number) ||
        byId(a, b)
      );
    }).slice(offset);
    page = order.map((i) => candidates[i] as number);
    scores = order.map((i) => ranks[i] as number);
  } else {
    page = topSlots(candidates, wanted, comparator(index, query.sort, ranker !== undefined)).slice(offset);
    scores = page.map(rankOf);
  }
  return {
    counts,
    all,
    page: page.map((slot, i) => ({
      productId: index.productIds[slot] as string,
      version: index.version[slot] as number,
      score: scores[i] as number,
    })),
  };
}

const NOTHING: TsqueryNode = { op: "or", args: [] };
const PARSED_QUERIES_MAX = 20_000;
// Stemming depends only on the words and the text search configuration, which only a migration
// changes: a parsed query is kept for the life of the process (up to PARSED_QUERIES_MAX of them).
const parsedQueries = new Map<string, Promise<ParsedQuery | "unsupported">>();

/** The tsquery PostgreSQL builds from `tsquery` (and `primary`), parsed; "unsupported" for SQL. */
export function parseQuery(
  db: Db,
  locale: string,
  tsquery: string,
  primary: string | null,
): Promise<ParsedQuery | "unsupported"> {
  const key = JSON.stringify([locale.slice(0, 2), tsquery, primary]);
  let parsed = parsedQueries.get(key);
  if (parsed) return parsed;
  const params: unknown[] = [];
  const { tsq, primaryTsq } = tsqueryExpressions(locale, tsquery, primary, (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  parsed = db.$client
    .query<{ match: string; primary: string | null }>(
      `select (${tsq})::text as match, ${primaryTsq ? `(${primaryTsq})::text` : "null::text"} as primary`,
      params,
    )
    .then(({ rows }) => {
      const row = rows[0];
      if (!row) throw new Error("to_tsquery returned no row");
      try {
        // The empty query (only stop words) matches nothing and ranks 0, as in SQL.
        return {
          match: parseTsquery(row.match) ?? NOTHING,
          primary: row.primary === null ? null : (parseTsquery(row.primary) ?? NOTHING),
        };
      } catch (error) {
        if (error instanceof UnsupportedTsquery) return "unsupported" as const;
        throw error;
      }
    });
  if (parsedQueries.size >= PARSED_QUERIES_MAX) parsedQueries.clear();
  parsedQueries.set(key, parsed);
  parsed.catch(() => parsedQueries.delete(key));
  return parsed;
}

const conversions = new Map<string, Promise<number[]>>();

/**
 * `amounts` in minor units of `currency`, in USD minor units, as commerce.to_usd_minor rounds
 * them; kept per rate (the search context's), so a new rate converts anew.
 */
function toUsdMinor(db: Db, currency: string, usdRate: number, amounts: number[]): Promise<number[]> {
  if (currency === "USD" || amounts.length === 0) return Promise.resolve(amounts);
  const key = `${currency}|${usdRate}|${amounts.join(",")}`;
  let converted = conversions.get(key);
  if (!converted) {
    converted = db.$client
      .query<{ usd: string[] }>(
        `select array(select commerce.to_usd_minor(a, $1)::text from unnest($2::bigint[]) with ordinality t(a, o)
           order by o) as usd`,
        [currency, amounts],
      )
      .then(({ rows }) => (rows[0]?.usd ?? []).map(Number));
    if (conversions.size >= PARSED_QUERIES_MAX) conversions.clear();
    conversions.set(key, converted);
    converted.catch(() => conversions.delete(key));
  }
  return converted;
}

/** The seller's id from a slug or an id; null when no seller has it. */
function sellerIdOf(context: SearchContext, seller: string): string | null {
  if (context.sellers.has(seller)) return seller;
  for (const [id, { slug }] of context.sellers) if (slug === seller) return id;
  return null;
}

export type InMemorySearch = {
  items: SearchItem[];
  counts: FacetCounts;
  /** Present when the cap was reached: the matches passing every filter, extrapolated. */
  estimate?: number;
};

/** A search answered by `index`, with only the page's items read from PostgreSQL. */
export async function searchInMemory(
  db: Db,
  index: TextIndex,
  parsed: ParsedQuery | null,
  query: SearchQuery,
  context: SearchContext,
  usdRate: number,
  edges: number[],
  maxMatchedRows: number,
): Promise<InMemorySearch> {
  const bounds = [query.priceMin, query.priceMax].filter((b): b is number => b !== undefined);
  const usd = await toUsdMinor(db, query.currency, usdRate, [...edges, ...bounds]);
  const edgesUsd = usd.slice(0, edges.length);
  let next = edges.length;
  const filters: FacetFilters = {
    category: query.category,
    ...(query.priceMin !== undefined ? { priceMinUsd: usd[next++] as number } : {}),
    ...(query.priceMax !== undefined ? { priceMaxUsd: usd[next++] as number } : {}),
    ...(query.minRating !== undefined ? { minRatingCenti: Math.round(query.minRating * 100) } : {}),
    ...(query.seller ? { sellerId: sellerIdOf(context, query.seller) } : {}),
    delivery: query.delivery,
    payment: query.payment,
  };
  const found = searchIndex(index, parsed, query, filters, edgesUsd, maxMatchedRows);
  const rateText = context.usdRateTexts.get(query.currency) ?? "1";
  const items = await itemStoreFor(db).pageOf(db, found.page, query.currency, query.locale.slice(0, 2), rateText);
  const { counts } = found;
  return {
    items,
    counts,
    ...(counts.matched >= maxMatchedRows
      ? { estimate: counts.matched > 0 ? Math.round((found.all * counts.total) / counts.matched) : 0 }
      : {}),
  };
}
