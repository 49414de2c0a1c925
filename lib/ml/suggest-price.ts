// Price suggestion for a seller's offer: the price within the seller's bounds that maximises
// expected revenue over the next 4 weeks, with the expected effect on units and revenue.
// Demand model: the product sells Q0 units at today's prices (the demand forecast) and responds to
// its share-weighted market price with the category's fitted elasticity ε; among the product's
// offers, shoppers split by a logit on log price (sensitivity γ, the same assumption the synthetic
// data is generated with). Without competitors and with ε > 1 revenue rises as price falls, so the
// bound, not the model, decides: the answer says which bound was hit.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { OFFER_PRICE_SENSITIVITY } from "./generate-interactions.ts";
import { loadTensors } from "./model-files.ts";
import { loadCurrentModel, type ModelOptions } from "./model-registry.ts";
import { DEFAULT_ELASTICITY } from "./train-price.ts";

export type PriceSuggestion = {
  offerId: string;
  currency: string;
  currentPriceMinor: number;
  suggestedPriceMinor: number;
  bounds: { minMinor: number; maxMinor: number; source: "seller" | "default ±15%" };
  /** Set when the suggestion sits on a bound (the model would go further). */
  boundHit: "min" | "max" | null;
  elasticity: number;
  elasticitySource: "model" | "default";
  competitors: { offerId: string; priceMinor: number }[];
  horizonWeeks: number;
  expected: {
    current: { units: number; revenueMinor: number };
    suggested: { units: number; revenueMinor: number };
    unitsChangePercent: number;
    revenueChangePercent: number;
  };
};

const HORIZON_WEEKS = 4;
const GRID_STEPS = 60;

export class OfferNotFoundError extends Error {
  override name = "OfferNotFoundError";
}

async function loadElasticities(dir: string): Promise<Map<string, number>> {
  const { tensors, metadata } = await loadTensors(dir);
  const roots = metadata.roots as string[];
  const values = tensors.elasticity as Float32Array;
  return new Map(roots.map((r, i) => [r, Math.round((values[i] ?? DEFAULT_ELASTICITY) * 100) / 100]));
}

/** Units the offer sells at `price` given competitors' prices (all in the offer's currency). */
function offerUnits(price: number, current: number, competitors: number[], q0: number, elasticity: number): number {
  const share = (p: number) => {
    const own = p ** -OFFER_PRICE_SENSITIVITY;
    return own / (own + competitors.reduce((s, c) => s + c ** -OFFER_PRICE_SENSITIVITY, 0));
  };
  // Share-weighted market price: what the product's overall demand responds to.
  const market = (p: number) => {
    const s = share(p);
    const others = competitors.reduce((sum, c) => sum + c * c ** -OFFER_PRICE_SENSITIVITY, 0);
    const othersWeight = competitors.reduce((sum, c) => sum + c ** -OFFER_PRICE_SENSITIVITY, 0);
    return s * p + (1 - s) * (othersWeight > 0 ? others / othersWeight : p);
  };
  return q0 * (market(price) / market(current)) ** -elasticity * share(price);
}

export async function suggestPrice(db: Db, offerId: string, options: ModelOptions = {}): Promise<PriceSuggestion> {
  const id = z.uuid().parse(offerId);
  const { rows } = await db.$client.query<{
    product_id: string;
    currency: string;
    price: string;
    root: string | null;
    min: string | null;
    max: string | null;
  }>(
    `select o.product_id, o.currency, o.price_minor as price, d.category_path[1] as root,
            b.min_price_minor as min, b.max_price_minor as max
       from commerce.offers o
       left join commerce.search_documents d on d.product_id = o.product_id
       left join commerce.offer_price_bounds b on b.offer_id = o.id
      where o.id = $1`,
    [id],
  );
  const offer = rows[0];
  if (!offer) throw new OfferNotFoundError(`No offer ${id}: pick one of your listed offers.`);
  const current = Number(offer.price);
  const currency = offer.currency.trim();
  const competitorRows = await db.$client.query<{ id: string; price: string | null }>(
    `select o.id, commerce.from_usd_minor(commerce.to_usd_minor(o.price_minor, o.currency), $3) as price
       from commerce.offers o where o.product_id = $1 and o.id <> $2 and o.active and o.stock > 0`,
    [offer.product_id, id, currency],
  );
  const competitors = competitorRows.rows
    .filter((r): r is { id: string; price: string } => r.price !== null && Number(r.price) > 0)
    .map((r) => ({ offerId: r.id, priceMinor: Number(r.price) }));

  const forecast = await db.$client.query<{ units: number }>(
    `select coalesce(sum(units), 0)::float8 as units from (
       select units from commerce.demand_forecasts where product_id = $1 order by week_start limit $2) f`,
    [offer.product_id, HORIZON_WEEKS],
  );
  let productUnits = forecast.rows[0]?.units ?? 0;
  if (productUnits === 0) {
    const recent = await db.$client.query<{ units: number }>(
      `select coalesce(sum(quantity), 0)::float8 / 2 as units from commerce.interactions
        where product_id = $1 and kind = 'purchase'
          and occurred_at >= (select coalesce(max(occurred_at), now()) from commerce.interactions) - interval '8 weeks'`,
      [offer.product_id],
    );
    productUnits = recent.rows[0]?.units ?? 0;
  }

  const loaded = await loadCurrentModel(db, "price", options, loadElasticities);
  const fitted = offer.root ? loaded?.model.get(offer.root) : undefined;
  // A fitted elasticity at or below 0 means the data showed no price response worth acting on.
  const elasticity = fitted !== undefined && fitted > 0 ? fitted : DEFAULT_ELASTICITY;

  const sellerBounds = offer.min !== null && offer.max !== null;
  const minMinor = sellerBounds ? Number(offer.min) : Math.max(1, Math.round(current * 0.85));
  const maxMinor = sellerBounds ? Number(offer.max) : Math.round(current * 1.15);
  const competitorPrices = competitors.map((c) => c.priceMinor);
  // Q0: the product's forecast units at today's prices; the offer gets its price-dependent share.
  const q0 = productUnits;
  const unitsAt = (p: number) => offerUnits(p, current, competitorPrices, q0, elasticity);

  let best = Math.min(maxMinor, Math.max(minMinor, current));
  let bestRevenue = best * unitsAt(best);
  for (let k = 0; k <= GRID_STEPS; k++) {
    const p = Math.round(minMinor + ((maxMinor - minMinor) * k) / GRID_STEPS);
    const revenue = p * unitsAt(p);
    if (revenue > bestRevenue + 1e-9) {
      best = p;
      bestRevenue = revenue;
    }
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const currentUnits = unitsAt(current);
  const suggestedUnits = unitsAt(best);
  const change = (a: number, b: number) => (a === 0 ? 0 : round2(((b - a) / a) * 100));
  return {
    offerId: id,
    currency,
    currentPriceMinor: current,
    suggestedPriceMinor: best,
    bounds: { minMinor, maxMinor, source: sellerBounds ? "seller" : "default ±15%" },
    boundHit: productUnits === 0 ? null : best === minMinor ? "min" : best === maxMinor ? "max" : null,
    elasticity,
    elasticitySource: fitted !== undefined && fitted > 0 ? "model" : "default",
    competitors,
    horizonWeeks: HORIZON_WEEKS,
    expected: {
      current: { units: round2(currentUnits), revenueMinor: Math.round(current * currentUnits) },
      suggested: { units: round2(suggestedUnits), revenueMinor: Math.round(bestRevenue) },
      unitsChangePercent: change(currentUnits, suggestedUnits),
      revenueChangePercent: change(current * currentUnits, bestRevenue),
    },
  };
}
