// The delivery option of an order, priced on the server from the delivery rules
// (lib/tracking/delivery-rules.json): the items are packed into parcels per dispatch hub (a seller
// ships from the hub serving its country), each parcel is quoted from its hub to the centre of the
// delivery area the shopper picked (carbon estimate, green offset, drone geofence and weight
// limit: lib/tracking/quote-delivery.ts) and charged the option's fee. Nothing here comes from the
// browser but the option and the area id, both checked against the rules.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { FiatCurrency } from "../pricing/currencies.ts";
import { MissingFxRateError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { type Converter, createConverter } from "../pricing/fx-rates.ts";
import {
  type DeliveryDestination,
  type DeliveryRules,
  type DispatchHub,
  defaultDeliveryRules,
} from "../tracking/delivery-rules.ts";
import { DroneOutsideServiceAreaError, DroneRangeError, DroneWeightLimitError } from "../tracking/errors.ts";
import { quoteDelivery } from "../tracking/quote-delivery.ts";
import { type DeliveryOption, deliveryOptionSchema } from "./delivery-options.ts";
import { DeliveryOptionUnavailableError, UnknownDeliveryAreaError } from "./errors.ts";
import { orderDeliveries } from "./tables.ts";

/** The delivery area id a form sends (checked against the rules by findDeliveryArea). */
export const deliveryAreaIdSchema = z
  .string({ error: "choose a delivery area" })
  .trim()
  .min(1, "choose a delivery area")
  .max(60, "choose a delivery area from the list");

/** quoteDelivery's parcel limit: heavier hub loads travel as several parcels. */
const MAX_PARCEL_GRAMS = 100_000;

export type DeliveryItem = { offerId: string; quantity: number };

export type DeliveryPrice = {
  option: DeliveryOption;
  area: DeliveryDestination;
  currency: FiatCurrency;
  /** What the shopper pays for delivery, the offset included. */
  feeMinor: bigint;
  /** Green only: the part of feeMinor that buys the offset of carbonGrams. */
  offsetMinor: bigint | null;
  carbonGrams: number;
  routeKm: number;
  /** The slowest parcel's estimate. */
  estimatedHours: number;
  droneRegion: string | null;
  parcels: number;
  weightGrams: number;
  originLabel: string;
};

export type DeliveryChoice =
  | { option: DeliveryOption; price: DeliveryPrice }
  | { option: DeliveryOption; unavailable: { code: string; message: string } };

type ItemRow = {
  offer_id: string;
  delivery_options: string[];
  country: string;
  category_slug: string;
  parent_slug: string | null;
  grandparent_slug: string | null;
  weight_grams: unknown;
};

/** The area `id` names, or a refusal saying to pick one from the list. */
export function findDeliveryArea(id: string, rules: DeliveryRules = defaultDeliveryRules): DeliveryDestination {
  const area = rules.destinations.find((d) => d.id === id);
  if (!area) throw new UnknownDeliveryAreaError(id);
  return area;
}

async function loadItems(db: Executor, items: readonly DeliveryItem[]): Promise<(ItemRow & { quantity: number })[]> {
  const ids = items.map((i) => i.offerId);
  const { rows } = await db.execute<ItemRow>(sql`
    select o.id as offer_id, o.delivery_options, s.country, p.category_slug,
           c1.parent_slug, c2.parent_slug as grandparent_slug, p.attributes -> 'weightGrams' as weight_grams
    from commerce.offers o
    join commerce.products p on p.id = o.product_id
    join commerce.sellers s on s.id = o.seller_id
    left join commerce.categories c1 on c1.slug = p.category_slug
    left join commerce.categories c2 on c2.slug = c1.parent_slug
    where o.id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`);
  const byId = new Map(rows.map((r) => [r.offer_id, r]));
  return items.map((item) => {
    const row = byId.get(item.offerId);
    if (!row) throw new DeliveryOptionUnavailableError("any delivery", item.offerId);
    return { ...row, quantity: item.quantity };
  });
}

/** Packed weight of one unit: the product's own weightGrams, else its category's (leaf, parent, root), else the default. */
function unitWeightGrams(rules: DeliveryRules, row: ItemRow): number {
  const own = typeof row.weight_grams === "number" ? row.weight_grams : Number(row.weight_grams);
  if (Number.isInteger(own) && own > 0 && own <= MAX_PARCEL_GRAMS) return own;
  const table = rules.parcelWeights.byCategory;
  for (const slug of [row.category_slug, row.parent_slug, row.grandparent_slug]) {
    const grams = slug ? table[slug] : undefined;
    if (grams !== undefined) return grams;
  }
  return rules.parcelWeights.defaultGrams;
}

function hubFor(rules: DeliveryRules, country: string): DispatchHub {
  const hub =
    rules.hubs.list.find((h) => h.countries.includes(country.trim().toUpperCase())) ??
    rules.hubs.list.find((h) => h.id === rules.hubs.defaultHub);
  if (!hub) throw new Error("delivery rules: defaultHub names no hub (the schema should have refused them)");
  return hub;
}

/** The parcels of an order: one per hub (split when heavier than one parcel may be). */
function packParcels(rules: DeliveryRules, rows: readonly (ItemRow & { quantity: number })[]) {
  const byHub = new Map<string, { hub: DispatchHub; grams: number }>();
  for (const row of rows) {
    const hub = hubFor(rules, row.country);
    const load = byHub.get(hub.id) ?? { hub, grams: 0 };
    load.grams += unitWeightGrams(rules, row) * row.quantity;
    byHub.set(hub.id, load);
  }
  // In the rules' hub order, so an order's origin label does not depend on its lines' order.
  const hubOrder = (hub: DispatchHub) => rules.hubs.list.findIndex((h) => h.id === hub.id);
  const loads = [...byHub.values()].sort((a, b) => hubOrder(a.hub) - hubOrder(b.hub));
  return loads.flatMap(({ hub, grams }) => {
    const count = Math.ceil(grams / MAX_PARCEL_GRAMS);
    return Array.from({ length: count }, () => ({ hub, weightGrams: Math.ceil(grams / count) }));
  });
}

/** The option's fee for one parcel, in the rules' fee currency (before conversion). */
function parcelFeeMinor(rules: DeliveryRules, option: DeliveryOption, weightGrams: number, routeKm: number): bigint {
  const fee = rules.fees[option];
  const distanceMinor = Math.ceil((fee.per1000KmMinor * routeKm) / 1000);
  return BigInt(fee.baseMinor + fee.perKgMinor * Math.ceil(weightGrams / 1000) + distanceMinor);
}

function priceWith(
  rules: DeliveryRules,
  convert: Converter,
  option: DeliveryOption,
  area: DeliveryDestination,
  currency: FiatCurrency,
  rows: readonly (ItemRow & { quantity: number })[],
): DeliveryPrice {
  for (const row of rows) {
    if (!row.delivery_options.includes(option)) throw new DeliveryOptionUnavailableError(option, row.offer_id);
  }
  const parcels = packParcels(rules, rows);
  let feeMinor = 0n;
  let offsetMinor: bigint | null = option === "green" ? 0n : null;
  let carbonGrams = 0;
  let routeKm = 0;
  let estimatedHours = 0;
  let droneRegion: string | null = null;
  for (const parcel of parcels) {
    const quote = quoteDelivery(
      { option, from: parcel.hub, to: area, weightGrams: parcel.weightGrams, currency },
      { rules, convert },
    );
    feeMinor += convert(
      parcelFeeMinor(rules, option, parcel.weightGrams, quote.routeKm),
      rules.fees.currency,
      currency,
    );
    if (quote.offset && offsetMinor !== null) offsetMinor += quote.offset.minor;
    carbonGrams += quote.carbonGramsCo2e;
    routeKm += quote.routeKm;
    estimatedHours = Math.max(estimatedHours, quote.estimatedHours);
    droneRegion ??= quote.droneRegion?.name ?? null;
  }
  return {
    option,
    area,
    currency,
    feeMinor: feeMinor + (offsetMinor ?? 0n),
    offsetMinor,
    carbonGrams,
    routeKm: Math.round(routeKm * 10) / 10,
    estimatedHours,
    droneRegion,
    parcels: parcels.length,
    weightGrams: parcels.reduce((sum, p) => sum + p.weightGrams, 0),
    originLabel: [...new Set(parcels.map((p) => p.hub.name))].join(" + "),
  };
}

async function converterFor(db: Executor, rules: DeliveryRules, currency: string): Promise<Converter> {
  return createConverter(db, [...new Set([rules.fees.currency, rules.offset.currency, currency])]);
}

/**
 * Prices `option` for the items delivered to the area `areaId`, in `currency`. Refusals are typed
 * CommerceErrors that say what to choose instead: an option an item cannot ship by, an unknown
 * area, a drone outside its geofence, over its weight limit or out of range.
 */
export async function priceDelivery(
  db: Executor,
  input: { items: readonly DeliveryItem[]; option: DeliveryOption; areaId: string; currency: FiatCurrency },
  options: { rules?: DeliveryRules } = {},
): Promise<DeliveryPrice> {
  const rules = options.rules ?? defaultDeliveryRules;
  const option = deliveryOptionSchema.parse(input.option);
  const area = findDeliveryArea(input.areaId, rules);
  const rows = await loadItems(db, input.items);
  return priceWith(rules, await converterFor(db, rules, input.currency), option, area, input.currency, rows);
}

/**
 * Every option all the items allow, each priced for the area or with the reason it is refused
 * (drone outside the geofence or over the weight limit, a missing FX rate): the checkout's choice.
 */
export async function quoteDeliveryChoices(
  db: Executor,
  input: { items: readonly DeliveryItem[]; areaId: string; currency: FiatCurrency },
  options: { rules?: DeliveryRules } = {},
): Promise<DeliveryChoice[]> {
  const rules = options.rules ?? defaultDeliveryRules;
  const area = findDeliveryArea(input.areaId, rules);
  if (input.items.length === 0) return [];
  const rows = await loadItems(db, input.items);
  const convert = await converterFor(db, rules, input.currency);
  const allowed = deliveryOptionSchema.options.filter((o) => rows.every((r) => r.delivery_options.includes(o)));
  return allowed.map((option): DeliveryChoice => {
    try {
      return { option, price: priceWith(rules, convert, option, area, input.currency, rows) };
    } catch (error) {
      const refusal =
        error instanceof DroneOutsideServiceAreaError ||
        error instanceof DroneWeightLimitError ||
        error instanceof DroneRangeError ||
        error instanceof MissingFxRateError;
      if (!refusal) throw error;
      return { option, unavailable: { code: error.code, message: error.message } };
    }
  });
}

/** Writes the priced delivery beside its order (same transaction as the order). */
export async function recordOrderDelivery(tx: Executor, orderId: string, price: DeliveryPrice): Promise<void> {
  await tx.insert(orderDeliveries).values({
    orderId,
    option: price.option,
    feeMinor: price.feeMinor,
    currency: price.currency,
    carbonGrams: price.carbonGrams,
    offsetMinor: price.offsetMinor,
    routeKm: price.routeKm,
    estimatedHours: price.estimatedHours,
    droneRegion: price.droneRegion,
    originLabel: price.originLabel,
    destinationLabel: price.area.name,
  });
}
