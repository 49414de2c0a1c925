// quoteDelivery: the carbon estimate (distance × the mode's factor), the green offset priced on
// the server in minor units, and the drone rules, each refusal a typed error saying what to do.
import { describe, expect, it } from "vitest";
import { InvalidInputError, MissingFxRateError, UnsupportedCurrencyError } from "../../lib/pricing/index.ts";
import {
  type DeliveryRules,
  DroneOutsideServiceAreaError,
  DroneRangeError,
  DroneWeightLimitError,
  defaultDeliveryRules,
  distanceKm,
  offsetMinorFor,
  parseDeliveryRules,
  quoteDelivery,
  TrackingConfigError,
} from "../../lib/tracking/index.ts";

const BERLIN = { lat: 52.52, lon: 13.405 };
const MUNICH = { lat: 48.1374, lon: 11.5755 };
const SF_WAREHOUSE = { lat: 37.7705, lon: -122.387 };
const SF_HOME = { lat: 37.7599, lon: -122.4148 };
const BLR = { lat: 12.9716, lon: 77.5946 };
const rules = defaultDeliveryRules;

describe("carbon estimate", () => {
  it("is route length × (per-parcel + per-tonne factor × weight), rounded up to whole grams", () => {
    const q = quoteDelivery({ option: "standard", from: BERLIN, to: MUNICH, weightGrams: 2000, currency: "USD" });
    const mode = rules.modes.standard;
    const routeKm = distanceKm(BERLIN, MUNICH) * mode.routeFactor;
    expect(q.routeKm).toBeCloseTo(routeKm, 1);
    expect(q.carbonGramsCo2e).toBe(Math.ceil(routeKm * (mode.gramsPerParcelKm + (mode.gramsPerTonneKm * 2000) / 1e6)));
    expect(q).toMatchObject({ option: "standard", carbonNeutral: false, offset: null, droneRegion: null });
  });

  it("grows with distance and weight, and green emits less than standard on the same route", () => {
    const base = { from: BERLIN, to: MUNICH, currency: "USD" } as const;
    const light = quoteDelivery({ ...base, option: "standard", weightGrams: 500 });
    const heavy = quoteDelivery({ ...base, option: "standard", weightGrams: 20_000 });
    const green = quoteDelivery({ ...base, option: "green", weightGrams: 500 });
    expect(heavy.carbonGramsCo2e).toBeGreaterThan(light.carbonGramsCo2e);
    expect(green.carbonGramsCo2e).toBeLessThan(light.carbonGramsCo2e);
    expect(heavy.estimatedHours).toBeGreaterThan(rules.modes.standard.handlingHours);
  });
});

describe("green offset", () => {
  it("prices the estimate at the offset rate, rounded up, in minor units of the rules' currency", () => {
    expect(offsetMinorFor(rules, 0)).toBe(0n);
    expect(offsetMinorFor(rules, 1)).toBe(1n); // a fraction of a cent still buys a cent
    expect(offsetMinorFor(rules, 1_000_000)).toBe(BigInt(rules.offset.minorPerTonne)); // one tonne
    const q = quoteDelivery({ option: "green", from: BERLIN, to: MUNICH, weightGrams: 2500, currency: "usd" });
    expect(q.carbonNeutral).toBe(true);
    expect(q.offset).toEqual({ minor: offsetMinorFor(rules, q.carbonGramsCo2e), currency: "USD" });
  });

  it("converts to the shopper's currency with the caller's converter, at least one minor unit", () => {
    const heavyRules: DeliveryRules = { ...rules, offset: { currency: "USD", minorPerTonne: 2_500_000 } };
    const calls: string[] = [];
    const q = quoteDelivery(
      { option: "green", from: BERLIN, to: MUNICH, weightGrams: 2500, currency: "EUR" },
      {
        rules: heavyRules,
        convert: (amount, from, to) => {
          calls.push(`${amount} ${from}->${to}`);
          return (amount * 9n) / 10n;
        },
      },
    );
    const usd = offsetMinorFor(heavyRules, q.carbonGramsCo2e);
    expect(calls).toEqual([`${usd} USD->EUR`]);
    expect(q.offset).toEqual({ minor: (usd * 9n) / 10n, currency: "EUR" });
    const tiny = quoteDelivery(
      { option: "green", from: BERLIN, to: MUNICH, weightGrams: 100, currency: "JPY" },
      { convert: () => 0n },
    );
    expect(tiny.offset).toEqual({ minor: 1n, currency: "JPY" });
  });

  it("needs FX rates for another currency and refuses unsupported ones", () => {
    const input = { option: "green", from: BERLIN, to: MUNICH, weightGrams: 1000 } as const;
    expect(() => quoteDelivery({ ...input, currency: "EUR" })).toThrow(MissingFxRateError);
    expect(() => quoteDelivery({ ...input, currency: "XYZ" })).toThrow(UnsupportedCurrencyError);
    // Only green has an offset to price, so standard needs no rates.
    expect(quoteDelivery({ ...input, option: "standard", currency: "EUR" }).offset).toBeNull();
  });
});

describe("drone rules", () => {
  it("quotes a light parcel inside one service area, naming the area", () => {
    const q = quoteDelivery({ option: "drone", from: SF_WAREHOUSE, to: SF_HOME, weightGrams: 1200, currency: "USD" });
    expect(q.droneRegion).toEqual({ id: "sf", name: "San Francisco" });
    expect(q.estimatedHours).toBeLessThan(2);
  });

  it("refuses parcels over the weight limit", () => {
    const over = rules.drone.maxWeightGrams + 1;
    expect(() =>
      quoteDelivery({ option: "drone", from: SF_WAREHOUSE, to: SF_HOME, weightGrams: over, currency: "USD" }),
    ).toThrow(DroneWeightLimitError);
  });

  it("refuses an origin or destination outside every area, and two different areas", () => {
    const oakland = { lat: 37.8044, lon: -122.2712 };
    const attempt = (from: typeof BERLIN, to: typeof BERLIN) => () =>
      quoteDelivery({ option: "drone", from, to, weightGrams: 500, currency: "USD" });
    expect(attempt(oakland, SF_HOME)).toThrow(/the origin is outside/);
    expect(attempt(SF_HOME, oakland)).toThrow(/the destination is outside/);
    expect(attempt(SF_HOME, BLR)).toThrow(DroneOutsideServiceAreaError);
    expect(attempt(SF_HOME, BLR)).toThrow(/same service area/);
  });

  it("refuses routes longer than the drone's range", () => {
    const shortRange = { ...rules, drone: { ...rules.drone, maxRouteKm: 1 } };
    expect(() =>
      quoteDelivery(
        { option: "drone", from: SF_WAREHOUSE, to: SF_HOME, weightGrams: 500, currency: "USD" },
        { rules: shortRange },
      ),
    ).toThrow(DroneRangeError);
  });
});

describe("input and rules checking", () => {
  it("answers bad input with an InvalidInputError naming the field", () => {
    const bad = {
      option: "standard",
      from: BERLIN,
      to: { lat: 100, lon: 0 },
      weightGrams: 0,
      currency: "USD",
    } as const;
    expect(() => quoteDelivery(bad)).toThrow(InvalidInputError);
    expect(() => quoteDelivery(bad)).toThrow(/to\.lat.*weightGrams/);
    expect(() => quoteDelivery({ ...bad, to: MUNICH, weightGrams: 10, option: "teleport" as "standard" })).toThrow(
      /option/,
    );
  });

  it("refuses a rules file with a broken polygon or factor", () => {
    const broken = JSON.parse(JSON.stringify(rules));
    broken.drone.regions[0].polygon = [[[0, 0]]];
    expect(() => parseDeliveryRules(broken, "test rules")).toThrow(TrackingConfigError);
    expect(() =>
      parseDeliveryRules({ ...rules, modes: { ...rules.modes, green: { ...rules.modes.green, routeFactor: 0.5 } } }),
    ).toThrow(/routeFactor/);
  });
});
