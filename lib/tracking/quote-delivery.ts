// Delivery quotes, priced on the server: the route's carbon estimate (distance × the option's
// emission factor), the offset cost of green delivery in minor units of the shopper's currency,
// an ETA, and the drone rules (service-area geofence, weight and range limits). Pure apart from
// FX: pass a converter (createConverter) or use quoteDeliveryWithRates, which loads the rates.
import { z } from "zod";
import { type DeliveryOption, deliveryOptionSchema } from "../orders/delivery-options.ts";
import { assertFiatCurrency, currencyCodeSchema } from "../pricing/currencies.ts";
import { MissingFxRateError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { type Converter, createConverter } from "../pricing/fx-rates.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { type DeliveryRules, defaultDeliveryRules } from "./delivery-rules.ts";
import { DroneOutsideServiceAreaError, DroneRangeError, DroneWeightLimitError } from "./errors.ts";
import { distanceKm, pointInPolygon } from "./geo.ts";
import { type Position, positionSchema } from "./telemetry-message.ts";

// Callers pass places that carry more than coordinates (a name, an address id): keep lat/lon only.
const placeSchema = positionSchema.strip();

export const quoteDeliverySchema = z
  .object({
    option: deliveryOptionSchema,
    from: placeSchema,
    to: placeSchema,
    /** Packed weight; 100 kg is the parcel limit of every option. */
    weightGrams: z.number().int().min(1).max(100_000),
    currency: currencyCodeSchema,
  })
  .strict();
export type QuoteDeliveryInput = z.input<typeof quoteDeliverySchema>;

export type DeliveryQuote = {
  option: DeliveryOption;
  mode: string;
  /** Great-circle distance between the two ends. */
  distanceKm: number;
  /** Estimated path length (distance × the mode's route factor), what the estimate is based on. */
  routeKm: number;
  /** Whole grams of CO2e, rounded up. */
  carbonGramsCo2e: number;
  /** Green delivery: the estimate is offset and the offset is priced here. */
  carbonNeutral: boolean;
  offset: { minor: bigint; currency: string } | null;
  estimatedHours: number;
  /** The drone service area both ends lie in (drone only). */
  droneRegion: { id: string; name: string } | null;
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Grams of CO2e for `routeKm` of `mode` carrying `weightGrams`. */
export function estimateCarbonGrams(
  mode: DeliveryRules["modes"]["standard"],
  routeKm: number,
  weightGrams: number,
): number {
  return routeKm * (mode.gramsPerParcelKm + (mode.gramsPerTonneKm * weightGrams) / 1_000_000);
}

function droneRegionOf(rules: DeliveryRules, point: Position) {
  return rules.drone.regions.find((r) => pointInPolygon(point, r.polygon));
}

/** Checks the drone rules; throws a typed error naming what to change. */
function checkDrone(rules: DeliveryRules, from: Position, to: Position, weightGrams: number, routeKm: number) {
  const names = rules.drone.regions.map((r) => r.name);
  if (weightGrams > rules.drone.maxWeightGrams)
    throw new DroneWeightLimitError(weightGrams, rules.drone.maxWeightGrams);
  const start = droneRegionOf(rules, from);
  if (!start) throw new DroneOutsideServiceAreaError("origin", names);
  const end = droneRegionOf(rules, to);
  if (!end) throw new DroneOutsideServiceAreaError("destination", names);
  // A drone is based in one area; two areas far apart are not one flight.
  if (start.id !== end.id) throw new DroneOutsideServiceAreaError("route", names);
  if (routeKm > rules.drone.maxRouteKm) throw new DroneRangeError(routeKm, rules.drone.maxRouteKm);
  return { id: start.id, name: start.name };
}

/** Offset price of `grams` in the rules' currency, rounded up: we never buy less than we emit. */
export function offsetMinorFor(rules: DeliveryRules, grams: number): bigint {
  const g = BigInt(Math.ceil(grams));
  return (g * BigInt(rules.offset.minorPerTonne) + 999_999n) / 1_000_000n;
}

export function quoteDelivery(
  input: QuoteDeliveryInput,
  options: { rules?: DeliveryRules; convert?: Converter } = {},
): DeliveryQuote {
  const args = parseInput(quoteDeliverySchema, input, "delivery quote request");
  const currency = assertFiatCurrency(args.currency);
  const rules = options.rules ?? defaultDeliveryRules;
  const mode = rules.modes[args.option];
  const greatCircleKm = distanceKm(args.from, args.to);
  const routeKm = greatCircleKm * mode.routeFactor;
  const droneRegion = args.option === "drone" ? checkDrone(rules, args.from, args.to, args.weightGrams, routeKm) : null;
  const carbonGramsCo2e = Math.ceil(estimateCarbonGrams(mode, routeKm, args.weightGrams));

  let offset: DeliveryQuote["offset"] = null;
  if (args.option === "green") {
    const base = offsetMinorFor(rules, carbonGramsCo2e);
    let minor = base;
    if (currency !== rules.offset.currency) {
      if (!options.convert) throw new MissingFxRateError(rules.offset.currency, currency);
      minor = options.convert(base, rules.offset.currency, currency);
    }
    // Any emission costs at least one minor unit, so a short route is never "free" to offset.
    if (carbonGramsCo2e > 0 && minor < 1n) minor = 1n;
    offset = { minor, currency };
  }

  return {
    option: args.option,
    mode: mode.label,
    distanceKm: round1(greatCircleKm),
    routeKm: round1(routeKm),
    carbonGramsCo2e,
    carbonNeutral: args.option === "green",
    offset,
    estimatedHours: round1(mode.handlingHours + routeKm / mode.speedKmh),
    droneRegion,
  };
}

/** quoteDelivery with the FX rates it needs loaded from commerce.fx_rates. */
export async function quoteDeliveryWithRates(
  db: Executor,
  input: QuoteDeliveryInput,
  options: { rules?: DeliveryRules } = {},
): Promise<DeliveryQuote> {
  const rules = options.rules ?? defaultDeliveryRules;
  const currency = typeof input.currency === "string" ? input.currency.trim().toUpperCase() : "";
  const needsFx = input.option === "green" && /^[A-Z]{3}$/.test(currency) && currency !== rules.offset.currency;
  const convert = needsFx ? await createConverter(db, [rules.offset.currency, currency]) : undefined;
  return quoteDelivery(input, { rules, convert });
}

/** Every option the route allows, with the reason each other one is refused (for the checkout choice). */
export async function quoteDeliveryOptions(
  db: Executor,
  input: Omit<QuoteDeliveryInput, "option">,
  options: { rules?: DeliveryRules; offered?: readonly DeliveryOption[] } = {},
): Promise<{ option: DeliveryOption; quote?: DeliveryQuote; unavailable?: { code: string; message: string } }[]> {
  const offered = options.offered ?? deliveryOptionSchema.options;
  const answers = [];
  for (const option of offered) {
    try {
      answers.push({ option, quote: await quoteDeliveryWithRates(db, { ...input, option }, options) });
    } catch (error) {
      // Only the rules' refusals make an option unavailable; bad input is the caller's to fix.
      const refusal =
        error instanceof DroneOutsideServiceAreaError ||
        error instanceof DroneWeightLimitError ||
        error instanceof DroneRangeError ||
        error instanceof MissingFxRateError;
      if (!refusal) throw error;
      answers.push({ option, unavailable: { code: error.code, message: error.message } });
    }
  }
  return answers;
}
