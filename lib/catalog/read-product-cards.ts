// Product cards (title, image, cheapest price in the shopper's currency, rating) for lists that
// are not searches: the home feed, group buys, recommendations.
import { sql } from "drizzle-orm";
import type { Executor } from "../pricing/executor.ts";
import type { SearchItem } from "../search/search-products.ts";

export type ProductCard = Pick<
  SearchItem,
  | "id"
  | "slug"
  | "title"
  | "brand"
  | "category"
  | "imageUrl"
  | "modelUrl"
  | "price"
  | "rating"
  | "offerCount"
  | "inStock"
>;

type CardRow = {
  id: string;
  slug: string;
  title: string;
  brand: string;
  category: string;
  image_url: string | null;
  model_url: string | null;
  price_minor: string | null;
  rating_centi: number | null;
  review_count: number;
  offer_count: number;
  in_stock: boolean;
};

/** Which products, in which order: explicit ids, or one of the feed orders. */
export type CardSelection =
  | { ids: readonly string[] }
  | { order: "popular" | "newest"; limit: number; category?: string };

export async function readProductCards(
  db: Executor,
  selection: CardSelection,
  options: { currency: string; locale: string },
): Promise<ProductCard[]> {
  let chosen: ReturnType<typeof sql>;
  if ("ids" in selection) {
    if (selection.ids.length === 0) return [];
    chosen = sql`select d.product_id, ord from unnest(${sql.raw("array[")}${sql.join(
      selection.ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}${sql.raw("]")}) with ordinality as x(pid, ord) join commerce.search_documents d on d.product_id = x.pid`;
  } else {
    const orderBy =
      selection.order === "popular"
        ? sql`d.review_count desc, d.rating_centi desc nulls last, d.product_id`
        : sql`d.created_at desc, d.product_id`;
    const where = selection.category ? sql`and ${selection.category} = any(d.category_path)` : sql``;
    chosen = sql`select d.product_id, row_number() over (order by ${orderBy}) as ord
      from commerce.search_documents d where d.in_stock ${where} order by ${orderBy} limit ${selection.limit}`;
  }
  const { rows } = await db.execute<CardRow>(sql`
    with chosen as (${chosen})
    select p.id, p.slug, coalesce(tr.title, p.title) as title, p.brand, p.category_slug as category,
      img.url as image_url, p.model_url,
      (case when d.price_usd_minor is null then null
            when d.best_currency = ${options.currency} then d.best_price_minor
            else commerce.from_usd_minor(d.price_usd_minor, ${options.currency}) end)::text as price_minor,
      d.rating_centi, d.review_count, d.offer_count, d.in_stock
    from chosen c
    join commerce.search_documents d on d.product_id = c.product_id
    join commerce.products p on p.id = c.product_id
    left join commerce.product_translations tr on tr.product_id = p.id and tr.locale = ${options.locale}
    left join lateral (select i.url from commerce.product_images i where i.product_id = p.id order by i.position limit 1) img on true
    order by c.ord`);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    brand: r.brand,
    category: r.category,
    imageUrl: r.image_url,
    modelUrl: r.model_url,
    price: r.price_minor === null ? null : { minor: Number(r.price_minor), currency: options.currency },
    rating: { average: r.rating_centi === null ? null : r.rating_centi / 100, count: r.review_count },
    offerCount: r.offer_count,
    inStock: r.in_stock,
  }));
}
