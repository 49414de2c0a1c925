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
});

export type DeliveryRules = z.output<typeof deliveryRulesSchema>;
export type TransportMode = DeliveryRules["modes"]["standard"];

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
