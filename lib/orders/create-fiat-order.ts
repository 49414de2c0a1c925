// Fiat order (card, BNPL, UPI… through a payment provider): in one transaction, price the cart on
// the server, take the stock and record the order as pending payment. The payment module moves
// it to "paid" when the provider's signed webhook says so.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { paymentMethods } from "../db/schema.ts";
import { currencyCodeSchema } from "../pricing/currencies.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { newChainOrderId } from "./chain-order-id.ts";
import { deliveryOptionSchema } from "./delivery-options.ts";
import { placeOrder } from "./place-order.ts";

export const fiatOrderSchema = z
  .object({
    cartId: z.uuid(),
    userId: z.uuid().optional(),
    currency: currencyCodeSchema,
    pointsToRedeem: z.number().int().min(0).max(100_000_000).default(0),
    deliveryOption: deliveryOptionSchema.default("standard"),
    paymentMethod: z.enum(paymentMethods.filter((m) => m !== "wallet") as [string, ...string[]]).default("card"),
  })
  .strict();
export type FiatOrderInput = z.input<typeof fiatOrderSchema>;

export async function createFiatOrder(db: Db, input: FiatOrderInput) {
  const args = parseInput(fiatOrderSchema, input, "fiat order");
  return db.transaction(async (tx) => {
    const { order, priced } = await placeOrder(tx, {
      kind: "fiat",
      cartId: args.cartId,
      userId: args.userId,
      currency: args.currency,
      pointsToRedeem: args.pointsToRedeem,
      deliveryOption: args.deliveryOption,
      paymentMethod: args.paymentMethod,
      chainOrderId: newChainOrderId(),
      status: "pending_payment",
      note: `awaiting ${args.paymentMethod} payment`,
    });
    return { order, pricing: priced, paymentMethod: args.paymentMethod };
  });
}
