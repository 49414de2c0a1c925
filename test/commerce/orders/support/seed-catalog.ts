// Seeds the catalog rows the commerce tests need (category, sellers, products, offers, FX rates,
// users with wallets) with plain SQL, so tests state their prices and stock explicitly.
import { keccak256, toHex } from "viem";
import type { Db } from "../../../../lib/db/client.ts";

export type SeededOffer = { offerId: string; productId: string; productChainId: string; sellerId: string };

let counter = 0;
const unique = (label: string) => `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export async function seedCategory(db: Db) {
  await db.$client.query(
    "insert into commerce.categories (slug, name) values ('test-goods', 'Test goods') on conflict do nothing",
  );
}

export async function seedSeller(db: Db, payoutAddress: string | null = null): Promise<string> {
  const slug = unique("seller");
  const { rows } = await db.$client.query<{ id: string }>(
    "insert into commerce.sellers (slug, name, payout_address) values ($1, $1, $2) returning id",
    [slug, payoutAddress?.toLowerCase() ?? null],
  );
  return rows[0]?.id as string;
}

export async function seedOffer(
  db: Db,
  o: {
    sellerId: string;
    priceMinor: bigint | number;
    currency?: string;
    stock?: number;
    productId?: string;
    deliveryOptions?: string[];
    paymentMethods?: string[];
    active?: boolean;
    sku?: string;
  },
): Promise<SeededOffer> {
  await seedCategory(db);
  let productId = o.productId;
  let productChainId: string;
  if (!productId) {
    const sku = o.sku ?? unique("sku");
    productChainId = keccak256(toHex(sku));
    const { rows } = await db.$client.query<{ id: string }>(
      `insert into commerce.products (sku, slug, chain_id_hash, category_slug, brand, title, description)
       values ($1, $1, $2, 'test-goods', 'Acme', $3, 'A thing for tests') returning id`,
      [sku, productChainId, `Product ${sku}`],
    );
    productId = rows[0]?.id as string;
  } else {
    const { rows } = await db.$client.query<{ chain_id_hash: string }>(
      "select chain_id_hash from commerce.products where id = $1",
      [productId],
    );
    productChainId = rows[0]?.chain_id_hash as string;
  }
  const { rows } = await db.$client.query<{ id: string }>(
    `insert into commerce.offers (product_id, seller_id, price_minor, currency, stock, delivery_options, payment_methods, active)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
    [
      productId,
      o.sellerId,
      String(o.priceMinor),
      o.currency ?? "USD",
      o.stock ?? 10,
      o.deliveryOptions ?? ["standard", "green"],
      o.paymentMethods ?? ["wallet", "card"],
      o.active ?? true,
    ],
  );
  return { offerId: rows[0]?.id as string, productId, productChainId, sellerId: o.sellerId };
}

/** Upserts FX rows: [base, quote, rate as a decimal string]. */
export async function seedFxRates(db: Db, rates: [string, string, string][]) {
  for (const [base, quote, rate] of rates) {
    await db.$client.query(
      `insert into commerce.fx_rates (base, quote, rate) values ($1, $2, $3)
       on conflict (base, quote) do update set rate = excluded.rate, updated_at = now()`,
      [base, quote, rate],
    );
  }
}

export async function seedUser(db: Db, walletAddress?: string): Promise<string> {
  const { rows } = await db.$client.query<{ id: string }>("insert into commerce.users default values returning id");
  const userId = rows[0]?.id as string;
  if (walletAddress) {
    await db.$client.query("insert into commerce.wallets (address, user_id) values ($1, $2)", [
      walletAddress.toLowerCase(),
      userId,
    ]);
  }
  return userId;
}

export async function stockOf(db: Db, offerId: string): Promise<number> {
  const { rows } = await db.$client.query<{ stock: number }>("select stock from commerce.offers where id = $1", [
    offerId,
  ]);
  return rows[0]?.stock ?? -1;
}
