// Demand forecasts for sellers: the weekly units the demand model wrote for a product, its stock,
// and whether that stock runs out within the restocking lead time. Without a trained model the
// forecast is the product's average weekly sales over the last 8 weeks (said so in `source`).
import { z } from "zod";
import type { Db } from "../db/client.ts";

export type DemandForecast = {
  productId: string;
  weeks: { weekStart: string; units: number }[];
  source: "model" | "recent average";
  modelVersion: string | null;
  /** Units in stock across the product's active offers. */
  stock: number;
  leadTimeWeeks: number;
  /** Forecast units over the lead time. */
  leadTimeUnits: number;
  lowStock: boolean;
};

const optionsSchema = z.object({
  leadTimeWeeks: z.number().int().min(1).max(8).default(2),
  horizon: z.number().int().min(1).max(8).default(8),
});
export type ForecastOptions = z.input<typeof optionsSchema>;

function summarise(
  productId: string,
  weeks: DemandForecast["weeks"],
  stock: number,
  leadTimeWeeks: number,
  source: DemandForecast["source"],
  modelVersion: string | null,
): DemandForecast {
  const leadTimeUnits = Math.round(weeks.slice(0, leadTimeWeeks).reduce((s, w) => s + w.units, 0) * 100) / 100;
  return {
    productId,
    weeks,
    source,
    modelVersion,
    stock,
    leadTimeWeeks,
    leadTimeUnits,
    lowStock: stock < leadTimeUnits,
  };
}

export async function forecastDemand(
  db: Db,
  productId: string,
  options: ForecastOptions = {},
): Promise<DemandForecast> {
  const { leadTimeWeeks, horizon } = optionsSchema.parse(options);
  const id = z.uuid().parse(productId);
  const [forecast, stock] = await Promise.all([
    db.$client.query<{ week_start: string; units: number; model_version: string }>(
      `select to_char(week_start, 'YYYY-MM-DD') as week_start, units, model_version
         from commerce.demand_forecasts where product_id = $1 order by week_start limit $2`,
      [id, horizon],
    ),
    db.$client.query<{ stock: number }>(
      "select coalesce(sum(stock), 0)::int as stock from commerce.offers where product_id = $1 and active",
      [id],
    ),
  ]);
  const units = stock.rows[0]?.stock ?? 0;
  if (forecast.rows.length > 0) {
    return summarise(
      id,
      forecast.rows.map((r) => ({ weekStart: r.week_start, units: r.units })),
      units,
      leadTimeWeeks,
      "model",
      forecast.rows[0]?.model_version ?? null,
    );
  }
  const { rows } = await db.$client.query<{ weekly: number; next_week: string }>(
    `select coalesce(sum(quantity), 0)::float8 / 8 as weekly,
            to_char(date_trunc('week', now()) + interval '1 week', 'YYYY-MM-DD') as next_week
       from commerce.interactions where product_id = $1 and kind = 'purchase'
        and occurred_at >= (select coalesce(max(occurred_at), now()) from commerce.interactions) - interval '8 weeks'`,
    [id],
  );
  const weekly = Math.round((rows[0]?.weekly ?? 0) * 100) / 100;
  const first = new Date(`${rows[0]?.next_week ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const weeks = Array.from({ length: horizon }, (_, h) => ({
    weekStart: new Date(first.getTime() + h * 7 * 86_400_000).toISOString().slice(0, 10),
    units: weekly,
  }));
  return summarise(id, weeks, units, leadTimeWeeks, "recent average", null);
}

export type LowStockAlert = { productId: string; title: string; stock: number; leadTimeUnits: number };

/** Products (of one seller, or all) whose stock is below forecast demand over the lead time. */
export async function listLowStockAlerts(
  db: Db,
  options: { sellerId?: string; leadTimeWeeks?: number; limit?: number } = {},
): Promise<LowStockAlert[]> {
  const leadTimeWeeks = z.number().int().min(1).max(8).default(2).parse(options.leadTimeWeeks);
  const sellerId = options.sellerId === undefined ? null : z.uuid().parse(options.sellerId);
  const { rows } = await db.$client.query<{ product_id: string; title: string; stock: number; lead: number }>(
    `with lead as (
       select product_id, sum(units)::float8 as lead from (
         select product_id, units, row_number() over (partition by product_id order by week_start) as k
           from commerce.demand_forecasts) f
        where k <= $1 group by product_id),
     stock as (
       select product_id, sum(stock)::int as stock from commerce.offers
        where active and ($2::uuid is null or seller_id = $2) group by product_id)
     select p.id as product_id, p.title, s.stock, round(l.lead::numeric, 2)::float8 as lead
       from lead l join stock s on s.product_id = l.product_id join commerce.products p on p.id = l.product_id
      where s.stock < l.lead
      order by l.lead - s.stock desc, p.id limit $3`,
    [leadTimeWeeks, sellerId, options.limit ?? 50],
  );
  return rows.map((r) => ({ productId: r.product_id, title: r.title, stock: r.stock, leadTimeUnits: r.lead }));
}
