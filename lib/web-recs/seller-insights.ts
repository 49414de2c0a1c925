// What the seller dashboard shows from the models: low-stock alerts, and for the seller's busiest
// listings a demand forecast and a price suggestion within the seller's own limits, which the
// seller edits here (only for offers of their own shop).
import { z } from "zod";
import type { Db } from "../db/client.ts";
import {
  type DemandForecast,
  forecastDemand,
  type LowStockAlert,
  listLowStockAlerts,
  type PriceSuggestion,
  suggestPrice,
} from "../ml/index.ts";
import type { ModelOptions } from "../ml/model-registry.ts";
import { decimalToMinor } from "../payments/money.ts";

export const LEAD_TIME_WEEKS = 2;

export type ListingInsight = {
  offerId: string;
  productId: string;
  title: string;
  currency: string;
  bounds: { minMinor: bigint; maxMinor: bigint } | null;
  forecast: DemandForecast | null;
  suggestion: PriceSuggestion | null;
};

export type SellerInsights = { alerts: LowStockAlert[]; listings: ListingInsight[] };

async function orNull<T>(what: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    console.error(`seller insights: ${what} failed`, error);
    return null;
  }
}

/** Alerts for every listing, details for the `limit` listings with the most forecast demand. */
export async function readSellerInsights(
  db: Db,
  sellerId: string,
  limit = 3,
  options: ModelOptions = {},
): Promise<SellerInsights> {
  const [alerts, { rows }] = await Promise.all([
    listLowStockAlerts(db, { sellerId, leadTimeWeeks: LEAD_TIME_WEEKS, limit: 10 }),
    db.$client.query<{
      offer_id: string;
      product_id: string;
      title: string;
      currency: string;
      min_price_minor: string | null;
      max_price_minor: string | null;
    }>(
      `select o.id as offer_id, o.product_id, p.title, trim(o.currency) as currency, b.min_price_minor, b.max_price_minor
         from commerce.offers o
         join commerce.products p on p.id = o.product_id
         left join commerce.offer_price_bounds b on b.offer_id = o.id
         left join (select product_id, sum(units) as units from commerce.demand_forecasts group by product_id) f
           on f.product_id = o.product_id
        where o.seller_id = $1 and o.active
        order by f.units desc nulls last, p.title, o.id
        limit $2`,
      [sellerId, limit],
    ),
  ]);
  const listings = await Promise.all(
    rows.map(
      async (r): Promise<ListingInsight> => ({
        offerId: r.offer_id,
        productId: r.product_id,
        title: r.title,
        currency: r.currency,
        bounds:
          r.min_price_minor && r.max_price_minor
            ? { minMinor: BigInt(r.min_price_minor), maxMinor: BigInt(r.max_price_minor) }
            : null,
        forecast: await orNull("forecast", () => forecastDemand(db, r.product_id, { leadTimeWeeks: LEAD_TIME_WEEKS })),
        suggestion: await orNull("price suggestion", () => suggestPrice(db, r.offer_id, options)),
      }),
    ),
  );
  return { alerts, listings };
}

export class PriceBoundsError extends Error {
  override name = "PriceBoundsError";
  constructor(
    readonly code: "invalid" | "not_your_offer",
    message: string,
  ) {
    super(message);
  }
}

const decimal = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,4})?$/, "prices are decimal numbers such as 19.99");
export const priceBoundsSchema = z.strictObject({
  offerId: z.uuid("choose one of your offers"),
  min: decimal,
  max: decimal,
});

/** Sets the price range suggestions must stay in, for an offer of `sellerId`'s shop only. */
export async function setPriceBounds(
  db: Db,
  sellerId: string,
  input: unknown,
): Promise<{ minMinor: bigint; maxMinor: bigint; currency: string }> {
  const parsed = priceBoundsSchema.safeParse(input);
  if (!parsed.success) throw new PriceBoundsError("invalid", parsed.error.issues.map((i) => i.message).join("; "));
  const { rows } = await db.$client.query<{ currency: string }>(
    "select trim(currency) as currency from commerce.offers where id = $1 and seller_id = $2",
    [parsed.data.offerId, sellerId],
  );
  const offer = rows[0];
  if (!offer) throw new PriceBoundsError("not_your_offer", "That offer is not one of your shop's.");
  let minMinor: bigint;
  let maxMinor: bigint;
  try {
    minMinor = decimalToMinor(parsed.data.min, offer.currency);
    maxMinor = decimalToMinor(parsed.data.max, offer.currency);
  } catch (error) {
    throw new PriceBoundsError("invalid", (error as Error).message);
  }
  if (minMinor <= 0n || maxMinor < minMinor) {
    throw new PriceBoundsError("invalid", "The maximum must be at least the minimum, both above zero.");
  }
  await db.$client.query(
    `insert into commerce.offer_price_bounds (offer_id, min_price_minor, max_price_minor) values ($1, $2, $3)
     on conflict (offer_id) do update set min_price_minor = excluded.min_price_minor,
       max_price_minor = excluded.max_price_minor, updated_at = now()`,
    [parsed.data.offerId, minMinor.toString(), maxMinor.toString()],
  );
  return { minMinor, maxMinor, currency: offer.currency };
}
