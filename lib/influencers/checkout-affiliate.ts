// Which creator, if any, a wallet checkout pays, and at what rate: decided here from the clicks the
// server recorded and the seller's commission terms, never from anything the browser names. The
// result goes into the EIP-712 quote as the Escrow's affiliate and affiliateBps, so the contract
// itself credits the creator when the order completes.
import { and, desc, eq, gt, isNull, lte, or, type SQL } from "drizzle-orm";
import { type Address, getAddress, type Hex } from "viem";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { cartItems, offers, products, sellers, users } from "../db/schema.ts";
import {
  createEscrowCheckout,
  type EscrowCheckout,
  type EscrowCheckoutOptions,
  escrowCheckoutSchema,
} from "../orders/create-escrow-checkout.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { readSellerCommission } from "./commission-terms.ts";
import { AttributionChangedError } from "./errors.ts";
import { REFERRAL_WINDOW_MS, visitorIdSchema } from "./referrals.ts";
import { creatorOrderAttributions, creatorProfiles, creatorReferrals } from "./tables.ts";

const resolveSchema = z
  .object({
    cartId: z.uuid(),
    buyerAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 0x wallet address"),
    buyerUserId: z.uuid().optional(),
    /** The referral cookie's visitor id; a malformed one is treated as absent. */
    visitorId: z.string().optional(),
    now: z.date().optional(),
  })
  .strict();
export type ResolveAffiliateInput = z.input<typeof resolveSchema>;

export type NoAffiliateReason =
  | "no_referral"
  | "not_single_product"
  | "self_referral"
  | "seller_self"
  | "seller_opted_out";

export type CheckoutAttribution =
  | {
      status: "attributed";
      creatorId: string;
      referralId: string;
      productChainId: Hex;
      seller: Address | null;
      affiliate: { address: Address; bps: number };
    }
  | { status: "none"; reason: NoAffiliateReason };

const none = (reason: NoAffiliateReason): CheckoutAttribution => ({ status: "none", reason });
const sameAddress = (a: string | null, b: string | null) =>
  a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

/**
 * The creator a checkout of `cartId` credits: the latest click, within the window, onto the cart's
 * product by this browser or this signed-in buyer. Refused (no affiliate) when that creator is the
 * buyer (another wallet of theirs included) or the product's seller, or the seller pays 0 %.
 */
export async function resolveCheckoutAffiliate(
  db: Executor,
  input: ResolveAffiliateInput,
): Promise<CheckoutAttribution> {
  const args = parseInput(resolveSchema, input, "affiliate lookup");
  const visitorId = visitorIdSchema.safeParse(args.visitorId).success ? args.visitorId : undefined;
  if (visitorId === undefined && args.buyerUserId === undefined) return none("no_referral");

  const lines = await db
    .selectDistinct({
      productId: offers.productId,
      productChainId: products.chainIdHash,
      sellerId: sellers.id,
      sellerUserId: sellers.userId,
      sellerPayout: sellers.payoutAddress,
    })
    .from(cartItems)
    .innerJoin(offers, eq(offers.id, cartItems.offerId))
    .innerJoin(products, eq(products.id, offers.productId))
    .innerJoin(sellers, eq(sellers.id, offers.sellerId))
    .where(eq(cartItems.cartId, args.cartId));
  const [line] = lines;
  // The escrow pays one seller for one product; checkout refuses other carts on its own.
  if (!line || lines.length !== 1) return none("not_single_product");

  const now = args.now ?? new Date();
  const who: SQL[] = [];
  if (visitorId !== undefined) who.push(eq(creatorReferrals.visitorId, visitorId));
  if (args.buyerUserId !== undefined) who.push(eq(creatorReferrals.userId, args.buyerUserId));
  const [click] = await db
    .select({
      referralId: creatorReferrals.id,
      creatorId: creatorProfiles.id,
      creatorUserId: creatorProfiles.userId,
      payout: creatorProfiles.payoutAddress,
    })
    .from(creatorReferrals)
    .innerJoin(creatorProfiles, eq(creatorProfiles.id, creatorReferrals.creatorId))
    .innerJoin(users, and(eq(users.id, creatorProfiles.userId), isNull(users.deletedAt)))
    .where(
      and(
        eq(creatorReferrals.productId, line.productId),
        gt(creatorReferrals.clickedAt, new Date(now.getTime() - REFERRAL_WINDOW_MS)),
        lte(creatorReferrals.clickedAt, now),
        or(...who),
      ),
    )
    .orderBy(desc(creatorReferrals.clickedAt))
    .limit(1);
  if (!click) return none("no_referral");
  // Last click wins: an invalid last click does not hand the sale to an older one.
  if (sameAddress(click.payout, args.buyerAddress) || click.creatorUserId === args.buyerUserId) {
    return none("self_referral");
  }
  if (
    sameAddress(click.payout, line.sellerPayout) ||
    (line.sellerUserId !== null && click.creatorUserId === line.sellerUserId)
  ) {
    return none("seller_self");
  }
  const { bps } = await readSellerCommission(db, line.sellerId);
  if (bps === 0) return none("seller_opted_out");
  return {
    status: "attributed",
    creatorId: click.creatorId,
    referralId: click.referralId,
    productChainId: line.productChainId as Hex,
    seller: line.sellerPayout ? getAddress(line.sellerPayout) : null,
    affiliate: { address: getAddress(click.payout), bps },
  };
}

/** Everything createEscrowCheckout takes except the affiliate, which is decided here. */
const attributedCheckoutSchema = escrowCheckoutSchema.omit({ affiliate: true });
export type AttributedCheckoutInput = z.input<typeof attributedCheckoutSchema>;
export type AttributedCheckout = EscrowCheckout & { attribution: CheckoutAttribution };

/**
 * An escrow checkout whose quote names the creator the shopper came from (if any). The affiliate
 * is resolved from the cart before pricing; should the cart change in between (a collaborator
 * editing it at that instant), the signed quote is checked against what was resolved and withheld
 * on a mismatch, so a creator is never credited for another product or paid by themselves.
 */
export async function createAttributedEscrowCheckout(
  db: Db,
  input: AttributedCheckoutInput,
  referral: { visitorId?: string | undefined; now?: Date },
  options: EscrowCheckoutOptions = {},
): Promise<AttributedCheckout> {
  const args = parseInput(attributedCheckoutSchema, input, "escrow checkout");
  const now = referral.now ?? new Date(options.now?.() ?? Date.now());
  const attribution = await resolveCheckoutAffiliate(db, {
    cartId: args.cartId,
    buyerAddress: args.buyerAddress,
    buyerUserId: args.userId,
    visitorId: referral.visitorId,
    now,
  });
  const affiliate = attribution.status === "attributed" ? attribution.affiliate : undefined;
  const checkout = await createEscrowCheckout(db, { ...input, affiliate }, options);
  if (attribution.status === "attributed") {
    const signed = checkout.quote.order;
    if (
      signed.productId.toLowerCase() !== attribution.productChainId.toLowerCase() ||
      signed.seller === signed.affiliate
    ) {
      throw new AttributionChangedError();
    }
    await db
      .insert(creatorOrderAttributions)
      .values({
        orderId: checkout.order.id,
        creatorId: attribution.creatorId,
        referralId: attribution.referralId,
        affiliateAddress: attribution.affiliate.address.toLowerCase(),
        commissionBps: attribution.affiliate.bps,
      })
      .onConflictDoNothing();
  }
  return { ...checkout, attribution };
}
