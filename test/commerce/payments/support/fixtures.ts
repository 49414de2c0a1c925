// The minimal rows a payable order needs: a user, a seller, a category, a product, an offer, the
// order (awaiting payment) and its item. Inserted directly; each call makes its own.
import { randomBytes } from "node:crypto";
import type { Db } from "../../../../lib/db/client.ts";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

export type TestOrder = { orderId: string; totalMinor: bigint; currency: string };

export async function insertOrder(
  db: Db,
  options: { totalMinor?: bigint; currency?: string } = {},
): Promise<TestOrder> {
  const totalMinor = options.totalMinor ?? 12_345n;
  const currency = options.currency ?? "USD";
  const q = async (sql: string, params: unknown[] = []) => (await db.$client.query(sql, params)).rows[0];
  const tag = hex(6);
  const user = await q("insert into commerce.users (display_name) values ($1) returning id", [`shopper ${tag}`]);
  const seller = await q("insert into commerce.sellers (slug, name) values ($1, $2) returning id", [
    `seller-${tag}`,
    `Seller ${tag}`,
  ]);
  await q("insert into commerce.categories (slug, name) values ($1, $2)", [`cat-${tag}`, "Gadgets"]);
  const product = await q(
    `insert into commerce.products (sku, slug, chain_id_hash, category_slug, brand, title, description)
     values ($1, $1, $2, $3, 'Acme', 'Widget', 'A widget') returning id`,
    [`sku-${tag}`, `0x${hex(32)}`, `cat-${tag}`],
  );
  const offer = await q(
    "insert into commerce.offers (product_id, seller_id, price_minor, currency, stock) values ($1, $2, $3, $4, 10) returning id",
    [product.id, seller.id, totalMinor, currency],
  );
  const order = await q(
    `insert into commerce.orders (kind, user_id, chain_order_id, currency, subtotal_minor, total_minor, status)
     values ('fiat', $1, $2, $3, $4, $4, 'pending_payment') returning id`,
    [user.id, `0x${hex(32)}`, currency, totalMinor],
  );
  await q(
    "insert into commerce.order_items (order_id, offer_id, product_id, seller_id, quantity, unit_price_minor) values ($1, $2, $3, $4, 1, $5)",
    [order.id, offer.id, product.id, seller.id, totalMinor],
  );
  await q("insert into commerce.order_status_history (order_id, status) values ($1, 'pending_payment')", [order.id]);
  return { orderId: order.id, totalMinor, currency };
}

/** What a test looks at after a webhook: the order, its payments, its history and the event log. */
export async function readOrderState(db: Db, orderId: string) {
  const order = (await db.$client.query("select status from commerce.orders where id = $1", [orderId])).rows[0];
  const payments = (
    await db.$client.query(
      "select provider, provider_payment_id, status, amount_minor::text, currency, refunded_minor::text, flagged_reason from commerce.payments where order_id = $1",
      [orderId],
    )
  ).rows;
  const history = (
    await db.$client.query("select status from commerce.order_status_history where order_id = $1 order by id", [
      orderId,
    ])
  ).rows.map((r) => r.status as string);
  return { status: order?.status as string, payments, history };
}

export async function countWebhookEvents(db: Db, provider: string, eventId?: string): Promise<number> {
  const { rows } = await db.$client.query(
    "select count(*)::int as n from commerce.webhook_events where provider = $1 and ($2::text is null or event_id = $2)",
    [provider, eventId ?? null],
  );
  return rows[0].n;
}
