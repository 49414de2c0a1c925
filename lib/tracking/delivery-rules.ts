// The delivery rules quoteDelivery prices with: per-option transport mode (emission factors,
// speed), the carbon offset price and the drone service (weight and range limits, geofenced
// regions). The defaults ship in delivery-rules.json beside this file; an operator can point
// NEOCART_DELIVERY_RULES at another JSON file of the same shape (loadDeliveryRulesFile).
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { describeZodIssues } from "../pricing/errors.ts";
import defaults from "./delivery-rules.json" with { type: "json" };
import { TrackingConfigError } from "./errors.ts";

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(lonLat).min(4, "a ring needs at least 3 corners and the closing point");

const modeSchema = z.object({
  label: z.string().min(1),
  /** Actual path length over great-circle distance (roads and rails wind, drones barely). */
  routeFactor: z.number().min(1).max(3),
  /** The parcel's share of the vehicle per km, whatever it weighs. */
  gramsPerParcelKm: z.number().min(0),
  /** Emissions that scale with the parcel's weight. */
  gramsPerTonneKm: z.number().min(0),
  speedKmh: z.number().positive(),
  /** Sorting, loading and waiting time on top of travel. */
  handlingHours: z.number().min(0),
});

const feeSchema = z.object({
  /** Every parcel pays this, in minor units of fees.currency. */
  baseMinor: z.number().int().min(0),
  /** Per started kilogram of the parcel. */
  perKgMinor: z.number().int().min(0),
  /** Per 1,000 km of route, prorated and rounded up. */
  per1000KmMinor: z.number().int().min(0),
});

const placeFields = {
  id: z.string().regex(/^[a-z0-9-]{1,60}$/, "an id of lowercase letters, digits and dashes"),
  name: z.string().min(1).max(120),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
};
const countryCode = z.string().regex(/^[A-Z]{2}$/, "a two-letter country code");

export const deliveryRulesSchema = z.object({
  $comment: z.string().optional(),
  modes: z.object({ standard: modeSchema, green: modeSchema, drone: modeSchema }),
  offset: z.object({
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** Price of offsetting one tonne of CO2e, in minor units of `currency`. */
    minorPerTonne: z.number().int().positive(),
  }),
  drone: z.object({
    maxWeightGrams: z.number().int().positive(),
    maxRouteKm: z.number().positive(),
    regions: z
      .array(
        z.object({
          id: z.string().min(1),
          name: z.string().min(1),
          polygon: z.array(ring).min(1),
        }),
      )
      .min(1),
  }),
  /** What each option costs the shopper (green adds the offset of its own estimate on top). */
  fees: z.object({
    currency: z.string().regex(/^[A-Z]{3}$/),
    standard: feeSchema,
    green: feeSchema,
    drone: feeSchema,
  }),
  /** Where parcels leave from: the hub serving the seller's country, else defaultHub. */
  hubs: z
    .object({
      defaultHub: z.string().min(1),
      list: z.array(z.object({ ...placeFields, countries: z.array(countryCode) })).min(1),
    })
    .refine((h) => h.list.some((hub) => hub.id === h.defaultHub), "defaultHub must name a hub of the list"),
  /** The delivery areas a shopper picks from at checkout; a parcel's route ends at the area's centre. */
  destinations: z
    .array(z.object({ ...placeFields, country: countryCode }))
    .min(1)
    .refine((list) => new Set(list.map((d) => d.id)).size === list.length, "destination ids must be unique"),
  /** Packed weight per item when the product has no numeric weightGrams attribute. */
  parcelWeights: z.object({
    defaultGrams: z.number().int().positive(),
    byCategory: z.record(z.string(), z.number().int().positive()),
  }),
});

export type DeliveryRules = z.output<typeof deliveryRulesSchema>;
export type TransportMode = DeliveryRules["modes"]["standard"];
export type DeliveryDestination = DeliveryRules["destinations"][number];
export type DispatchHub = DeliveryRules["hubs"]["list"][number];

export function parseDeliveryRules(json: unknown, source = "delivery rules"): DeliveryRules {
  const parsed = deliveryRulesSchema.safeParse(json);
  if (!parsed.success) {
    throw new TrackingConfigError(`${source} are invalid: ${describeZodIssues(parsed.error.issues)}.`);
  }
  return parsed.data;
}

export const defaultDeliveryRules: DeliveryRules = parseDeliveryRules(defaults, "lib/tracking/delivery-rules.json");

export async function loadDeliveryRulesFile(file: string): Promise<DeliveryRules> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new TrackingConfigError(`Cannot read the delivery rules file ${file}: ${(error as Error).message}.`);
  }
  try {
    return parseDeliveryRules(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof TrackingConfigError) throw error;
    throw new TrackingConfigError(`The delivery rules file ${file} is not JSON: ${(error as Error).message}.`);
  }
}
