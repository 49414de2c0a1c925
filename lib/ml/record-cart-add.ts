// Records a shopper's add-to-cart as a "cart" interaction for the recommender. A double click, a
// retried form post or two tabs adding the same offer within a few seconds is one intent, not
// several: within CART_EVENT_WINDOW_MS of the shopper's last cart event for the same product the
// add is not recorded again, so a nervous finger cannot inflate the signal the models learn from.
import { z } from "zod";
import type { Db } from "../db/client.ts";

export const CART_EVENT_WINDOW_MS = 10_000;

const cartAddSchema = z.strictObject({
  userId: z.uuid("userId must be a user id (UUID)"),
  offerId: z.uuid("offerId must be an offer id (UUID)"),
  quantity: z.number().int().min(1).max(999).default(1),
});
export type CartAdd = z.input<typeof cartAddSchema>;

export type CartAddResult = { recorded: boolean; productId: string | null };

export async function recordCartAdd(
  db: Db,
  input: CartAdd,
  options: { windowMs?: number } = {},
): Promise<CartAddResult> {
  const event = cartAddSchema.parse(input);
  const windowMs = options.windowMs ?? CART_EVENT_WINDOW_MS;
  const client = await db.$client.connect();
  try {
    await client.query("begin");
    // Serialises concurrent adds of the same shopper and offer (two requests of one double click
    // arrive together): the second waits, then sees the first one's row and records nothing.
    await client.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `commerce.interactions:cart:${event.userId}:${event.offerId}`,
    ]);
    const { rows } = await client.query<{ product_id: string; inserted: boolean }>(
      `with offer as (
         select o.id, o.product_id, commerce.to_usd_minor(o.price_minor, o.currency) as usd
           from commerce.offers o where o.id = $2),
       inserted as (
         insert into commerce.interactions (user_id, product_id, offer_id, kind, quantity, unit_price_usd_minor, occurred_at)
         select $1, offer.product_id, offer.id, 'cart', $3, offer.usd, clock_timestamp() from offer
          where not exists (
            select 1 from commerce.interactions i
             where i.user_id = $1 and i.product_id = offer.product_id and i.kind = 'cart'
               and i.synthetic_seed is null
               and i.occurred_at > clock_timestamp() - make_interval(secs => $4::float8 / 1000))
         returning product_id)
       select offer.product_id, exists (select 1 from inserted) as inserted from offer`,
      [event.userId, event.offerId, event.quantity, windowMs],
    );
    await client.query("commit");
    const row = rows[0];
    return { recorded: row?.inserted ?? false, productId: row?.product_id ?? null };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** For server actions: records the add without ever failing it (a lost event only costs a signal). */
export async function recordCartAddQuietly(db: Db, input: CartAdd): Promise<void> {
  try {
    await recordCartAdd(db, input);
  } catch (error) {
    console.error("recommendations: recording an add-to-cart failed", error);
  }
}
