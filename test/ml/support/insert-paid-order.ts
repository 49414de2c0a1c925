// A paid one-item fiat order of `offerId` at `at`, priced as the offer is: the purchase history the
// demand, fraud and recommendation tests build on.
import { randomUUID } from "node:crypto";
import { keccakText } from "../../../lib/catalog/deterministic-ids.ts";
import type { Db } from "../../../lib/db/client.ts";

export async function insertPaidOrder(
  db: Db,
  userId: string | null,
  offerId: string,
  at: Date,
  currency = "USD",
): Promise<string> {
  const { rows } = await db.$client.query<{ product_id: string; seller_id: string; price_minor: string }>(
    "select product_id, seller_id, price_minor from commerce.offers where id = $1",
    [offerId],
  );
  const offer = rows[0];
  if (!offer) throw new Error(`no offer ${offerId}`);
  const id = randomUUID();
  await db.$client.query(
    `insert into commerce.orders (id, kind, user_id, chain_order_id, currency, subtotal_minor, total_minor, status, created_at)
     values ($1, 'fiat', $2, $3, $4, $5, $5, 'paid', $6)`,
    [id, userId, keccakText(`order:${id}`), currency, offer.price_minor, at.toISOString()],
  );
  await db.$client.query(
    `insert into commerce.order_items (order_id, offer_id, product_id, seller_id, quantity, unit_price_minor)
     values ($1, $2, $3, $4, 1, $5)`,
    [id, offerId, offer.product_id, offer.seller_id, offer.price_minor],
  );
  return id;
}
