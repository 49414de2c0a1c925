// Prices a cart from the database only: offer prices, stock and FX rates are read here, never
// taken from the client. Used for display (plain `db`) and inside a checkout transaction (a `tx`
// with `lockOffers`, so the stock read is the stock the order decrements).
//
// Rounding: each unit price is converted to the cart currency half-even, then multiplied by the
// quantity (so a line is always quantity × the unit price shown); the points discount is rounded
// down (never more than the points are worth); the platform fee is half-even.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { assertFiatCurrency, currencyCodeSchema, type FiatCurrency } from "./currencies.ts";
import {
  CartNotFoundError,
  EmptyCartError,
  OfferUnavailableError,
  OutOfStockError,
  PointsCapExceededError,
} from "./errors.ts";
import type { Executor } from "./executor.ts";
import { createConverter } from "./fx-rates.ts";
import { parseInput } from "./parse-input.ts";
import { MAX_POINTS_SHARE_BPS, PLATFORM_FEE_BPS, POINTS_PER_USD } from "./pricing-rules.ts";
import { applyBps, divideRounded } from "./rounding.ts";

export const priceCartOptionsSchema = z
  .object({
    currency: currencyCodeSchema,
    pointsToRedeem: z.number().int().min(0).max(100_000_000).default(0),
  })
  .strict();
export type PriceCartOptions = z.input<typeof priceCartOptionsSchema>;

export type PricedLine = {
  offerId: string;
  productId: string;
  /** keccak256(sku): the productId the contracts use. */
  productChainId: `0x${string}`;
  title: string;
  sellerId: string;
  sellerPayoutAddress: `0x${string}` | null;
  quantity: number;
  /** Stock left before this order. */
  stock: number;
  offerPriceMinor: bigint;
  offerCurrency: string;
  /** Unit price converted to the cart currency. */
  unitPriceMinor: bigint;
  lineTotalMinor: bigint;
  deliveryOptions: string[];
  paymentMethods: string[];
};

export type PricedCart = {
  cartId: string;
  currency: FiatCurrency;
  lines: PricedLine[];
  subtotalMinor: bigint;
  pointsRedeemed: number;
  discountMinor: bigint;
  totalMinor: bigint;
  /** Platform fee included in the total (not added to it). */
  platformFeeMinor: bigint;
};

type LineRow = {
  offer_id: string;
  quantity: number;
  price_minor: string;
  currency: string;
  stock: number;
  active: boolean;
  seller_id: string;
  product_id: string;
  delivery_options: string[];
  payment_methods: string[];
  chain_id_hash: string;
  title: string;
  payout_address: string | null;
};

async function loadLines(db: Executor, cartId: string, lockOffers: boolean): Promise<LineRow[]> {
  // Locks are taken in offer id order, so two checkouts of overlapping carts cannot deadlock.
  const lock = lockOffers ? sql`for update of o` : sql``;
  const result = await db.execute<LineRow>(sql`
    select ci.offer_id, ci.quantity, o.price_minor::text as price_minor, o.currency, o.stock, o.active,
           o.seller_id, o.product_id, o.delivery_options, o.payment_methods, p.chain_id_hash, p.title,
           s.payout_address
    from commerce.cart_items ci
    join commerce.offers o on o.id = ci.offer_id
    join commerce.products p on p.id = o.product_id
    join commerce.sellers s on s.id = o.seller_id
    where ci.cart_id = ${cartId}
    order by o.id
    ${lock}`);
  return result.rows;
}

/** The points discount in the cart currency and the largest number of points the cap allows. */
function pointsDiscount(
  points: number,
  subtotalMinor: bigint,
  currency: FiatCurrency,
  convert: Awaited<ReturnType<typeof createConverter>>,
) {
  const capMinor = applyBps(subtotalMinor, MAX_POINTS_SHARE_BPS, "down");
  // 1 point = 100 / POINTS_PER_USD US cents.
  const usdCents = divideRounded(BigInt(points) * 100n, POINTS_PER_USD, "down");
  const discountMinor = points === 0 ? 0n : convert(usdCents, "USD", currency, { rounding: "down" });
  const capUsdCents = convert(capMinor, currency, "USD", { rounding: "down" });
  const maxPoints = Number(divideRounded(capUsdCents * POINTS_PER_USD, 100n, "down"));
  return { discountMinor, capMinor, maxPoints };
}

export async function priceCart(
  db: Executor,
  cartId: string,
  options: PriceCartOptions,
  internal: { lockOffers?: boolean } = {},
): Promise<PricedCart> {
  const id = parseInput(z.uuid(), cartId, "cart id");
  const { currency: code, pointsToRedeem } = parseInput(priceCartOptionsSchema, options, "pricing options");
  const currency = assertFiatCurrency(code);

  const rows = await loadLines(db, id, internal.lockOffers ?? false);
  if (rows.length === 0) {
    const exists = await db.execute(sql`select 1 from commerce.carts where id = ${id}`);
    if (exists.rows.length === 0) throw new CartNotFoundError(id);
    throw new EmptyCartError();
  }
  const convert = await createConverter(db, [currency, ...rows.map((r) => r.currency.trim())]);

  const lines: PricedLine[] = rows.map((row) => {
    if (!row.active) throw new OfferUnavailableError(row.offer_id);
    if (row.stock < row.quantity) throw new OutOfStockError(row.offer_id, row.stock, row.quantity);
    const offerCurrency = row.currency.trim();
    const offerPriceMinor = BigInt(row.price_minor);
    const unitPriceMinor = convert(offerPriceMinor, offerCurrency, currency);
    return {
      offerId: row.offer_id,
      productId: row.product_id,
      productChainId: row.chain_id_hash as `0x${string}`,
      title: row.title,
      sellerId: row.seller_id,
      sellerPayoutAddress: row.payout_address as `0x${string}` | null,
      quantity: row.quantity,
      stock: row.stock,
      offerPriceMinor,
      offerCurrency,
      unitPriceMinor,
      lineTotalMinor: unitPriceMinor * BigInt(row.quantity),
      deliveryOptions: row.delivery_options,
      paymentMethods: row.payment_methods,
    };
  });

  const subtotalMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0n);
  const { discountMinor, capMinor, maxPoints } = pointsDiscount(pointsToRedeem, subtotalMinor, currency, convert);
  if (discountMinor > capMinor) throw new PointsCapExceededError(pointsToRedeem, maxPoints, MAX_POINTS_SHARE_BPS);
  const totalMinor = subtotalMinor - discountMinor;
  return {
    cartId: id,
    currency,
    lines,
    subtotalMinor,
    pointsRedeemed: pointsToRedeem,
    discountMinor,
    totalMinor,
    platformFeeMinor: applyBps(totalMinor, PLATFORM_FEE_BPS, "half-even"),
  };
}
