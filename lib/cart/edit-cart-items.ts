// Adds, changes and removes cart lines. Quantities are 1..999 per line; the offer must exist and
// be active. Stock is not reserved here (checkout checks it under a lock); prices are not stored
// (pricing always reads the offer).
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { cartItems, carts, offers } from "../db/schema.ts";
import { OfferUnavailableError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { type CartAccess, resolveCart } from "./cart-access.ts";
import { CartItemNotFoundError, QuantityLimitError, UnknownOfferError } from "./errors.ts";

const quantitySchema = z.number().int().min(1).max(999);
const lineSchema = z.object({ offerId: z.uuid(), quantity: quantitySchema }).strict();
const removeSchema = z.object({ offerId: z.uuid() }).strict();

async function assertOfferAvailable(db: Executor, offerId: string) {
  const [offer] = await db.select({ active: offers.active }).from(offers).where(eq(offers.id, offerId));
  if (!offer) throw new UnknownOfferError(offerId);
  if (!offer.active) throw new OfferUnavailableError(offerId);
}

async function touch(db: Executor, cartId: string) {
  await db.update(carts).set({ updatedAt: sql`now()` }).where(eq(carts.id, cartId));
}

/** Adds `quantity` units of an offer (to the existing line if there is one). */
export async function addCartItem(db: Executor, access: CartAccess, item: { offerId: string; quantity: number }) {
  const { offerId, quantity } = parseInput(lineSchema, item, "cart item");
  const cart = await resolveCart(db, access, true);
  await assertOfferAvailable(db, offerId);
  const [row] = await db
    .insert(cartItems)
    .values({ cartId: cart.id, offerId, quantity, addedBy: access.userId ?? null })
    .onConflictDoUpdate({
      target: [cartItems.cartId, cartItems.offerId],
      set: { quantity: sql`${cartItems.quantity} + excluded.quantity` },
      // The table's check would refuse > 999 with a database error; refuse it with ours instead.
      setWhere: sql`${cartItems.quantity} + excluded.quantity <= 999`,
    })
    .returning({ quantity: cartItems.quantity });
  if (!row) {
    const [current] = await db
      .select({ quantity: cartItems.quantity })
      .from(cartItems)
      .where(and(eq(cartItems.cartId, cart.id), eq(cartItems.offerId, offerId)));
    throw new QuantityLimitError((current?.quantity ?? 0) + quantity);
  }
  await touch(db, cart.id);
  return { cartId: cart.id, offerId, quantity: row.quantity };
}

/** Sets a line's quantity (1..999); use removeCartItem to drop it. */
export async function updateCartItem(db: Executor, access: CartAccess, item: { offerId: string; quantity: number }) {
  const { offerId, quantity } = parseInput(lineSchema, item, "cart item");
  const cart = await resolveCart(db, access, true);
  const [row] = await db
    .update(cartItems)
    .set({ quantity })
    .where(and(eq(cartItems.cartId, cart.id), eq(cartItems.offerId, offerId)))
    .returning({ quantity: cartItems.quantity });
  if (!row) throw new CartItemNotFoundError(offerId);
  await touch(db, cart.id);
  return { cartId: cart.id, offerId, quantity: row.quantity };
}

export async function removeCartItem(db: Executor, access: CartAccess, item: { offerId: string }) {
  const { offerId } = parseInput(removeSchema, item, "cart item");
  const cart = await resolveCart(db, access, true);
  const removed = await db
    .delete(cartItems)
    .where(and(eq(cartItems.cartId, cart.id), eq(cartItems.offerId, offerId)))
    .returning({ offerId: cartItems.offerId });
  if (removed.length === 0) throw new CartItemNotFoundError(offerId);
  await touch(db, cart.id);
  return { cartId: cart.id, offerId };
}
