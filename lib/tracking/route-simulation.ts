// Realistic telemetry for a simulated parcel device: great-circle legs between waypoints (origin,
// hubs, destination), sampled every `stepKm`, with GPS jitter, the status progression a carrier
// reports (label created → picked up → in transit → out for delivery on the last leg →
// delivered), a parcel temperature drifting towards ambient, and the cumulative carbon estimate
// of the option's transport mode. Deterministic for a seed, so tests can rely on it; used by
// scripts/tracking/simulate.ts, the benchmark and the tests.
import type { DeliveryOption } from "../orders/delivery-options.ts";
import { type DeliveryRules, defaultDeliveryRules } from "./delivery-rules.ts";
import { distanceKm, interpolateGreatCircle } from "./geo.ts";
import { estimateCarbonGrams } from "./quote-delivery.ts";
import type { ShipmentStatus } from "./statuses.ts";
import type { Position, TelemetryMessageInput } from "./telemetry-message.ts";

export type Waypoint = Position & { name: string };
export type SimulatedRoute = { label: string; option: DeliveryOption; weightGrams: number; waypoints: Waypoint[] };

export const DEMO_ROUTES = {
  "sf-drone": {
    label: "Mission Bay warehouse → Mission District, by drone",
    option: "drone",
    weightGrams: 1200,
    waypoints: [
      { name: "Mission Bay warehouse", lat: 37.7705, lon: -122.387 },
      { name: "Mission District", lat: 37.7599, lon: -122.4148 },
    ],
  },
  "blr-drone": {
    label: "Koramangala dark store → Indiranagar, by drone",
    option: "drone",
    weightGrams: 800,
    waypoints: [
      { name: "Koramangala dark store", lat: 12.9352, lon: 77.6245 },
      { name: "Indiranagar", lat: 12.9784, lon: 77.6408 },
    ],
  },
  "berlin-munich-green": {
    label: "Berlin → Leipzig → Nuremberg → Munich, rail and electric van",
    option: "green",
    weightGrams: 2500,
    waypoints: [
      { name: "Berlin hub", lat: 52.5251, lon: 13.3694 },
      { name: "Leipzig rail terminal", lat: 51.3455, lon: 12.3821 },
      { name: "Nuremberg rail terminal", lat: 49.4456, lon: 11.0825 },
      { name: "Munich depot", lat: 48.1402, lon: 11.56 },
      { name: "Schwabing", lat: 48.1642, lon: 11.5861 },
    ],
  },
  "la-sf-standard": {
    label: "Los Angeles → Bakersfield → Fresno → Oakland → San Francisco, by road",
    option: "standard",
    weightGrams: 4000,
    waypoints: [
      { name: "Los Angeles fulfilment centre", lat: 34.0522, lon: -118.2437 },
      { name: "Bakersfield", lat: 35.3733, lon: -119.0187 },
      { name: "Fresno sort centre", lat: 36.7378, lon: -119.7871 },
      { name: "Oakland depot", lat: 37.8044, lon: -122.2712 },
      { name: "Noe Valley", lat: 37.7502, lon: -122.4337 },
    ],
  },
} as const satisfies Record<string, SimulatedRoute>;
export type DemoRouteName = keyof typeof DEMO_ROUTES;

export type PlanTelemetryOptions = {
  shipmentId: string;
  token: string;
  route: SimulatedRoute;
  deviceId?: string;
  /** Distance between samples; default: about 60 samples per route, never under 200 m. */
  stepKm?: number;
  /** Simulated time of the first message (later ones follow the mode's speed and handling). */
  startAt?: Date;
  seed?: number;
  jitterMeters?: number;
  ambientC?: number;
  rules?: DeliveryRules;
};

/** A message to publish, and the waypoint it was taken at (for progress output; not sent). */
export type PlannedMessage = { message: TelemetryMessageInput; waypoint?: string };

/** mulberry32: a tiny seeded PRNG, so a seed gives the same route every time. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function planTelemetry(options: PlanTelemetryOptions): PlannedMessage[] {
  const { route } = options;
  if (route.waypoints.length < 2) throw new RangeError("A route needs at least an origin and a destination.");
  const rules = options.rules ?? defaultDeliveryRules;
  const mode = rules.modes[route.option];
  const next = random(options.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const jitterM = options.jitterMeters ?? 12;
  const jitter = (p: Position): Position => {
    const dLat = (gauss() * jitterM) / 111_320;
    const dLon = (gauss() * jitterM) / (111_320 * Math.max(0.01, Math.cos((p.lat * Math.PI) / 180)));
    // Six decimals is about 10 cm: more would only lengthen every message.
    const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
    return { lat: round6(clamp(p.lat + dLat, -90, 90)), lon: round6(clamp(p.lon + dLon, -180, 180)) };
  };
  const legs = route.waypoints.slice(1).map((to, i) => {
    const from = route.waypoints[i] as Waypoint;
    return { from, to, km: distanceKm(from, to) };
  });
  const totalKm = legs.reduce((sum, leg) => sum + leg.km, 0);
  const stepKm = options.stepKm ?? Math.max(0.2, totalKm / 60);
  const start = (options.startAt ?? new Date()).getTime();
  const hour = 3_600_000;
  const ambient = options.ambientC ?? 18;
  let temperature = ambient + 3 + gauss();
  const deviceId = options.deviceId ?? `sim-${options.shipmentId.slice(0, 8)}`;

  const messages: PlannedMessage[] = [];
  const push = (status: ShipmentStatus, p: Position, offsetMs: number, travelledKm: number, waypoint?: string) => {
    temperature += (ambient - temperature) * 0.05 + gauss() * 0.3;
    messages.push({
      message: {
        shipmentId: options.shipmentId,
        deviceId,
        seq: messages.length,
        timestamp: new Date(start + offsetMs).toISOString(),
        position: jitter(p),
        status,
        temperatureC: Math.round(temperature * 10) / 10,
        carbonGramsCo2e: Math.round(estimateCarbonGrams(mode, travelledKm, route.weightGrams) * 10) / 10,
        token: options.token,
      },
      ...(waypoint ? { waypoint } : {}),
    });
  };

  const origin = route.waypoints[0] as Waypoint;
  // Handling time splits into waiting for pickup and sorting before departure.
  push("label_created", origin, 0, 0, origin.name);
  push("picked_up", origin, (mode.handlingHours / 2) * hour, 0, origin.name);
  let travelled = 0;
  legs.forEach((leg, index) => {
    const lastLeg = index === legs.length - 1;
    // The last mile is short, but a courier still reports "out for delivery" before "delivered".
    const steps = Math.max(lastLeg ? 3 : 1, Math.ceil(leg.km / stepKm));
    for (let s = 1; s <= steps; s++) {
      const point = interpolateGreatCircle(leg.from, leg.to, s / steps);
      const km = travelled + (leg.km * s) / steps;
      const offset = (mode.handlingHours + km / mode.speedKmh) * hour;
      const arrived = s === steps;
      const status: ShipmentStatus = lastLeg ? (arrived ? "delivered" : "out_for_delivery") : "in_transit";
      push(status, point, offset, km, arrived ? leg.to.name : undefined);
    }
    travelled += leg.km;
  });
  return messages;
}

function clamp(n: number, low: number, high: number) {
  return Math.min(high, Math.max(low, n));
}
