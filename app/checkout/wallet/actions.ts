"use server";
// Starts a wallet checkout: re-checks the session, turns the input (a shared cart, or one offer
// bought now) into a cart the buyer may spend, and asks lib/orders for a server-priced, signed
// escrow quote. The browser then pays that quote on chain; nothing it sent decides the amount.
import { z } from "zod";
import { addCartItem, createCart, resolveCart } from "../../../lib/cart/index.ts";
import { deliveryOptions } from "../../../lib/db/schema.ts";
import { createAttributedEscrowCheckout } from "../../../lib/influencers/checkout-affiliate.ts";
import { deliveryAreaIdSchema } from "../../../lib/orders/price-delivery.ts";
import { CommerceError } from "../../../lib/pricing/errors.ts";
import { deliveryErrorMessage } from "../../../lib/web-cart/error-message.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";
import { referralVisitorId } from "../../creators/_server/referral-cookie.ts";

const startSchema = z.object({
  source: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("cart"), shareToken: z.string().min(1).max(100) }),
    z.object({ kind: z.literal("offer"), offerId: z.uuid(), quantity: z.number().int().min(1).max(99) }),
  ]),
  token: z.enum(["ETH", "stablecoin"]),
  deliveryOption: z.enum(deliveryOptions),
  deliveryArea: deliveryAreaIdSchema,
  pointsToRedeem: z.number().int().min(0).max(100_000_000),
});
export type StartWalletCheckoutInput = z.input<typeof startSchema>;

/** The signed quote with every bigint as a decimal string (what the client turns back into bigints). */
export type WalletQuote = {
  orderId: string;
  chainId: number;
  escrowAddress: `0x${string}`;
  signature: `0x${string}`;
  value: string;
  currency: string;
  totalMinor: string;
  discountMinor: string;
  pointsRedeemed: number;
  quote: {
    orderId: `0x${string}`;
    order: {
      buyer: `0x${string}`;
      seller: `0x${string}`;
      token: `0x${string}`;
      amount: string;
      fee: string;
      affiliate: `0x${string}`;
      affiliateBps: number;
      cashback: string;
      productId: `0x${string}`;
      deliveryWindow: number;
    };
    pointsToRedeem: string;
    expiry: string;
  };
};

export type StartWalletCheckoutResult = { ok: true; checkout: WalletQuote } | { ok: false; error: string };

export async function startWalletCheckout(input: StartWalletCheckoutInput): Promise<StartWalletCheckoutResult> {
  const { currency, t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) return { ok: false, error: t("walletCheckout.signInFirst") };
  const parsed = startSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.path[0] === "deliveryArea") return { ok: false, error: t("delivery.invalid.area") };
    return {
      ok: false,
      error: `The checkout request is invalid (${issue?.path.join(".") ?? "input"}): ${issue?.message ?? "unknown problem"}.`,
    };
  }
  const args = parsed.data;
  const db = database();
  try {
    let cartId: string;
    if (args.source.kind === "cart") {
      // Paying empties the cart, so it takes the editing rule: the owner, or anyone on a collaborative cart.
      const cart = await resolveCart(
        db,
        { via: "link", shareToken: args.source.shareToken, userId: viewer.userId },
        true,
      );
      cartId = cart.id;
    } else {
      // "Buy now" gets its own one-line cart so the shopper's main cart is left alone.
      const cart = await createCart(db, { ownerUserId: viewer.userId, currency });
      await addCartItem(
        db,
        { via: "owner", cartId: cart.id, userId: viewer.userId },
        { offerId: args.source.offerId, quantity: args.source.quantity },
      );
      cartId = cart.id;
    }
    // The creator the shopper came from (if any) is decided on the server from its referral
    // records, and signed into the quote as the Escrow's affiliate.
    const checkout = await createAttributedEscrowCheckout(
      db,
      {
        cartId,
        buyerAddress: viewer.address,
        userId: viewer.userId,
        currency,
        pointsToRedeem: args.pointsToRedeem,
        deliveryOption: args.deliveryOption,
        deliveryArea: args.deliveryArea,
        token: args.token,
      },
      { visitorId: await referralVisitorId() },
    );
    const { quote } = checkout;
    return {
      ok: true,
      checkout: {
        orderId: checkout.order.id,
        chainId: checkout.chainId,
        escrowAddress: checkout.escrowAddress,
        signature: checkout.signature,
        value: checkout.value.toString(),
        currency: checkout.pricing.currency,
        totalMinor: checkout.pricing.totalMinor.toString(),
        discountMinor: checkout.pricing.discountMinor.toString(),
        pointsRedeemed: checkout.pricing.pointsRedeemed,
        quote: {
          orderId: quote.orderId,
          order: {
            ...quote.order,
            amount: quote.order.amount.toString(),
            fee: quote.order.fee.toString(),
            cashback: quote.order.cashback.toString(),
          },
          pointsToRedeem: quote.pointsToRedeem.toString(),
          expiry: quote.expiry.toString(),
        },
      },
    };
  } catch (error) {
    if (error instanceof CommerceError) return { ok: false, error: deliveryErrorMessage(error, t) ?? error.message };
    console.error("wallet checkout failed", error);
    return { ok: false, error: "The quote could not be prepared; try again in a moment." };
  }
}
