// Catalog search: typo-corrected, synonym-expanded full-text query over commerce.search_documents,
// with filters, sort, pagination and facet counts, in one SQL statement. Facets are "disjunctive":
// each facet counts the matches of every other active filter but not its own, so choosing a
// category still shows how many results the other categories would have.
import type { Db } from "../db/client.ts";
import { deliveryOptions, paymentMethods } from "../db/schema.ts";
import { correctTerms } from "./correct-terms.ts";
import { tokenize } from "./normalize-query.ts";
import { currencyExponent, priceBucketEdges } from "./price-buckets.ts";
import { cachedResult, searchGeneration } from "./search-cache.ts";
import { getSearchContext } from "./search-context.ts";
import { parseSearchInput, type SearchInput, SearchInputError, type SearchQuery } from "./search-input.ts";

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

export type SearchOptions = {
  /** Serve and keep results in the per-process result cache (search-cache.ts). Default true. */
  cache?: boolean;
  /** Overrides MAX_MATCHED_ROWS (tests reach the cap on a small catalog). */
  maxMatchedRows?: number;
};

/** Spanish-language searches also match the English text (brands, model names are shared). */
function tsConfigs(locale: string): string[] {
  return locale.startsWith("es") ? ["commerce.neocart_es", "commerce.neocart_en"] : ["commerce.neocart_en"];
}

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
  items: SearchItem[];
  /** The planner's estimate of the matches, present only when the cap was reached. */
  estimate?: number;
  category_facet: FacetValue[];
  price_facet: { bucket: number; count: number }[];
  seller_facet: FacetValue[];
  counts: Record<string, number>;
};

/**
 * `tsquery` selects the matches; `primary` (the terms as typed or corrected, without synonyms)
 * adds to the rank, so "sneakers" lists sneakers before the shoes its synonym brings in.
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
  const toTsquery = (text: string, configs: string[]) => {
    const param = p(text);
    return configs.map((config) => `to_tsquery('${config}', ${param})`).join(" || ");
  };
  const spanish = query.locale.startsWith("es");
  const tsq = tsquery ? toTsquery(tsquery, tsConfigs(query.locale)) : null;
  // Spanish ranks exact (unstemmed) words first; English when synonyms widened the query.
  const primaryTsq =
    tsquery && primary
      ? spanish
        ? toTsquery(primary, ["commerce.neocart_exact"])
        : primary !== tsquery
          ? toTsquery(primary, ["commerce.neocart_en"])
          : null
      : null;

  const flags = {
    category: query.category ? `d.category_path @> array[${p(query.category)}::text]` : "true",
    price:
      [
        // Scalar subqueries: the bound is converted once, not once per matched row.
        query.priceMin !== undefined
          ? `d.price_usd_minor >= (select commerce.to_usd_minor(${p(query.priceMin)}, ${currency}))`
          : "",
        query.priceMax !== undefined
          ? `d.price_usd_minor <= (select commerce.to_usd_minor(${p(query.priceMax)}, ${currency}))`
          : "",
      ]
        .filter(Boolean)
        .join(" and ") || "true",
    rating: query.minRating !== undefined ? `d.rating_centi >= ${p(Math.round(query.minRating * 100))}` : "true",
    seller: query.seller
      ? `d.seller_ids @> array[(select s.id from commerce.sellers s where s.slug = ${p(query.seller)} or s.id::text = ${p(query.seller)})]`
      : "true",
    delivery: query.delivery ? `d.delivery_options @> array[${p(query.delivery)}::text]` : "true",
    payment: query.payment ? `d.payment_methods @> array[${p(query.payment)}::text]` : "true",
  };
  type Flag = keyof typeof flags;
  const allBut = (skip?: Flag) =>
    (Object.keys(flags) as Flag[])
      .filter((f) => f !== skip)
      .map((f) => `f_${f}`)
      .join(" and ");

  // Without a text query, the category (if any) narrows the base set directly: the whole catalog
  // would otherwise be materialised just to count facets.
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
  // Only rows that pass every filter can reach the page: the others are read for facet counts
  // and are never ranked.
  const active = (Object.keys(flags) as Flag[]).map((f) => flags[f]).filter((c) => c !== "true");
  const rank = !rankAll
    ? "0::real"
    : active.length === 0
      ? rankOf
      : `case when ${active.join(" and ")} then ${rankOf} else 0 end`;
  const score = rankAll ? "pg.rank" : tsq ? rankOf : "0::real";
  const limit = p(query.pageSize);
  const offset = p((query.page - 1) * query.pageSize);
  const edgesParam = p(edges);

  const text = `
with ${tsq ? `q as (select ${tsq} as query${primaryTsq ? `, ${primaryTsq} as primary_query` : ""}),` : ""}
edges as (
  select array_agg(commerce.to_usd_minor(e, ${currency}) order by e) as usd from unnest(${edgesParam}::bigint[]) e
),
base as materialized (
  select d.product_id, d.category_slug, d.price_usd_minor, d.rating_centi, d.review_count, d.created_at,
    d.seller_ids, d.delivery_options, d.payment_methods, ${rank} as rank,
    ${(Object.keys(flags) as Flag[]).map((f) => `coalesce(${flags[f]}, false) as f_${f}`).join(",\n    ")}
  from ${from}
),
-- Numbered after the limit: a window over the whole ordered match set would sort all of it,
-- where order by + limit keeps only the page's rows (a top-N heap).
page as (
  select product_id, rank, row_number() over () as n from (
    select product_id, rank from base where ${allBut()}
    order by ${orderBy(query.sort, tsq !== null)} limit ${limit} offset ${offset}
  ) ranked
)
select
  coalesce((
    select json_agg(json_build_object(
      'id', p.id, 'sku', p.sku, 'slug', p.slug, 'title', coalesce(tr.title, p.title), 'brand', p.brand,
      'category', p.category_slug, 'imageUrl', img.url, 'modelUrl', p.model_url,
      'price', case when d.price_usd_minor is null then null else json_build_object(
        'minor', case when d.best_currency = ${currency} then d.best_price_minor
                      else commerce.from_usd_minor(d.price_usd_minor, ${currency}) end,
        'currency', ${currency}::text) end,
      'bestOffer', case when d.best_price_minor is null then null
        else json_build_object('minor', d.best_price_minor, 'currency', d.best_currency) end,
      'rating', json_build_object('average', d.rating_centi / 100.0, 'count', d.review_count),
      'offerCount', d.offer_count, 'inStock', d.in_stock, 'deliveryOptions', d.delivery_options,
      'paymentMethods', d.payment_methods, 'score', round((${score})::numeric, 6)
    ) order by pg.n)
    from page pg
    join commerce.search_documents d on d.product_id = pg.product_id${tsq ? " cross join q" : ""}
    join commerce.products p on p.id = pg.product_id
    left join commerce.product_translations tr on tr.product_id = p.id and tr.locale = ${locale}
    left join lateral (
      select i.url from commerce.product_images i where i.product_id = p.id order by i.position limit 1
    ) img on true
  ), '[]') as items,
  coalesce((
    select json_agg(json_build_object('value', x.category_slug, 'label', c.name, 'count', x.n) order by x.n desc, x.category_slug)
    from (select category_slug, count(*)::integer as n from base where ${allBut("category")}
          group by category_slug order by n desc, category_slug limit ${FACET_LIMIT.category}) x
    join commerce.categories c on c.slug = x.category_slug
  ), '[]') as category_facet,
  coalesce((
    select json_agg(json_build_object('bucket', x.bucket, 'count', x.n))
    from (select width_bucket(price_usd_minor, (select usd from edges)) as bucket, count(*)::integer as n
          from base where ${allBut("price")} and price_usd_minor is not null group by 1) x
  ), '[]') as price_facet,
  coalesce((
    select json_agg(json_build_object('value', x.slug, 'label', x.name, 'count', x.n) order by x.n desc, x.slug)
    from (select s.slug, s.name, c.n from (
            select seller_id, count(*)::integer as n from base, unnest(seller_ids) as seller_id
            where ${allBut("seller")} group by seller_id) c
          join commerce.sellers s on s.id = c.seller_id order by c.n desc, s.slug limit ${FACET_LIMIT.seller}) x
  ), '[]') as seller_facet,
  -- The total, and rating, delivery and payment (a few fixed values each): one pass of filtered
  -- counts is much cheaper than a scan per count or unnesting every row's arrays.
  (select json_build_object(${[
    `'total', count(*) filter (where ${allBut()})`,
    "'matched', count(*)",
    ...[4, 3, 2, 1].map(
      (r) => `'rating:${r}', count(*) filter (where ${allBut("rating")} and rating_centi >= ${r * 100})`,
    ),
    ...deliveryOptions.map(
      (v) => `'delivery:${v}', count(*) filter (where ${allBut("delivery")} and delivery_options @> '{${v}}')`,
    ),
    ...paymentMethods.map(
      (v) => `'payment:${v}', count(*) filter (where ${allBut("payment")} and payment_methods @> '{${v}}')`,
    ),
  ].join(",\n      ")})
   from base) as counts`;
  const { rows } = await db.$client.query<Row>(text, params);
  const row = rows[0];
  if (!row) throw new Error("search returned no row");
  if ((row.counts.matched ?? 0) >= maxMatchedRows) {
    // Counting past the cap would read every match: the planner's row estimate for the same
    // conditions (from the tsvector and column statistics) costs a plan, not a scan. The text
    // query is inlined so the planner sees its value.
    const where = [tsq ? `d.document @@ (${tsq})` : "true", ...(Object.keys(flags) as Flag[]).map((f) => flags[f])]
      .filter((c) => c !== "true")
      .join(" and ");
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
  if (options.cache === false) return search(db, query, terms, maxMatchedRows, await searchGeneration(db));
  // Queries that fold to the same terms ("Headphones", "headphones ") share one entry.
  const key = JSON.stringify(["search", { ...query, q: terms.join(" ") }, maxMatchedRows]);
  return cachedResult(db, key, (generation) => search(db, query, terms, maxMatchedRows, generation));
}

async function search(
  db: Db,
  query: SearchQuery,
  terms: string[],
  maxMatchedRows: number,
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
  let row = await runSearch(db, query, buildTsquery(groups, "&"), buildTsquery(primary, "&"), edges, maxMatchedRows);
  // Nothing has every word: rank the products that have some of them rather than show nothing.
  if ((row.counts.total ?? 0) === 0 && groups.length > 1) {
    row = await runSearch(db, query, buildTsquery(groups, "|"), buildTsquery(primary, "|"), edges, maxMatchedRows);
  }

  const counts = new Map(row.price_facet.map((b) => [b.bucket, b.count]));
  const buckets: PriceBucket[] = [];
  for (let b = 0; b <= edges.length; b++) {
    buckets.push({
      min: b === 0 ? null : (edges[b - 1] ?? null),
      max: b === edges.length ? null : (edges[b] ?? null),
      count: counts.get(b) ?? 0,
    });
  }
  const changed = corrected.some((t) => t.corrected);
  const counted = row.counts.total ?? 0;
  const capped = (row.counts.matched ?? 0) >= maxMatchedRows;
  return {
    items: row.items,
    total: capped ? Math.max(counted, row.estimate ?? 0) : counted,
    totalIsExact: !capped,
    totalIsEstimate: capped,
    page: query.page,
    pageSize: query.pageSize,
    facets: {
      category: row.category_facet,
      price: { currency: query.currency, buckets },
      rating: [4, 3, 2, 1].map((minRating) => ({ minRating, count: row.counts[`rating:${minRating}`] ?? 0 })),
      seller: row.seller_facet,
      delivery: fixedFacet(row.counts, "delivery", deliveryOptions),
      payment: fixedFacet(row.counts, "payment", paymentMethods),
    },
    ...(changed ? { correctedQuery: corrected.map((t) => t.term).join(" ") } : {}),
  };
}
