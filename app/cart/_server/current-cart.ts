// The shopper's own cart for pages and actions: found from the session or the guest cookie;
// created (and the guest cookie set) only by actions, since pages cannot set cookies.
import { cookies } from "next/headers";
import { type CartAccess, createCart } from "../../../lib/cart/index.ts";
import { CART_COOKIE, privateCookieOptions } from "../../../lib/web-cart/cart-cookie.ts";
import { findOwnCart, type OwnCart } from "../../../lib/web-cart/find-cart.ts";
import { database } from "../../_server/db.ts";
import type { Viewer } from "../../_server/session.ts";
import { webSettings } from "../../_server/settings.ts";

export type CurrentCart = OwnCart & { access: CartAccess & { via: "owner" } };

const withAccess = (cart: OwnCart, viewer: Viewer | null): CurrentCart => ({
  ...cart,
  access: { via: "owner", cartId: cart.cartId, userId: viewer?.userId },
});

export async function currentCart(viewer: Viewer | null): Promise<CurrentCart | null> {
  const cookieCartId = (await cookies()).get(CART_COOKIE)?.value;
  const cart = await findOwnCart(database(), viewer?.userId, cookieCartId);
  return cart ? withAccess(cart, viewer) : null;
}

/** The shopper's cart, created if missing. Only from a server action or route handler. */
export async function ensureCurrentCart(viewer: Viewer | null, currency: string): Promise<CurrentCart> {
  const existing = await currentCart(viewer);
  if (existing) return existing;
  const created = await createCart(database(), { ownerUserId: viewer?.userId, currency });
  if (!viewer) {
    (await cookies()).set(CART_COOKIE, created.id, privateCookieOptions(webSettings().NEOCART_ORIGIN));
  }
  return withAccess(
    {
      cartId: created.id,
      shareToken: created.shareToken,
      collaborative: created.collaborative,
      ownerUserId: created.ownerUserId,
    },
    viewer,
  );
}
