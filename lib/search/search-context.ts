// Small, rarely changing tables every search needs (synonyms, FX rates, the names of categories and
// sellers its facets show), read once and kept for a minute per database handle, so a search
// costs two round trips instead of four.
import type { Db } from "../db/client.ts";

export type SearchContext = {
  synonyms: ReadonlyMap<string, readonly string[]>;
  /** 1 USD = rate × currency, by ISO code (USD itself is always 1). */
  usdRates: ReadonlyMap<string, number>;
  /** The same rates exactly as stored (numeric), for conversions that must round as SQL does. */
  usdRateTexts: ReadonlyMap<string, string>;
  /** Category names by slug. */
  categoryNames: ReadonlyMap<string, string>;
  /** Sellers by id. */
  sellers: ReadonlyMap<string, { slug: string; name: string }>;
};

const TTL_MS = 60_000;
const cache = new WeakMap<Db, { at: number; generation: string | undefined; context: Promise<SearchContext> }>();

async function loadSearchContext(db: Db): Promise<SearchContext> {
  const [synonymRows, rateRows, categoryRows, sellerRows] = await Promise.all([
    db.$client.query<{ term: string; synonym: string }>("select term, synonym from commerce.search_synonyms"),
    db.$client.query<{ quote: string; rate: string }>("select quote, rate from commerce.fx_rates where base = 'USD'"),
    db.$client.query<{ slug: string; name: string }>("select slug, name from commerce.categories"),
    db.$client.query<{ id: string; slug: string; name: string }>("select id, slug, name from commerce.sellers"),
  ]);
  const synonyms = new Map<string, string[]>();
  for (const { term, synonym } of synonymRows.rows) synonyms.set(term, [...(synonyms.get(term) ?? []), synonym]);
  const usdRates = new Map<string, number>([["USD", 1]]);
  const usdRateTexts = new Map<string, string>([["USD", "1"]]);
  for (const { quote, rate } of rateRows.rows) {
    usdRates.set(quote.trim(), Number(rate));
    usdRateTexts.set(quote.trim(), rate);
  }
  return {
    synonyms,
    usdRates,
    usdRateTexts,
    categoryNames: new Map(categoryRows.rows.map((c) => [c.slug, c.name])),
    sellers: new Map(sellerRows.rows.map((s) => [s.id, { slug: s.slug, name: s.name }])),
  };
}

/**
 * `generation` (search-cache.ts) reloads the tables as soon as synonyms, rates or documents
 * changed (a new seller or category reaches search through its products' documents); a renamed
 * seller shows its new name within TTL_MS.
 */
export function getSearchContext(db: Db, generation?: string): Promise<SearchContext> {
  const cached = cache.get(db);
  if (cached && performance.now() - cached.at < TTL_MS && cached.generation === generation) return cached.context;
  const context = loadSearchContext(db);
  cache.set(db, { at: performance.now(), generation, context });
  // A failed load must not be cached: the next search tries again.
  context.catch(() => cache.delete(db));
  return context;
}

/** Forget cached synonyms and rates (after editing those tables). */
export function clearSearchContext(db: Db) {
  cache.delete(db);
}
