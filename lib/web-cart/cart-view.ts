// What the cart pages show: the cart's lines with product, seller and server-side prices in the
// shopper's currency. A cart that cannot be priced (an offer withdrawn, stock gone) still shows
// its lines, with the reason, so the shopper can fix it.
import { eq, inArray } from "drizzle-orm";
import { type CartAccess, readCart } from "../cart/index.ts";
import { offers, products, sellers } from "../db/schema.ts";
import { CommerceError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { type PricedCart, priceCart } from "../pricing/price-cart.ts";

export type CartLineView = {
  offerId: string;
  title: string;
  productSlug: string;
  sellerName: string;
  quantity: number;
  unitPriceMinor: bigint | undefined;
  lineTotalMinor: bigint | undefined;
  paymentMethods: string[];
};

export type CartView = {
  id: string;
  shareToken: string;
  collaborative: boolean;
  ownerUserId: string | null;
  currency: string;
  lines: CartLineView[];
  priced: PricedCart | undefined;
  /** Why the cart could not be priced: the error's code and message. */
  problem: { code: string; message: string } | undefined;
};

export async function loadCartView(db: Executor, access: CartAccess, currency: string): Promise<CartView> {
  const cart = await readCart(db, access);
  const offerIds = cart.items.map((i) => i.offerId);
  const details =
    offerIds.length === 0
      ? []
      : await db
          .select({
            offerId: offers.id,
            slug: products.slug,
            sellerName: sellers.name,
            paymentMethods: offers.paymentMethods,
          })
          .from(offers)
          .innerJoin(products, eq(products.id, offers.productId))
          .innerJoin(sellers, eq(sellers.id, offers.sellerId))
          .where(inArray(offers.id, offerIds));
  const detailOf = new Map(details.map((d) => [d.offerId, d]));

  let priced: PricedCart | undefined;
  let problem: CartView["problem"];
  if (cart.items.length > 0) {
    try {
      priced = await priceCart(db, cart.id, { currency });
    } catch (error) {
      if (!(error instanceof CommerceError)) throw error;
      problem = { code: error.code, message: error.message };
    }
  }
  const priceOf = new Map((priced?.lines ?? []).map((l) => [l.offerId, l]));
  return {
    id: cart.id,
    shareToken: cart.shareToken,
    collaborative: cart.collaborative,
    ownerUserId: cart.ownerUserId,
    currency,
    priced,
    problem,
    lines: cart.items.map((item) => ({
      offerId: item.offerId,
      title: item.title,
      productSlug: detailOf.get(item.offerId)?.slug ?? "",
      sellerName: detailOf.get(item.offerId)?.sellerName ?? "",
      quantity: item.quantity,
      unitPriceMinor: priceOf.get(item.offerId)?.unitPriceMinor,
      lineTotalMinor: priceOf.get(item.offerId)?.lineTotalMinor,
      paymentMethods: detailOf.get(item.offerId)?.paymentMethods ?? [],
    })),
  };
}
