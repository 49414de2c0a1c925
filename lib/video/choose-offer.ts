// Which offer "Add to cart" puts in the cart when a video or a live host shows a product (not an
// offer): the featuring seller's own offer when they have one in stock, else the cheapest offer in
// stock. Chosen on the server from the database, never from the browser.
import { sql } from "drizzle-orm";
import type { Executor } from "../pricing/executor.ts";
import { ProductNotOfferedError } from "./errors.ts";

export async function chooseOfferForProduct(
  db: Executor,
  input: { productId: string; preferSellerId?: string },
): Promise<{ offerId: string; sellerId: string }> {
  const { rows } = await db.execute<{ id: string; seller_id: string }>(sql`
    select o.id, o.seller_id
    from commerce.offers o
    where o.product_id = ${input.productId} and o.active and o.stock > 0
    order by (o.seller_id = ${input.preferSellerId ?? null}::uuid) desc nulls last,
      commerce.to_usd_minor(o.price_minor, o.currency) asc nulls last, o.id
    limit 1`);
  const row = rows[0];
  if (!row) throw new ProductNotOfferedError(input.productId);
  return { offerId: row.id, sellerId: row.seller_id };
}
