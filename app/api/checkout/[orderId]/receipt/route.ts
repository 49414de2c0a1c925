// GET /api/checkout/<order id>/receipt?product=<0x product id>: the EIP-712 purchase receipt of a
// paid fiat order, for its signed-in buyer's linked wallet, to review the product on chain.
import { z } from "zod";
import { AuthError, getSession, readSessionToken } from "../../../../../lib/auth/index.ts";
import { issuePurchaseReceipt } from "../../../../../lib/orders/index.ts";
import { InvalidInputError } from "../../../../../lib/pricing/errors.ts";
import { jsonError, jsonOk } from "../../../../../lib/web-cart/json-response.ts";
import { database } from "../../../../_server/db.ts";

export const dynamic = "force-dynamic";

const productSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "product must be the product's 0x chain id (64 hex digits)")
  .optional();

export async function GET(request: Request, context: { params: Promise<{ orderId: string }> }): Promise<Response> {
  try {
    const { orderId } = await context.params;
    const db = database();
    const session = await getSession(db, readSessionToken(request.headers.get("cookie")));
    if (!session) throw new AuthError("no_session", "Sign in with the wallet linked to your account to get a receipt.");
    const product = productSchema.safeParse(new URL(request.url).searchParams.get("product") ?? undefined);
    if (!product.success) throw new InvalidInputError(product.error.issues.map((i) => i.message).join("; "));
    // The session's address is linked to the session's user; issuePurchaseReceipt accepts only a
    // wallet linked to the order's user, so another account's order is refused there.
    const receipt = await issuePurchaseReceipt(db, orderId, session.address, { productChainId: product.data });
    return jsonOk(receipt);
  } catch (error) {
    return jsonError(error);
  }
}
