// The part of every checkout that must be one transaction: price the cart from the database with
// its offers locked, check each line can ship and be paid the chosen way, take the stock with a
// guard, price the delivery option to the shopper's delivery area (./price-delivery.ts) and write
// the order (its total includes the delivery fee), its lines, its delivery and its first status.
// Any error rolls all of it back.
import { and, eq, gte, sql } from "drizzle-orm";
import { cartItems, offers, orderItems, orderStatusHistory, orders } from "../db/schema.ts";
import { OutOfStockError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { type PricedCart, priceCart } from "../pricing/price-cart.ts";
import type { DeliveryOption } from "./delivery-options.ts";
import { DeliveryOptionUnavailableError, PaymentMethodNotAcceptedError } from "./errors.ts";
import { type DeliveryPrice, priceDelivery, recordOrderDelivery } from "./price-delivery.ts";

export type PlaceOrderInput = {
  kind: "fiat" | "escrow";
  cartId: string;
  userId?: string | undefined;
  currency: string;
  pointsToRedeem: number;
  deliveryOption: DeliveryOption;
  /**
   * The delivery area (lib/tracking/delivery-rules.json destinations) the option is priced to; its
   * fee is added to the total and recorded in commerce.order_deliveries. The storefront always
   * sends it; without it the order carries no delivery fee (back-office and test callers).
   */
  deliveryAreaId?: string | undefined;
  paymentMethod: string;
  chainOrderId: `0x${string}`;
  status: string;
  note: string;
  /** Encrypted contact columns (fiat orders), written by the order's own insert. */
  contact?: { guestEmailEnc: string | null; shippingAddressEnc: string };
  /** Extra checks on the priced cart (escrow: one seller, one product) before anything is written. */
  validate?: (priced: PricedCart) => void;
};

export type OrderRow = typeof orders.$inferSelect;

export async function placeOrder(
  tx: Executor,
  input: PlaceOrderInput,
): Promise<{ order: OrderRow; priced: PricedCart; delivery: DeliveryPrice | null }> {
  const cartPrice = await priceCart(
    tx,
    input.cartId,
    { currency: input.currency, pointsToRedeem: input.pointsToRedeem },
    { lockOffers: true },
  );
  for (const line of cartPrice.lines) {
    if (!line.deliveryOptions.includes(input.deliveryOption)) {
      throw new DeliveryOptionUnavailableError(input.deliveryOption, line.offerId);
    }
    if (!line.paymentMethods.includes(input.paymentMethod)) {
      throw new PaymentMethodNotAcceptedError(input.paymentMethod, line.offerId);
    }
  }
  input.validate?.(cartPrice);
  const delivery =
    input.deliveryAreaId === undefined
      ? null
      : await priceDelivery(tx, {
          items: cartPrice.lines.map((l) => ({ offerId: l.offerId, quantity: l.quantity })),
          option: input.deliveryOption,
          areaId: input.deliveryAreaId,
          currency: cartPrice.currency,
        });
  // From here on the total is what the shopper pays: the cart after points, plus delivery (the
  // points cap stays a share of the goods, so delivery can never be paid in points).
  const priced: PricedCart = delivery
    ? { ...cartPrice, totalMinor: cartPrice.totalMinor + delivery.feeMinor }
    : cartPrice;

  for (const line of priced.lines) {
    // The guard (stock >= quantity) makes the decrement safe even without the row lock above:
    // of two racing checkouts for the last unit, the second updates no row and fails.
    const taken = await tx
      .update(offers)
      .set({ stock: sql`${offers.stock} - ${line.quantity}` })
      .where(and(eq(offers.id, line.offerId), gte(offers.stock, line.quantity), eq(offers.active, true)))
      .returning({ stock: offers.stock });
    if (taken.length === 0) {
      const [now] = await tx.select({ stock: offers.stock }).from(offers).where(eq(offers.id, line.offerId));
      throw new OutOfStockError(line.offerId, now?.stock ?? 0, line.quantity);
    }
  }

  const [order] = await tx
    .insert(orders)
    .values({
      kind: input.kind,
      userId: input.userId ?? null,
      chainOrderId: input.chainOrderId,
      currency: priced.currency,
      subtotalMinor: priced.subtotalMinor,
      discountMinor: priced.discountMinor,
      totalMinor: priced.totalMinor,
      pointsRedeemed: String(priced.pointsRedeemed),
      status: input.status,
      deliveryOption: input.deliveryOption,
      guestEmailEnc: input.contact?.guestEmailEnc ?? null,
      shippingAddressEnc: input.contact?.shippingAddressEnc ?? null,
    })
    .returning();
  if (!order) throw new Error("insert into commerce.orders returned no row");
  if (delivery) await recordOrderDelivery(tx, order.id, delivery);
  await tx.insert(orderItems).values(
    priced.lines.map((line) => ({
      orderId: order.id,
      offerId: line.offerId,
      productId: line.productId,
      sellerId: line.sellerId,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
    })),
  );
  await tx.insert(orderStatusHistory).values({ orderId: order.id, status: input.status, note: input.note });
  // The cart has become the order; leaving its lines would invite a second order of the same items.
  await tx.delete(cartItems).where(eq(cartItems.cartId, priced.cartId));
  return { order, priced, delivery };
}
