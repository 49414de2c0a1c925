// Which cart is the caller's: a signed-in user's latest owned cart, else the guest cart whose id
// the browser holds (usable by a signed-in user too, so signing in mid-visit keeps the cart).
import { and, desc, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { carts } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";

export type OwnCart = { cartId: string; shareToken: string; collaborative: boolean; ownerUserId: string | null };

const columns = {
  cartId: carts.id,
  shareToken: carts.shareToken,
  collaborative: carts.collaborative,
  ownerUserId: carts.ownerUserId,
};

export async function findOwnCart(
  db: Executor,
  userId: string | undefined,
  cookieCartId: string | undefined,
): Promise<OwnCart | undefined> {
  if (userId) {
    const [owned] = await db
      .select(columns)
      .from(carts)
      .where(eq(carts.ownerUserId, userId))
      .orderBy(desc(carts.updatedAt))
      .limit(1);
    if (owned) return owned;
  }
  if (!cookieCartId || !z.uuid().safeParse(cookieCartId).success) return undefined;
  const owner = userId ? or(isNull(carts.ownerUserId), eq(carts.ownerUserId, userId)) : isNull(carts.ownerUserId);
  const [guest] = await db
    .select(columns)
    .from(carts)
    .where(and(eq(carts.id, cookieCartId), owner));
  return guest;
}
