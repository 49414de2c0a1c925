// The home page: top categories, popular and new products, deals (one seller well under the
// others) and group buys still open on chain. Until the recommender lands, "popular and new" is
// the feed for everyone.
import { sql } from "drizzle-orm";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";
import { type ProductCard, readProductCards } from "./read-product-cards.ts";

export type OpenGroupBuy = {
  poolId: string;
  product: ProductCard;
  pledgedUnits: number;
  minUnits: number;
  maxUnits: number;
  deadline: Date;
};

export type HomeFeed = {
  categories: { slug: string; name: string }[];
  popular: ProductCard[];
  newest: ProductCard[];
  deals: (ProductCard & { savingPercent: number })[];
  groupBuys: OpenGroupBuy[];
};

/** An offer at least this far under the dearest offer of the same product makes a deal. */
const DEAL_MIN_SAVING_PERCENT = 15;

export async function readHomeFeed(
  db: Executor,
  options: { currency: string; locale: string; viewsSchema: string; now?: Date },
): Promise<HomeFeed> {
  const now = options.now ?? new Date();
  const [categories, popular, newest, dealRows, poolRows] = await Promise.all([
    db.execute<{ slug: string; name: string }>(
      sql`select slug, name from commerce.categories where parent_slug is null order by name limit 12`,
    ),
    readProductCards(db, { order: "popular", limit: 8 }, options),
    readProductCards(db, { order: "newest", limit: 8 }, options),
    db.execute<{ product_id: string; saving: number }>(sql`
      select product_id, (100 - min(price_minor) * 100 / max(price_minor))::integer as saving
      from commerce.offers where active and stock > 0
      group by product_id, currency
      having count(*) > 1 and min(price_minor) * 100 <= max(price_minor) * ${100 - DEAL_MIN_SAVING_PERCENT}
      order by saving desc, product_id limit 8`),
    readChainViews<{
      id: string;
      product_id: string;
      pledged_units: string;
      min_units: string;
      max_units: string;
      deadline: string;
    }>(
      db,
      sql`select id::text as id, product_id, pledged_units::text as pledged_units, min_units::text as min_units,
                 max_units::text as max_units, deadline::text as deadline
          from ${chainView(options.viewsSchema, "pool")}
          where deadline > ${Math.floor(now.getTime() / 1000)} and pledged_units < max_units
          order by deadline limit 8`,
    ),
  ]);

  const savings = new Map(dealRows.rows.map((r) => [r.product_id, r.saving]));
  const dealCards = await readProductCards(db, { ids: dealRows.rows.map((r) => r.product_id) }, options);

  const pools = poolRows ?? [];
  const poolProducts =
    pools.length === 0
      ? []
      : (
          await db.execute<{ id: string; chain_id_hash: string }>(
            sql`select id, chain_id_hash from commerce.products where lower(chain_id_hash) in (${sql.join(
              pools.map((p) => sql`${p.product_id.toLowerCase()}`),
              sql`, `,
            )})`,
          )
        ).rows;
  const productIdByHash = new Map(poolProducts.map((p) => [p.chain_id_hash.toLowerCase(), p.id]));
  const poolCards = await readProductCards(db, { ids: [...new Set(poolProducts.map((p) => p.id))] }, options);
  const cardById = new Map(poolCards.map((c) => [c.id, c]));
  const groupBuys: OpenGroupBuy[] = [];
  for (const pool of pools) {
    const card = cardById.get(productIdByHash.get(pool.product_id.toLowerCase()) ?? "");
    if (!card) continue; // a pool for a product this catalog does not list
    groupBuys.push({
      poolId: pool.id,
      product: card,
      pledgedUnits: Number(pool.pledged_units),
      minUnits: Number(pool.min_units),
      maxUnits: Number(pool.max_units),
      deadline: new Date(Number(pool.deadline) * 1000),
    });
  }

  return {
    categories: categories.rows,
    popular,
    newest,
    deals: dealCards.map((card) => ({ ...card, savingPercent: savings.get(card.id) ?? 0 })),
    groupBuys,
  };
}
