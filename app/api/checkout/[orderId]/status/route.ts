// GET /api/checkout/<order id>/status: the order's status for its signed-in owner or for the guest
// holding its token (the guest-order cookie set at checkout, or ?token=).
import { getSession, readSessionToken } from "../../../../../lib/auth/index.ts";
import { GUEST_ORDER_COOKIE } from "../../../../../lib/web-cart/cart-cookie.ts";
import { tokenFromGuestCookie } from "../../../../../lib/web-cart/guest-order-token.ts";
import { cookieValue, jsonError, jsonOk } from "../../../../../lib/web-cart/json-response.ts";
import { readOrderStatus } from "../../../../../lib/web-cart/order-access.ts";
import { database } from "../../../../_server/db.ts";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ orderId: string }> }): Promise<Response> {
  try {
    const { orderId } = await context.params;
    const db = database();
    const cookie = request.headers.get("cookie");
    const session = await getSession(db, readSessionToken(cookie));
    const guestToken =
      new URL(request.url).searchParams.get("token") ??
      tokenFromGuestCookie(cookieValue(cookie, GUEST_ORDER_COOKIE), orderId);
    return jsonOk(await readOrderStatus(db, orderId, { userId: session?.userId, guestToken }));
  } catch (error) {
    return jsonError(error);
  }
}
