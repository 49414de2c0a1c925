// SQL pieces shared by the SQL search (search-products.ts) and the in-memory one
// (search-in-memory.ts): the tsquery expressions PostgreSQL parses, and the page's items.

/** Spanish-language searches also match the English text (brands, model names are shared). */
export function tsConfigs(locale: string): string[] {
  return locale.startsWith("es") ? ["commerce.neocart_es", "commerce.neocart_en"] : ["commerce.neocart_en"];
}

/**
 * SQL expressions of the matching tsquery and of the ranking-only `primary` one (null when it
 * would equal the matching query); `p` adds a parameter and returns its placeholder.
 */
export function tsqueryExpressions(
  locale: string,
  tsquery: string | null,
  primary: string | null,
  p: (value: unknown) => string,
): { tsq: string | null; primaryTsq: string | null } {
  const toTsquery = (text: string, configs: string[]) => {
    const param = p(text);
    return configs.map((config) => `to_tsquery('${config}', ${param})`).join(" || ");
  };
  const tsq = tsquery ? toTsquery(tsquery, tsConfigs(locale)) : null;
  // Spanish ranks exact (unstemmed) words first; English when synonyms widened the query.
  const primaryTsq =
    tsquery && primary
      ? locale.startsWith("es")
        ? toTsquery(primary, ["commerce.neocart_exact"])
        : primary !== tsquery
          ? toTsquery(primary, ["commerce.neocart_en"])
          : null
      : null;
  return { tsq, primaryTsq };
}

/**
 * The page's products as a JSON array, in the order of `page` (a relation with product_id, n and
 * whatever `score` reads), prices in `currency` (a placeholder), titles in `locale`.
 */
export function pageItemsJson(page: string, score: string, currency: string, locale: string, crossJoin = ""): string {
  return `coalesce((
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
    from ${page}
    join commerce.search_documents d on d.product_id = pg.product_id${crossJoin}
    join commerce.products p on p.id = pg.product_id
    left join commerce.product_translations tr on tr.product_id = p.id and tr.locale = ${locale}
    left join lateral (
      select i.url from commerce.product_images i where i.product_id = p.id order by i.position limit 1
    ) img on true
  ), '[]')`;
}
