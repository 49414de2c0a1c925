// Escrow checkout: in one transaction, price the cart on the server, take the stock, record the
// order and the quote, and sign the quote the buyer sends to Escrow.checkout. Nothing the client
// sends decides a price: it chooses the cart, its wallet, the currency, points and delivery.
//
// One escrow order pays one seller for one product (the contract's Order has one seller and one
// productId); a cart with several products or sellers is refused with a message saying so.
import { type Address, getAddress, type Hex, zeroAddress } from "viem";
import { z } from "zod";
import type { EscrowQuote } from "../contracts/typed-data.ts";
import type { Db } from "../db/client.ts";
import { currencyCodeSchema } from "../pricing/currencies.ts";
import { createConverter } from "../pricing/fx-rates.ts";
import { parseInput } from "../pricing/parse-input.ts";
import type { PricedCart } from "../pricing/price-cart.ts";
import { CASHBACK_POINTS_PER_USD, PLATFORM_FEE_BPS, POINT_TOKEN_UNITS } from "../pricing/pricing-rules.ts";
import { applyBps, divideRounded } from "../pricing/rounding.ts";
import { type ChainConfigInput, resolveChainConfig } from "../quotes/chain-config.ts";
import { signEscrowQuote } from "../quotes/sign-escrow-quote.ts";
import { loadQuoteSigners, type QuoteSigners } from "../quotes/signer-keys.ts";
import { type PaymentToken, tokenAddressOf, toTokenAmount } from "../quotes/token-amount.ts";
import { newChainOrderId } from "./chain-order-id.ts";
import { DELIVERY_WINDOW_SECONDS, deliveryOptionSchema } from "./delivery-options.ts";
import { EscrowCartNotSingleProductError, SelfPurchaseError, SellerNotPayableError } from "./errors.ts";
import { type OrderRow, placeOrder } from "./place-order.ts";
import { type DeliveryPrice, deliveryAreaIdSchema } from "./price-delivery.ts";
import { escrowQuotes } from "./tables.ts";

const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "a 0x wallet address")
  .transform((a) => getAddress(a));

export const escrowCheckoutSchema = z
  .object({
    cartId: z.uuid(),
    buyerAddress: addressSchema,
    userId: z.uuid().optional(),
    currency: currencyCodeSchema,
    pointsToRedeem: z.number().int().min(0).max(100_000_000).default(0),
    deliveryOption: deliveryOptionSchema.default("standard"),
    /** The delivery area the option is priced to; its fee is part of the quote's amount (see placeOrder). */
    deliveryArea: deliveryAreaIdSchema.optional(),
    token: z.enum(["ETH", "stablecoin"]).default("ETH"),
    affiliate: z
      .object({ address: addressSchema, bps: z.number().int().min(1).max(10_000) })
      .strict()
      .optional(),
    /** How long the buyer has to send the quote (seconds). */
    quoteTtlSeconds: z.number().int().min(30).max(3_600).default(900),
  })
  .strict();
export type EscrowCheckoutInput = z.input<typeof escrowCheckoutSchema>;

export type EscrowCheckoutOptions = {
  /** Default: loadQuoteSigners(process.env). */
  signers?: QuoteSigners;
  /** Default: the generated deployment of NEOCART_CHAIN_ID (31337). */
  chain?: ChainConfigInput;
  /** The clock quotes expire by (tests); default Date.now(). */
  now?: () => number;
};

export type EscrowCheckout = {
  order: OrderRow;
  /** totalMinor includes the delivery fee: it is what the quote's amount converts. */
  pricing: PricedCart;
  delivery: DeliveryPrice | null;
  chainId: number;
  escrowAddress: Address;
  quote: EscrowQuote;
  signature: Hex;
  signer: Address;
  /** msg.value to send with checkout: the amount for ETH, 0 for a token (approve it first). */
  value: bigint;
};

function assertSingleSellerProduct(priced: PricedCart) {
  const [first] = priced.lines;
  if (!first) return;
  for (const line of priced.lines) {
    if (line.sellerId !== first.sellerId || line.productChainId !== first.productChainId) {
      throw new EscrowCartNotSingleProductError();
    }
  }
}

export async function createEscrowCheckout(
  db: Db,
  input: EscrowCheckoutInput,
  options: EscrowCheckoutOptions = {},
): Promise<EscrowCheckout> {
  const args = parseInput(escrowCheckoutSchema, input, "escrow checkout");
  const signers = options.signers ?? loadQuoteSigners();
  const chain = resolveChainConfig(options.chain);
  const token = args.token as PaymentToken;
  const tokenAddress = tokenAddressOf(token, chain);
  const nowSeconds = BigInt(Math.floor((options.now?.() ?? Date.now()) / 1000));
  const expiry = nowSeconds + BigInt(args.quoteTtlSeconds);

  return db.transaction(async (tx) => {
    const { order, priced, delivery } = await placeOrder(tx, {
      kind: "escrow",
      cartId: args.cartId,
      userId: args.userId,
      currency: args.currency,
      pointsToRedeem: args.pointsToRedeem,
      deliveryOption: args.deliveryOption,
      deliveryAreaId: args.deliveryArea,
      paymentMethod: "wallet",
      chainOrderId: newChainOrderId(),
      status: "awaiting_payment",
      note: `escrow quote issued, expires ${new Date(Number(expiry) * 1000).toISOString()}`,
      validate: assertSingleSellerProduct,
    });
    const line = priced.lines[0];
    if (!line) throw new Error("a placed order has at least one line");
    if (!line.sellerPayoutAddress) throw new SellerNotPayableError(line.sellerId);
    const seller = getAddress(line.sellerPayoutAddress);
    if (seller === args.buyerAddress) throw new SelfPurchaseError();

    const convert = await createConverter(tx, [priced.currency, "ETH"]);
    const amount = toTokenAmount(convert, priced.totalMinor, priced.currency, token, chain);
    // Cashback: whole USD of the total (rounded down), in point-token units.
    const usdCents = convert(priced.totalMinor, priced.currency, "USD", { rounding: "down" });
    const cashback = divideRounded(usdCents, 100n, "down") * CASHBACK_POINTS_PER_USD * POINT_TOKEN_UNITS;

    const signed = await signEscrowQuote(signers, chain, {
      orderId: order.chainOrderId as Hex,
      order: {
        buyer: args.buyerAddress,
        seller,
        token: tokenAddress,
        amount,
        fee: applyBps(amount, PLATFORM_FEE_BPS, "half-even"),
        affiliate: args.affiliate?.address ?? zeroAddress,
        affiliateBps: args.affiliate?.bps ?? 0,
        cashback,
        productId: line.productChainId,
        deliveryWindow: DELIVERY_WINDOW_SECONDS[args.deliveryOption],
      },
      pointsToRedeem: BigInt(priced.pointsRedeemed) * POINT_TOKEN_UNITS,
      expiry,
    });
    await tx.insert(escrowQuotes).values({
      orderId: order.id,
      chainId: chain.chainId,
      escrowAddress: chain.escrow.toLowerCase(),
      token: tokenAddress.toLowerCase(),
      amount: signed.quote.order.amount.toString(),
      fee: signed.quote.order.fee.toString(),
      pointsToRedeem: signed.quote.pointsToRedeem.toString(),
      expiresAt: new Date(Number(expiry) * 1000),
      signerAddress: signed.signer.toLowerCase(),
      signature: signed.signature.toLowerCase(),
    });
    return {
      order,
      pricing: priced,
      delivery,
      chainId: chain.chainId,
      escrowAddress: chain.escrow,
      quote: signed.quote,
      signature: signed.signature,
      signer: signed.signer,
      value: token === "ETH" ? amount : 0n,
    };
  });
}
