// What the wallet checkout page shows before a quote exists: the lines to pay for (one offer
// bought now, or a shared cart's lines) with their seller and per-offer restrictions, and the
// buyer's points balance from the indexer. Prices here are for display; the quote reprices.
import { eq, inArray, sql } from "drizzle-orm";
import { readSharedCart } from "../cart/index.ts";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Db } from "../db/client.ts";
import { offers, products, sellers } from "../db/schema.ts";
import { POINT_TOKEN_UNITS } from "../pricing/pricing-rules.ts";

export type CheckoutLine = {
  offerId: string;
  productId: string;
  title: string;
  sellerName: string;
  quantity: number;
  priceMinor: bigint;
  currency: string;
  stock: number;
  active: boolean;
  acceptsWallet: boolean;
  payable: boolean;
  deliveryOptions: string[];
};

async function readLines(db: Db, wanted: { offerId: string; quantity: number }[]): Promise<CheckoutLine[]> {
  if (wanted.length === 0) return [];
  const rows = await db
    .select({
      offerId: offers.id,
      productId: offers.productId,
      title: products.title,
      sellerName: sellers.name,
      priceMinor: offers.priceMinor,
      currency: offers.currency,
      stock: offers.stock,
      active: offers.active,
      paymentMethods: offers.paymentMethods,
      deliveryOptions: offers.deliveryOptions,
      payoutAddress: sellers.payoutAddress,
    })
    .from(offers)
    .innerJoin(products, eq(products.id, offers.productId))
    .innerJoin(sellers, eq(sellers.id, offers.sellerId))
    .where(
      inArray(
        offers.id,
        wanted.map((w) => w.offerId),
      ),
    );
  const byId = new Map(rows.map((r) => [r.offerId, r]));
  return wanted.flatMap((w) => {
    const row = byId.get(w.offerId);
    if (!row) return [];
    return [
      {
        offerId: row.offerId,
        productId: row.productId,
        title: row.title,
        sellerName: row.sellerName,
        quantity: w.quantity,
        priceMinor: BigInt(row.priceMinor),
        currency: row.currency.trim(),
        stock: row.stock,
        active: row.active,
        acceptsWallet: row.paymentMethods.includes("wallet"),
        payable: row.payoutAddress !== null,
        deliveryOptions: row.deliveryOptions,
      },
    ];
  });
}

export function readOfferLine(db: Db, offerId: string, quantity: number): Promise<CheckoutLine[]> {
  return readLines(db, [{ offerId, quantity }]);
}

export async function readSharedCartLines(db: Db, shareToken: string): Promise<CheckoutLine[]> {
  const cart = await readSharedCart(db, shareToken);
  return readLines(
    db,
    cart.items.map((i) => ({ offerId: i.offerId, quantity: i.quantity })),
  );
}

/** Whole loyalty points of `address` as the indexer last saw them; undefined before it publishes. */
export async function readPointsBalance(db: Db, viewsSchema: string, address: string): Promise<bigint | undefined> {
  const rows = await readChainViews<{ balance: string }>(
    db,
    sql`select balance::text as balance from ${chainView(viewsSchema, "points_balance")} where id = ${address.toLowerCase()}`,
  );
  if (!rows) return undefined;
  return rows[0] ? BigInt(rows[0].balance) / POINT_TOKEN_UNITS : 0n;
}
