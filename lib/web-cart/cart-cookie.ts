// The guest's cart lives in an http-only cookie holding the cart's id (lib/cart: a guest cart is
// its id holder's). The id, not the share token, so that a shared link never grants ownership.
export const CART_COOKIE = "neocart_cart";
/** The share token of a collaborative cart the shopper is adding items to (instead of their own). */
export const COLLAB_TARGET_COOKIE = "neocart_cart_target";
/** The last fiat order a guest placed, as "<order id>.<token>": lets the guest watch its status. */
export const GUEST_ORDER_COOKIE = "neocart_guest_order";

const SIXTY_DAYS = 60 * 86_400;

export function privateCookieOptions(origin: string, maxAge = SIXTY_DAYS) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: origin.startsWith("https:"),
    path: "/",
    maxAge,
  };
}
