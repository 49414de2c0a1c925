// Reads a cart with its lines (offer, product, quantity) for its owner or through its share link.
// Prices are not part of this read: show them with lib/pricing's priceCart.
import { asc, eq } from "drizzle-orm";
import { cartItems, offers, products } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { type CartAccess, resolveCart } from "./cart-access.ts";

export async function readCart(db: Executor, access: CartAccess) {
  const cart = await resolveCart(db, access, false);
  const items = await db
    .select({
      offerId: cartItems.offerId,
      quantity: cartItems.quantity,
      productId: offers.productId,
      title: products.title,
      addedBy: cartItems.addedBy,
    })
    .from(cartItems)
    .innerJoin(offers, eq(offers.id, cartItems.offerId))
    .innerJoin(products, eq(products.id, offers.productId))
    .where(eq(cartItems.cartId, cart.id))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.offerId));
  return {
    id: cart.id,
    shareToken: cart.shareToken,
    collaborative: cart.collaborative,
    currency: cart.currency,
    ownerUserId: cart.ownerUserId,
    items,
  };
}

/** The shareable-link read: anyone holding the token sees the cart. */
export function readSharedCart(db: Executor, shareToken: string) {
  return readCart(db, { via: "link", shareToken });
}
