// Fiat order (card, BNPL, UPI… through a payment provider): in one transaction, price the cart on
// the server, take the stock and record the order as pending payment, with the buyer's contact
// (encrypted) in the order's own row and, when the buyer redeems loyalty points, their signed
// consent (./points-consent.ts) as a pending redemption the caller burns before the payment is
// created (./points-redemption.ts). A failure anywhere leaves nothing behind. The payment module
// moves the order to "paid" when the provider's signed webhook says so.
import { and, eq } from "drizzle-orm";
import type { Address } from "viem";
import { z } from "zod";
import { type Keyring, loadKeyring } from "../crypto/index.ts";
import type { Db } from "../db/client.ts";
import { orders, paymentMethods, wallets } from "../db/schema.ts";
import { currencyCodeSchema } from "../pricing/currencies.ts";
import { InvalidInputError } from "../pricing/errors.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { newChainOrderId } from "./chain-order-id.ts";
import { deliveryOptionSchema } from "./delivery-options.ts";
import { DeliveryAreaCountryMismatchError } from "./errors.ts";
import { encryptOrderContact, orderContactSchema } from "./order-contact.ts";
import { placeOrder } from "./place-order.ts";
import { PointsConsentError, pointsConsentSchema, verifyPointsConsent } from "./points-consent.ts";
import { deliveryAreaIdSchema, findDeliveryArea } from "./price-delivery.ts";
import { pointsRedemptions } from "./tables.ts";

export const fiatOrderSchema = z
  .object({
    cartId: z.uuid(),
    userId: z.uuid().optional(),
    currency: currencyCodeSchema,
    pointsToRedeem: z.number().int().min(0).max(100_000_000).default(0),
    deliveryOption: deliveryOptionSchema.default("standard"),
    /** The delivery area the option is priced to (its country must be the address's); see placeOrder. */
    deliveryArea: deliveryAreaIdSchema.optional(),
    paymentMethod: z.enum(paymentMethods.filter((m) => m !== "wallet") as [string, ...string[]]).default("card"),
    contact: orderContactSchema,
    /** Required when pointsToRedeem > 0: the holder's signed consent to burn exactly those points. */
    pointsConsent: pointsConsentSchema.optional(),
  })
  .strict();
export type FiatOrderInput = z.input<typeof fiatOrderSchema>;

export type FiatOrderOptions = {
  /** Default: loadKeyring() (NEOCART_DATA_KEYS). */
  keyring?: Keyring;
  /** Where redeemed points live (the consent's EIP-712 domain); required to redeem points. */
  points?: { chainId: number; points: Address };
  /** The clock consents expire by (tests); default Date.now(). */
  now?: () => number;
};

export async function createFiatOrder(db: Db, input: FiatOrderInput, options: FiatOrderOptions = {}) {
  const args = parseInput(fiatOrderSchema, input, "fiat order");
  // Encrypted before the transaction: a keyring problem fails the checkout before anything is locked.
  const contact = encryptOrderContact(options.keyring ?? loadKeyring(), args.contact);
  if (args.deliveryArea !== undefined) {
    const area = findDeliveryArea(args.deliveryArea);
    const country = args.contact.shippingAddress.country;
    // The area prices the route; an address elsewhere would ship a route nobody priced.
    if (area.country !== country) throw new DeliveryAreaCountryMismatchError(area.name, area.country, country);
  }
  const consent = args.pointsConsent;
  if (args.pointsToRedeem > 0) {
    if (!args.userId) throw new InvalidInputError("Sign in with your wallet to redeem points.");
    if (!consent) throw new PointsConsentError("Redeeming points needs your signed consent; sign it in your wallet.");
    if (!options.points)
      throw new InvalidInputError("Points cannot be redeemed here: no points contract is configured.");
    await verifyPointsConsent(consent, {
      ...options.points,
      wholePoints: args.pointsToRedeem,
      nowSeconds: Math.floor((options.now?.() ?? Date.now()) / 1000),
    });
  } else if (consent) {
    throw new InvalidInputError("A points consent was sent for an order that redeems no points.");
  }
  return db.transaction(async (tx) => {
    if (consent) {
      // Signed for an order id already used: a replay of the consent (or a double submit).
      const [used] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.chainOrderId, consent.orderId));
      if (used) throw new PointsConsentError("This points consent was already used for an order; sign a new one.");
    }
    if (consent && args.userId) {
      const [linked] = await tx
        .select({ address: wallets.address })
        .from(wallets)
        .where(and(eq(wallets.address, consent.holder.toLowerCase()), eq(wallets.userId, args.userId)));
      if (!linked) {
        throw new PointsConsentError("The points belong to a wallet not linked to your account; link it first.");
      }
    }
    const { order, priced, delivery } = await placeOrder(tx, {
      kind: "fiat",
      cartId: args.cartId,
      userId: args.userId,
      currency: args.currency,
      pointsToRedeem: args.pointsToRedeem,
      deliveryOption: args.deliveryOption,
      deliveryAreaId: args.deliveryArea,
      paymentMethod: args.paymentMethod,
      // The consent names the order: its id is the one the holder signed (unique, so used once).
      chainOrderId: consent?.orderId ?? newChainOrderId(),
      status: "pending_payment",
      note: `awaiting ${args.paymentMethod} payment`,
      contact,
    });
    if (consent && options.points) {
      await tx.insert(pointsRedemptions).values({
        orderId: order.id,
        chainId: options.points.chainId,
        pointsAddress: options.points.points.toLowerCase(),
        holder: consent.holder.toLowerCase(),
        amount: consent.amount.toString(),
        consentDeadline: new Date(consent.deadline * 1000),
        consentSignature: consent.signature.toLowerCase(),
      });
    }
    return { order, pricing: priced, delivery, paymentMethod: args.paymentMethod };
  });
}
