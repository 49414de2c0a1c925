// How many loyalty points a signed-in shopper could redeem on a cart and what they would take off,
// priced by lib/pricing (the cap is computed with the same rules, then confirmed by priceCart).
import { sql } from "drizzle-orm";
import { chainView, readChainViews } from "../chain/views.ts";
import type { FiatCurrency } from "../pricing/currencies.ts";
import { PointsCapExceededError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { createConverter } from "../pricing/fx-rates.ts";
import { priceCart } from "../pricing/price-cart.ts";
import { MAX_POINTS_SHARE_BPS, POINT_TOKEN_UNITS, POINTS_PER_USD } from "../pricing/pricing-rules.ts";
import { applyBps, divideRounded } from "../pricing/rounding.ts";

export type PointsPreview = { balance: number; usable: number; discountMinor: bigint; totalMinor: bigint };

/** Whole points the address holds, per the indexer (0 when the views are not published yet). */
export async function pointsBalanceOf(db: Executor, viewsSchema: string, address: string): Promise<number> {
  const rows = await readChainViews<{ balance: string }>(
    db,
    sql`select balance::text as balance from ${chainView(viewsSchema, "points_balance")} where id = ${address.toLowerCase()}`,
  );
  const units = BigInt(rows?.[0]?.balance ?? "0");
  return Number(units / POINT_TOKEN_UNITS);
}

export async function previewPoints(
  db: Executor,
  cartId: string,
  currency: FiatCurrency,
  subtotalMinor: bigint,
  balance: number,
): Promise<PointsPreview | undefined> {
  if (balance <= 0) return undefined;
  const convert = await createConverter(db, [currency, "USD"]);
  const capMinor = applyBps(subtotalMinor, MAX_POINTS_SHARE_BPS, "down");
  const capUsdCents = convert(capMinor, currency, "USD", { rounding: "down" });
  let usable = Math.min(balance, Number(divideRounded(capUsdCents * POINTS_PER_USD, 100n, "down")));
  // Rounding at the cap can differ by a point; step down until pricing accepts it.
  for (let attempt = 0; attempt < 3 && usable > 0; attempt++) {
    try {
      const priced = await priceCart(db, cartId, { currency, pointsToRedeem: usable });
      return { balance, usable, discountMinor: priced.discountMinor, totalMinor: priced.totalMinor };
    } catch (error) {
      if (!(error instanceof PointsCapExceededError)) throw error;
      usable -= 1;
    }
  }
  return { balance, usable: 0, discountMinor: 0n, totalMinor: subtotalMinor };
}
