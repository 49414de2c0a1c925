// The telemetry message schema and topics: what a device must send, and every way a message is
// refused (each a value, never an exception).
import { describe, expect, it } from "vitest";
import {
  encodeTelemetryMessage,
  MAX_TELEMETRY_BYTES,
  parseTelemetryMessage,
  shipmentIdOfTopic,
  type TelemetryMessageInput,
  telemetryTopic,
  telemetryTopicFilter,
} from "../../lib/tracking/index.ts";

const SHIPMENT = "5e2a1c9b-3d4f-4a6b-8c7d-9e0f1a2b3c4d";
const valid: TelemetryMessageInput = {
  shipmentId: SHIPMENT,
  deviceId: "tracker-42",
  seq: 7,
  timestamp: "2026-01-02T03:04:05.678+01:00",
  position: { lat: 37.77, lon: -122.41 },
  status: "in_transit",
  temperatureC: 4.5,
  carbonGramsCo2e: 120.5,
  token: "A".repeat(43),
};
const parse = (m: unknown) => parseTelemetryMessage(JSON.stringify(m), new Date("2026-01-02T03:00:00Z"));

describe("telemetry message schema", () => {
  it("accepts a complete message, turning the timestamp into a Date and the shipment id to lower case", () => {
    const parsed = parse({ ...valid, shipmentId: SHIPMENT.toUpperCase() });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.message.shipmentId).toBe(SHIPMENT);
    expect(parsed.message.timestamp.toISOString()).toBe("2026-01-02T02:04:05.678Z");
    expect(parsed.message.status).toBe("in_transit");
  });

  it("accepts a device without a temperature sensor (absent or null)", () => {
    const { temperatureC: _, ...withoutSensor } = valid;
    expect(parse(withoutSensor).ok).toBe(true);
    expect(parse({ ...valid, temperatureC: null }).ok).toBe(true);
  });

  it.each([
    ["an unknown status", { ...valid, status: "lost_in_space" }, "status"],
    ["latitude past the pole", { ...valid, position: { lat: 90.5, lon: 0 } }, "position.lat"],
    ["longitude past the antimeridian", { ...valid, position: { lat: 0, lon: -181 } }, "position.lon"],
    ["a fractional seq", { ...valid, seq: 1.5 }, "seq"],
    ["a negative seq", { ...valid, seq: -1 }, "seq"],
    ["negative carbon", { ...valid, carbonGramsCo2e: -1 }, "carbonGramsCo2e"],
    ["a timestamp without an offset", { ...valid, timestamp: "2026-01-02T03:04:05" }, "timestamp"],
    ["a shipment id that is not a uuid", { ...valid, shipmentId: "42" }, "shipmentId"],
    ["a short token", { ...valid, token: "abc" }, "token"],
    ["an unexpected field", { ...valid, admin: true }, "admin"],
    ["a missing position", { ...valid, position: undefined }, "position"],
  ])("refuses %s as malformed, naming the field", (_, message, field) => {
    const parsed = parse(message);
    expect(parsed).toMatchObject({ ok: false, reason: "malformed" });
    if (!parsed.ok) expect(parsed.detail).toContain(field);
  });

  it("refuses text that is not JSON, an oversized payload, and a timestamp from the future", () => {
    expect(parseTelemetryMessage("{oops")).toMatchObject({
      ok: false,
      reason: "malformed",
      detail: "payload is not JSON",
    });
    expect(parseTelemetryMessage(Buffer.alloc(MAX_TELEMETRY_BYTES + 1, 32))).toMatchObject({
      ok: false,
      reason: "too_large",
    });
    expect(parse({ ...valid, timestamp: "2026-01-02T04:00:00Z" })).toMatchObject({ ok: false, reason: "clock_skew" });
    // A few minutes of drift is a normal device clock.
    expect(parse({ ...valid, timestamp: "2026-01-02T03:05:00Z" }).ok).toBe(true);
  });

  it("round-trips what encodeTelemetryMessage writes", () => {
    expect(parse(JSON.parse(encodeTelemetryMessage(valid))).ok).toBe(true);
  });
});

describe("telemetry topics", () => {
  it("names neocart/shipments/<id>/telemetry and reads the id back", () => {
    expect(telemetryTopic(SHIPMENT)).toBe(`neocart/shipments/${SHIPMENT}/telemetry`);
    expect(telemetryTopicFilter()).toBe("neocart/shipments/+/telemetry");
    expect(shipmentIdOfTopic(`neocart/shipments/${SHIPMENT.toUpperCase()}/telemetry`)).toBe(SHIPMENT);
    expect(shipmentIdOfTopic(`t1/shipments/${SHIPMENT}/telemetry`, "t1")).toBe(SHIPMENT);
  });

  it("refuses other topics and roots that would be wildcards", () => {
    expect(shipmentIdOfTopic(`neocart/shipments/${SHIPMENT}/status`)).toBeUndefined();
    expect(shipmentIdOfTopic("neocart/shipments/not-a-uuid/telemetry")).toBeUndefined();
    expect(shipmentIdOfTopic(`other/shipments/${SHIPMENT}/telemetry`)).toBeUndefined();
    expect(shipmentIdOfTopic(`neocart/shipments/${SHIPMENT}/telemetry/extra`)).toBeUndefined();
    expect(() => telemetryTopicFilter("a/#")).toThrow();
  });
});
