// Turns a cart's collaborative flag on or off. lib/cart has no writer for the flag; only the
// cart's owner (cart-access rules, owner access) may change it.
import { eq, sql } from "drizzle-orm";
import { type CartAccess, resolveCart } from "../cart/index.ts";
import { carts } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";

export async function setCartCollaborative(
  db: Executor,
  access: CartAccess & { via: "owner" },
  collaborative: boolean,
) {
  const cart = await resolveCart(db, access, true);
  await db.update(carts).set({ collaborative, updatedAt: sql`now()` }).where(eq(carts.id, cart.id));
  return { cartId: cart.id, collaborative };
}
