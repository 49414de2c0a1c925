// Catalog search: typo-corrected, synonym-expanded full-text query over commerce.search_documents,
// with filters, facets, sort and pagination. Answered from this process's in-memory text index
// (text-index.ts, search-in-memory.ts) once it is built; until then, and with engine "sql", in one
// SQL statement, with facet counts from the in-memory facet store (facet-store.ts, count-facets.ts).
import type { Db } from "../db/client.ts";
import { deliveryOptions, paymentMethods } from "../db/schema.ts";
import { correctTerms } from "./correct-terms.ts";
import { countFacets, type FacetCounts, type FacetFilters } from "./count-facets.ts";
import { facetStoreFor, parseVersionList } from "./facet-store.ts";
import { tokenize } from "./normalize-query.ts";
import { currencyExponent, priceBucketEdges } from "./price-buckets.ts";
import { cachedResult, searchGeneration } from "./search-cache.ts";
import { getSearchContext } from "./search-context.ts";
import { defaultEngine, type SearchEngine, textIndexFor } from "./search-engine.ts";
import { parseQuery, searchInMemory } from "./search-in-memory.ts";
import { parseSearchInput, type SearchInput, SearchInputError, type SearchQuery } from "./search-input.ts";
import { pageItemsJson, tsqueryExpressions } from "./search-statements.ts";

export type SearchItem = {
  id: string;
  sku: string;
  slug: string;
  title: string;
  brand: string;
  category: string;
  imageUrl: string | null;
  modelUrl: string | null;
  /** The cheapest offer, in the requested currency (minor units). Null when nothing is on offer. */
  price: { minor: number; currency: string } | null;
  /** That offer in the seller's own currency. */
  bestOffer: { minor: number; currency: string } | null;
  rating: { average: number | null; count: number };
  offerCount: number;
  inStock: boolean;
  deliveryOptions: string[];
  paymentMethods: string[];
  score: number;
};

export type FacetValue = { value: string; label: string; count: number };
export type PriceBucket = { min: number | null; max: number | null; count: number };

export type SearchResult = {
  items: SearchItem[];
  total: number;
  /** False when the query matched more than MAX_MATCHED_ROWS products: facet counts are then lower bounds. */
  totalIsExact: boolean;
  /**
   * True when the match set was too large to count (more than MAX_MATCHED_ROWS): `total` is then
   * the planner's estimate from the index statistics (never below the matches counted), to show as
   * "about 52,000 results".
   */
  totalIsEstimate: boolean;
  page: number;
  pageSize: number;
  facets: {
    category: FacetValue[];
    /** In minor units of the requested currency: [min, max). */
    price: { currency: string; buckets: PriceBucket[] };
    /** Products rated at least `minRating` stars. */
    rating: { minRating: number; count: number }[];
    seller: FacetValue[];
    delivery: FacetValue[];
    payment: FacetValue[];
  };
  /** The query as searched, when typo correction changed it. */
  correctedQuery?: string;
};

const FACET_LIMIT = { category: 50, seller: 20 };
/**
 * At most this many matches are ranked and counted. A word found in most of a million products
 * ("black", "everyday") would otherwise cost a full scan per keystroke; beyond the cap facet counts
 * are lower bounds (`totalIsExact: false`), the total is an estimate (`totalIsEstimate: true`) and
 * results are ranked among the matches read first. 10,000 rows of the match set fit in the default
 * work_mem (4 MB), so the set is never written to a temporary file.
 */
export const MAX_MATCHED_ROWS = 10_000;

export type { SearchEngine };

export type SearchOptions = {
  /** Serve and keep results in the per-process result cache (search-cache.ts). Default true. */
  cache?: boolean;
  /**
   * Where matches are found and ranked: "memory" in this process's text index (text-index.ts,
   * built on first use and awaited), "sql" in PostgreSQL, "auto" (the default, or
   * NEOCART_SEARCH_ENGINE) in memory once the index is built and in SQL until then.
   */
  engine?: SearchEngine;
  /** Overrides MAX_MATCHED_ROWS (tests reach the cap on a small catalog). */
  maxMatchedRows?: number;
};

function orderBy(sort: SearchQuery["sort"], hasQuery: boolean): string {
  switch (sort) {
    case "price_asc":
      return "price_usd_minor asc nulls last, product_id";
    case "price_desc":
      return "price_usd_minor desc nulls last, product_id";
    case "rating":
      return "rating_centi desc nulls last, review_count desc, product_id";
    case "newest":
      return "created_at desc, product_id";
    default:
      return hasQuery
        ? "rank desc, review_count desc, product_id"
        : "review_count desc, rating_centi desc nulls last, product_id";
  }
}

type Row = {
  /** Versions of the matches read (at most maxMatchedRows), comma-separated as PostgreSQL sends them. */
  versions: string | null;
  /** The same, parsed once. */
  matchVersions: Float64Array;
  items: SearchItem[];
  /** The price filter's bounds and the bucket edges, converted to USD minor units once. */
  price_min_usd: string | null;
  price_max_usd: string | null;
  edges_usd: number[];
  /** The requested seller's id; null when no seller has that slug or id. */
  seller_id: string | null;
  /** The planner's estimate of the matches, present only when the cap was reached. */
  estimate?: number;
};

/**
 * One statement reads the matches (versions only, for the facet store), ranks those passing every
 * filter and builds the page's items. `tsquery` selects the matches; `primary` (the terms as typed
 * or corrected, without synonyms) adds to the rank, so "sneakers" lists sneakers before the shoes
 * its synonym brings in.
 */
async function runSearch(
  db: Db,
  query: SearchQuery,
  tsquery: string | null,
  primary: string | null,
  edges: number[],
  maxMatchedRows: number,
): Promise<Row> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const currency = p(query.currency);
  const locale = p(query.locale.slice(0, 2));
  const { tsq, primaryTsq } = tsqueryExpressions(query.locale, tsquery, primary, p);

  const priceMin = query.priceMin !== undefined ? p(query.priceMin) : null;
  const priceMax = query.priceMax !== undefined ? p(query.priceMax) : null;
  const seller = query.seller ? p(query.seller) : null;
  const sellerId = `(select s.id from commerce.sellers s where s.slug = ${seller} or s.id::text = ${seller})`;
  const flags = {
    category: query.category ? `d.category_path @> array[${p(query.category)}::text]` : "true",
    price:
      [
        // Scalar subqueries: the bound is converted once, not once per matched row.
        priceMin ? `d.price_usd_minor >= (select commerce.to_usd_minor(${priceMin}, ${currency}))` : "",
        priceMax ? `d.price_usd_minor <= (select commerce.to_usd_minor(${priceMax}, ${currency}))` : "",
      ]
        .filter(Boolean)
        .join(" and ") || "true",
    rating: query.minRating !== undefined ? `d.rating_centi >= ${p(Math.round(query.minRating * 100))}` : "true",
    seller: seller ? `d.seller_ids @> array[${sellerId}]` : "true",
    delivery: query.delivery ? `d.delivery_options @> array[${p(query.delivery)}::text]` : "true",
    payment: query.payment ? `d.payment_methods @> array[${p(query.payment)}::text]` : "true",
  };
  const active = Object.values(flags).filter((c) => c !== "true");

  // Without a text query, the category (if any) narrows the base set directly: the whole catalog
  // would otherwise be read just to count facets.
  const from = `${
    tsq
      ? "commerce.search_documents d, q where d.document @@ q.query"
      : `commerce.search_documents d where ${flags.category}`
  } limit ${maxMatchedRows}`;
  // Ranked on titles, brand and category (rank_vector), never on the large document: reading
  // that for every match would cost more than the rest of the search. ts_rank, not ts_rank_cd:
  // titles are a few words long, so cover density adds little (the relevance tests pass with
  // either), and it cost four times as much per match (9 ms against 2 ms for 6,251 matches).
  const textRank = primaryTsq
    ? "(ts_rank(d.rank_vector, q.query) + ts_rank(d.rank_vector, q.primary_query))"
    : "ts_rank(d.rank_vector, q.query)";
  // A little popularity breaks near-ties between equally relevant titles.
  const rankOf = `${textRank} * (1 + ln(1 + d.review_count) / 20)`;
  // Other sorts never read the rank of the whole match set: only the page's rows get a score.
  const rankAll = tsq !== null && query.sort === "relevance";
  // Only rows that pass every filter can reach the page, so only those are ranked.
  const passes = active.length === 0 ? "true" : `coalesce(${active.join(" and ")}, false)`;
  const rank = !rankAll ? "0::real" : active.length === 0 ? rankOf : `case when ${passes} then ${rankOf} else 0 end`;
  const score = rankAll ? "pg.rank" : tsq ? rankOf : "0::real";
  // Only the columns the chosen order reads: each one is read from every match.
  const sortColumns = {
    relevance: tsq ? [] : ["rating_centi"],
    price_asc: ["price_usd_minor"],
    price_desc: ["price_usd_minor"],
    rating: ["rating_centi"],
    newest: ["created_at"],
  }[query.sort];
  const limit = p(query.pageSize);
  const offset = p((query.page - 1) * query.pageSize);
  const edgesParam = p(edges);

  const text = `
with ${tsq ? `q as (select ${tsq} as query${primaryTsq ? `, ${primaryTsq} as primary_query` : ""}),` : ""}
matches as materialized (
  select d.version, d.product_id, d.review_count, ${sortColumns.map((c) => `d.${c}, `).join("")}${rank} as rank,
    ${passes} as passes
  from ${from}
),
-- Numbered after the limit: a window over the whole ordered match set would sort all of it,
-- where order by + limit keeps only the page's rows (a top-N heap).
page as (
  select product_id, rank, row_number() over () as n from (
    select product_id, rank from matches where passes
    order by ${orderBy(query.sort, tsq !== null)} limit ${limit} offset ${offset}
  ) ranked
)
select
  (select string_agg(version::text, ',') from matches) as versions,
  ${pageItemsJson("page pg", score, currency, locale, tsq ? " cross join q" : "")} as items,
  ${priceMin ? `commerce.to_usd_minor(${priceMin}, ${currency})::text` : "null"} as price_min_usd,
  ${priceMax ? `commerce.to_usd_minor(${priceMax}, ${currency})::text` : "null"} as price_max_usd,
  (select coalesce(json_agg(commerce.to_usd_minor(e, ${currency}) order by e), '[]')
     from unnest(${edgesParam}::bigint[]) e) as edges_usd,
  ${seller ? sellerId : "null::uuid"} as seller_id`;
  const { rows } = await db.$client.query<Row>(text, params);
  const row = rows[0];
  if (!row) throw new Error("search returned no row");
  row.matchVersions = parseVersionList(row.versions);
  if (row.matchVersions.length >= maxMatchedRows) {
    // Counting past the cap would read every match: the planner's row estimate for the same
    // conditions (from the tsvector and column statistics) costs a plan, not a scan. The text
    // query is inlined so the planner sees its value.
    const where = [tsq ? `d.document @@ (${tsq})` : "true", ...active].filter((c) => c !== "true").join(" and ");
    // Parameters the conditions do not use (currency, locale, the ranking query, all text) are
    // still sent, so they are named in the select list where they cannot change the estimate.
    const used = new Set([...where.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const last = Math.max(0, ...used);
    const unused = Array.from({ length: last }, (_, i) => i + 1).filter((n) => !used.has(n));
    const plan = await db.$client.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
      `explain (format json) select 1${unused.map((n) => `, $${n}::text`).join("")}
       from commerce.search_documents d${where ? ` where ${where}` : ""}`,
      params.slice(0, last),
    );
    row.estimate = Math.round(plan.rows[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
  }
  return row;
}

/** The `limit` most common values, ties by label; values without a label are left out. */
function topValues(
  counts: ReadonlyMap<string, number>,
  labelOf: (value: string) => { value: string; label: string; sortKey: string } | undefined,
  limit: number,
): FacetValue[] {
  const values: (FacetValue & { sortKey: string })[] = [];
  for (const [key, count] of counts) {
    const label = labelOf(key);
    if (label) values.push({ ...label, count });
  }
  return values
    .sort((a, b) => b.count - a.count || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .slice(0, limit)
    .map(({ value, label, count }) => ({ value, label, count }));
}

/** Values with at least one product, most common first. */
function fixedFacet(counts: Record<string, number>, facet: string, values: readonly string[]): FacetValue[] {
  return values
    .map((value) => ({ value, label: value, count: counts[`${facet}:${value}`] ?? 0 }))
    .filter((v) => v.count > 0)
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** A tsquery text: every term must match (AND), or any (OR); each term or one of its synonyms. */
function buildTsquery(groups: readonly (readonly string[])[], operator: "&" | "|"): string | null {
  if (groups.length === 0) return null;
  return groups.map((alternatives) => `(${alternatives.join(" | ")})`).join(` ${operator} `);
}

export async function searchProducts(db: Db, input: SearchInput, options: SearchOptions = {}): Promise<SearchResult> {
  const query = parseSearchInput(input);
  const terms = tokenize(query.q);
  const maxMatchedRows = options.maxMatchedRows ?? MAX_MATCHED_ROWS;
  const engine = options.engine ?? defaultEngine();
  if (options.cache === false) return search(db, query, terms, maxMatchedRows, engine, await searchGeneration(db));
  // Queries that fold to the same terms ("Headphones", "headphones ") share one entry.
  const key = JSON.stringify(["search", { ...query, q: terms.join(" ") }, maxMatchedRows]);
  return cachedResult(db, key, (generation) => search(db, query, terms, maxMatchedRows, engine, generation));
}

async function search(
  db: Db,
  query: SearchQuery,
  terms: string[],
  maxMatchedRows: number,
  engine: SearchEngine,
  generation: string,
): Promise<SearchResult> {
  const context = await getSearchContext(db, generation);
  const usdRate = context.usdRates.get(query.currency);
  if (usdRate === undefined) {
    throw new SearchInputError([
      `currency ${query.currency} has no exchange rate; use one of ${[...context.usdRates.keys()].sort().join(", ")}`,
    ]);
  }
  const corrected = terms.length > 0 ? await correctTerms(db, terms, context.synonyms, generation) : [];
  const groups = corrected.map(({ term }) => [...new Set([term, ...(context.synonyms.get(term) ?? [])])]);
  const edges = priceBucketEdges(usdRate, currencyExponent(query.currency));

  const primary = corrected.map(({ term }) => [term]);
  const store = facetStoreFor(db);
  const index = await textIndexFor(db, engine, generation);
  const run = async (operator: "&" | "|"): Promise<{ row: Pick<Row, "items" | "estimate">; counts: FacetCounts }> => {
    const tsquery = buildTsquery(groups, operator);
    const primaryTsquery = buildTsquery(primary, operator);
    if (index) {
      const parsed = tsquery ? await parseQuery(db, query.locale, tsquery, primaryTsquery) : null;
      if (parsed !== "unsupported") {
        const found = await searchInMemory(db, index, parsed, query, context, usdRate, edges, maxMatchedRows);
        return { row: found, counts: found.counts };
      }
    }
    const row = await runSearch(db, query, tsquery, primaryTsquery, edges, maxMatchedRows);
    const slots = await store.slotsOf(db, row.matchVersions);
    const filters: FacetFilters = {
      category: query.category,
      ...(row.price_min_usd !== null ? { priceMinUsd: Number(row.price_min_usd) } : {}),
      ...(row.price_max_usd !== null ? { priceMaxUsd: Number(row.price_max_usd) } : {}),
      ...(query.minRating !== undefined ? { minRatingCenti: Math.round(query.minRating * 100) } : {}),
      ...(query.seller ? { sellerId: row.seller_id } : {}),
      delivery: query.delivery,
      payment: query.payment,
    };
    return { row, counts: countFacets(store, slots, filters, row.edges_usd.map(Number)) };
  };
  let { row, counts } = await run("&");
  // Nothing has every word: rank the products that have some of them rather than show nothing.
  if (counts.total === 0 && groups.length > 1) ({ row, counts } = await run("|"));

  const buckets: PriceBucket[] = [];
  for (let b = 0; b <= edges.length; b++) {
    buckets.push({
      min: b === 0 ? null : (edges[b - 1] ?? null),
      max: b === edges.length ? null : (edges[b] ?? null),
      count: counts.priceBuckets.get(b) ?? 0,
    });
  }
  const changed = corrected.some((t) => t.corrected);
  const capped = counts.matched >= maxMatchedRows;
  return {
    items: row.items,
    total: capped ? Math.max(counts.total, row.estimate ?? 0) : counts.total,
    totalIsExact: !capped,
    totalIsEstimate: capped,
    page: query.page,
    pageSize: query.pageSize,
    facets: {
      category: topValues(
        counts.category,
        (slug) => {
          const name = context.categoryNames.get(slug);
          return name === undefined ? undefined : { value: slug, label: name, sortKey: slug };
        },
        FACET_LIMIT.category,
      ),
      price: { currency: query.currency, buckets },
      rating: [4, 3, 2, 1].map((minRating) => ({ minRating, count: counts.fixed[`rating:${minRating}`] ?? 0 })),
      seller: topValues(
        counts.seller,
        (id) => {
          const seller = context.sellers.get(id);
          return seller && { value: seller.slug, label: seller.name, sortKey: seller.slug };
        },
        FACET_LIMIT.seller,
      ),
      delivery: fixedFacet(counts.fixed, "delivery", deliveryOptions),
      payment: fixedFacet(counts.fixed, "payment", paymentMethods),
    },
    ...(changed ? { correctedQuery: corrected.map((t) => t.term).join(" ") } : {}),
  };
}
