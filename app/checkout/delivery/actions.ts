"use server";
// Prices the delivery options of a checkout for the area the shopper picked: the fiat checkout's
// own cart, a shared cart or one offer bought now (the wallet checkout's sources). The answer is
// for display only; placing the order prices the chosen option again on the server.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { shareTokenSchema } from "../../../lib/cart/index.ts";
import { cartItems } from "../../../lib/db/schema.ts";
import { type DeliveryItem, deliveryAreaIdSchema, quoteDeliveryChoices } from "../../../lib/orders/price-delivery.ts";
import { assertFiatCurrency } from "../../../lib/pricing/currencies.ts";
import { readOfferLine, readSharedCartLines } from "../../../lib/web-auth/wallet-checkout-source.ts";
import { loadCartView } from "../../../lib/web-cart/cart-view.ts";
import { type DeliveryChoiceView, deliveryChoiceViews } from "../../../lib/web-cart/delivery-choice-view.ts";
import { shopperMessage } from "../../../lib/web-cart/error-message.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";
import { currentCart } from "../../cart/_server/current-cart.ts";

const requestSchema = z
  .object({
    source: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("own-cart") }).strict(),
      z.object({ kind: z.literal("cart"), shareToken: shareTokenSchema }).strict(),
      z.object({ kind: z.literal("offer"), offerId: z.uuid(), quantity: z.number().int().min(1).max(99) }).strict(),
    ]),
    area: deliveryAreaIdSchema,
  })
  .strict();
export type DeliveryQuoteRequest = z.input<typeof requestSchema>;
export type DeliveryQuoteResult = { ok: true; choices: DeliveryChoiceView[] } | { ok: false; error: string };

export async function quoteCheckoutDelivery(request: DeliveryQuoteRequest): Promise<DeliveryQuoteResult> {
  const { t, locale, currency } = await preferences();
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const reason = issue?.path[0] === "area" ? t("delivery.invalid.area") : (issue?.message ?? "invalid request");
    return { ok: false, error: t("delivery.error", { reason }) };
  }
  const { source, area } = parsed.data;
  const db = database();
  try {
    let items: DeliveryItem[];
    let cartTotalMinor: bigint | undefined;
    if (source.kind === "own-cart") {
      const cart = await currentCart(await currentViewer());
      if (!cart) return { ok: false, error: t("cart.error.empty") };
      items = await db
        .select({ offerId: cartItems.offerId, quantity: cartItems.quantity })
        .from(cartItems)
        .where(eq(cartItems.cartId, cart.cartId));
      cartTotalMinor = (await loadCartView(db, cart.access, currency)).priced?.totalMinor;
    } else {
      const lines =
        source.kind === "cart"
          ? await readSharedCartLines(db, source.shareToken)
          : await readOfferLine(db, source.offerId, source.quantity);
      items = lines.map((l) => ({ offerId: l.offerId, quantity: l.quantity }));
    }
    const choices = await quoteDeliveryChoices(db, { items, areaId: area, currency: assertFiatCurrency(currency) });
    return { ok: true, choices: deliveryChoiceViews(choices, { t, locale, cartTotalMinor }) };
  } catch (error) {
    const reason = shopperMessage(error, t);
    if (reason === undefined) throw error;
    return { ok: false, error: t("delivery.error", { reason }) };
  }
}
