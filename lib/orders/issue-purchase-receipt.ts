// Signs a purchase receipt for a paid fiat order so its buyer can review the product on chain
// (Reviews.reviewWithReceipt). Only for a wallet linked to the account that placed the order, and
// for a product the order contains.
import { and, eq, inArray } from "drizzle-orm";
import { getAddress, type Hex } from "viem";
import { z } from "zod";
import { orderItems, orders, products, wallets } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { type ChainConfigInput, resolveChainConfig } from "../quotes/chain-config.ts";
import { type SignedReceipt, signPurchaseReceipt } from "../quotes/sign-purchase-receipt.ts";
import { loadQuoteSigners, type QuoteSigners } from "../quotes/signer-keys.ts";
import { OrderNotFoundError, ReceiptBuyerMismatchError, ReceiptNotAvailableError } from "./errors.ts";

/** Statuses after payment cleared (set by the payment and shipping modules). */
export const PAID_FIAT_STATUSES = ["paid", "shipped", "delivered", "completed"] as const;

const argsSchema = z
  .object({
    orderId: z.uuid(),
    buyerAddress: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "a 0x wallet address")
      .transform((a) => getAddress(a)),
  })
  .strict();

export type ReceiptOptions = {
  /** Which product to review when the order has several (its chain id, keccak256(sku)). */
  productChainId?: string;
  /** How long the receipt stays valid (default 90 days). */
  validForSeconds?: number;
  signers?: QuoteSigners;
  chain?: ChainConfigInput;
  now?: () => number;
};

export async function issuePurchaseReceipt(
  db: Executor,
  orderId: string,
  buyerAddress: string,
  options: ReceiptOptions = {},
): Promise<SignedReceipt & { chainId: number; reviewsAddress: `0x${string}` }> {
  const args = parseInput(argsSchema, { orderId, buyerAddress }, "receipt request");
  const [order] = await db.select().from(orders).where(eq(orders.id, args.orderId));
  if (!order) throw new OrderNotFoundError(args.orderId);
  if (order.kind !== "fiat") {
    throw new ReceiptNotAvailableError("Escrow orders are reviewed on chain once completed; no receipt is needed.");
  }
  if (!(PAID_FIAT_STATUSES as readonly string[]).includes(order.status)) {
    throw new ReceiptNotAvailableError(`Order ${order.id} is ${order.status}; a receipt is issued once it is paid.`);
  }
  if (!order.userId) throw new ReceiptBuyerMismatchError();
  const [linked] = await db
    .select({ address: wallets.address })
    .from(wallets)
    .where(and(eq(wallets.userId, order.userId), eq(wallets.address, args.buyerAddress.toLowerCase())));
  if (!linked) throw new ReceiptBuyerMismatchError();

  const lines = await db
    .select({ productId: orderItems.productId })
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id));
  const chainIds = (
    await db
      .select({ chainId: products.chainIdHash })
      .from(products)
      .where(
        inArray(
          products.id,
          lines.map((l) => l.productId),
        ),
      )
  ).map((p) => p.chainId);
  const wanted = options.productChainId?.toLowerCase();
  let productId: string | undefined;
  if (wanted) productId = chainIds.find((id) => id === wanted);
  else if (chainIds.length === 1) productId = chainIds[0];
  if (!productId) {
    throw new ReceiptNotAvailableError(
      wanted
        ? `Order ${order.id} does not contain product ${wanted}.`
        : `Order ${order.id} has ${chainIds.length} products; say which one the receipt is for.`,
    );
  }

  const chain = resolveChainConfig(options.chain);
  const nowSeconds = BigInt(Math.floor((options.now?.() ?? Date.now()) / 1000));
  const signed = await signPurchaseReceipt(options.signers ?? loadQuoteSigners(), chain, {
    orderId: order.chainOrderId as Hex,
    buyer: args.buyerAddress,
    productId: productId as Hex,
    deadline: nowSeconds + BigInt(options.validForSeconds ?? 90 * 86_400),
  });
  return { ...signed, chainId: chain.chainId, reviewsAddress: chain.reviews };
}
