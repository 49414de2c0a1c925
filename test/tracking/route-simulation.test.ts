// The device simulator's routes: valid messages, a carrier's status progression, consecutive
// seqs, positions near the great-circle path, carbon that only grows, same output per seed.
import { describe, expect, it } from "vitest";
import {
  DEMO_ROUTES,
  type DemoRouteName,
  distanceKm,
  parseTelemetryMessage,
  planTelemetry,
  shipmentStatuses,
} from "../../lib/tracking/index.ts";

const SHIPMENT = "5e2a1c9b-3d4f-4a6b-8c7d-9e0f1a2b3c4d";
const TOKEN = "T".repeat(43);
const startAt = new Date("2026-01-01T00:00:00Z");

describe.each(Object.keys(DEMO_ROUTES) as DemoRouteName[])("simulated route %s", (name) => {
  const route = DEMO_ROUTES[name];
  const plan = planTelemetry({ shipmentId: SHIPMENT, token: TOKEN, route, startAt, seed: 7 });
  const messages = plan.map((p) => p.message);

  it("produces messages the ingester accepts, with seqs 0…n-1 and time moving forward", () => {
    for (const m of messages) expect(parseTelemetryMessage(JSON.stringify(m), new Date("2027-01-01")).ok).toBe(true);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i));
    const times = messages.map((m) => Date.parse(m.timestamp));
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
  });

  it("moves through the statuses in order and ends delivered near the destination", () => {
    const order = messages.map((m) => shipmentStatuses.indexOf(m.status));
    expect(order.every((s, i) => i === 0 || s >= (order[i - 1] as number))).toBe(true);
    expect(messages[0]?.status).toBe("label_created");
    expect(messages[1]?.status).toBe("picked_up");
    expect(messages.at(-1)?.status).toBe("delivered");
    expect(messages.filter((m) => m.status === "delivered")).toHaveLength(1);
    expect(messages.some((m) => m.status === "out_for_delivery")).toBe(true);
    const destination = route.waypoints.at(-1);
    const last = messages.at(-1)?.position;
    if (!destination || !last) throw new Error("empty route");
    expect(distanceKm(destination, last) * 1000).toBeLessThan(100); // jitter only
  });

  it("reports cumulative carbon that never decreases and a temperature that drifts gently", () => {
    const carbon = messages.map((m) => m.carbonGramsCo2e);
    expect(carbon[0]).toBe(0);
    expect(carbon.every((c, i) => i === 0 || c >= (carbon[i - 1] as number))).toBe(true);
    expect(carbon.at(-1)).toBeGreaterThan(0);
    const temps = messages.map((m) => m.temperatureC as number);
    expect(temps.every((t, i) => i === 0 || Math.abs(t - (temps[i - 1] as number)) < 3)).toBe(true);
  });

  it("is deterministic for a seed and different for another", () => {
    const again = planTelemetry({ shipmentId: SHIPMENT, token: TOKEN, route, startAt, seed: 7 });
    const other = planTelemetry({ shipmentId: SHIPMENT, token: TOKEN, route, startAt, seed: 8 });
    expect(again).toEqual(plan);
    expect(other.map((p) => p.message.position)).not.toEqual(messages.map((m) => m.position));
  });
});
