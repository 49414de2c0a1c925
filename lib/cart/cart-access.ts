// Who may touch a cart. A caller reaches a cart either as its owner (by id: the signed-in user's
// cart, or a guest cart whose id lives in the guest's own cookie) or through its share link. Anyone
// with the link may read; editing through the link is allowed only on collaborative carts.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { carts } from "../db/schema.ts";
import { CartNotFoundError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { CartAccessDeniedError, CartNotCollaborativeError, SharedCartNotFoundError } from "./errors.ts";

export const shareTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a cart share token");

export const cartAccessSchema = z.discriminatedUnion("via", [
  z.object({ via: z.literal("owner"), cartId: z.uuid(), userId: z.uuid().optional() }).strict(),
  z.object({ via: z.literal("link"), shareToken: shareTokenSchema, userId: z.uuid().optional() }).strict(),
]);
export type CartAccess = z.input<typeof cartAccessSchema>;

export type CartRow = typeof carts.$inferSelect;

/** The cart `access` reaches, or a typed error. `forEdit` applies the editing rules. */
export async function resolveCart(db: Executor, access: CartAccess, forEdit: boolean): Promise<CartRow> {
  const a = parseInput(cartAccessSchema, access, "cart access");
  if (a.via === "owner") {
    const [cart] = await db.select().from(carts).where(eq(carts.id, a.cartId));
    if (!cart) throw new CartNotFoundError(a.cartId);
    // An owned cart is only the owner's by id; a guest cart (no owner) is its id holder's.
    if (cart.ownerUserId !== null && cart.ownerUserId !== a.userId) throw new CartAccessDeniedError();
    return cart;
  }
  const [cart] = await db.select().from(carts).where(eq(carts.shareToken, a.shareToken));
  if (!cart) throw new SharedCartNotFoundError();
  if (forEdit && !cart.collaborative && cart.ownerUserId !== a.userId) throw new CartNotCollaborativeError();
  return cart;
}
