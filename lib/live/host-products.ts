// What a host can pin: the products the event's seller offers (active offers), as cards.
import { sql } from "drizzle-orm";
import { type ProductCard, readProductCards } from "../catalog/read-product-cards.ts";
import type { Executor } from "../pricing/executor.ts";

export const HOSTABLE_PRODUCTS_LIMIT = 60;

export async function listHostableProducts(
  db: Executor,
  sellerId: string,
  options: { currency: string; locale: string },
): Promise<ProductCard[]> {
  const { rows } = await db.execute<{ product_id: string }>(sql`
    select o.product_id from commerce.offers o join commerce.products p on p.id = o.product_id
    where o.seller_id = ${sellerId} and o.active
    group by o.product_id, p.title order by p.title, o.product_id limit ${HOSTABLE_PRODUCTS_LIMIT}`);
  return readProductCards(db, { ids: rows.map((r) => r.product_id) }, options);
}
