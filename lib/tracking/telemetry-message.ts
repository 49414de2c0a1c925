// The JSON a parcel's device publishes on `<root>/shipments/<shipmentId>/telemetry`, checked with
// zod before anything touches the database. docs/logistics.md shows an example.
import { z } from "zod";
import { describeZodIssues } from "../pricing/errors.ts";
import { shipmentStatuses } from "./statuses.ts";

/** Larger payloads are refused unread: a real message is about 350 bytes. */
export const MAX_TELEMETRY_BYTES = 4096;
/** Device clocks drift, but a timestamp further ahead than this is a broken or lying device. */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

export const positionSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  })
  .strict();
export type Position = z.infer<typeof positionSchema>;

export const telemetryMessageSchema = z
  .object({
    shipmentId: z.uuid().transform((s) => s.toLowerCase()),
    deviceId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:-]+$/, "letters, digits, . _ : or -"),
    /** Per-shipment message counter of the device: (shipmentId, seq) identifies a message. */
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** When the device took the reading (ISO 8601 with an offset). */
    timestamp: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
    position: positionSchema,
    status: z.enum(shipmentStatuses),
    /** Parcel temperature in °C; null or absent when the device has no sensor. */
    temperatureC: z.number().min(-80).max(120).nullish(),
    /** Cumulative estimate for the shipment so far, grams of CO2e. */
    carbonGramsCo2e: z.number().min(0).max(1e9),
    /** The shipment's device token (lib/tracking/device-token.ts). */
    token: z.string().min(16).max(128),
  })
  .strict();

export type TelemetryMessage = z.output<typeof telemetryMessageSchema>;
/** What a device sends (timestamp as text). */
export type TelemetryMessageInput = z.input<typeof telemetryMessageSchema>;

export type ParsedTelemetry =
  | { ok: true; message: TelemetryMessage }
  | { ok: false; reason: "too_large" | "malformed" | "clock_skew"; detail: string };

/** Parses a raw MQTT payload; never throws, so one bad device cannot stop the ingester. */
export function parseTelemetryMessage(payload: Uint8Array | string, now: Date = new Date()): ParsedTelemetry {
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > MAX_TELEMETRY_BYTES) {
    return { ok: false, reason: "too_large", detail: `${size} bytes (at most ${MAX_TELEMETRY_BYTES})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed", detail: "payload is not JSON" };
  }
  const parsed = telemetryMessageSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "malformed", detail: describeZodIssues(parsed.error.issues) };
  const ahead = parsed.data.timestamp.getTime() - now.getTime();
  if (ahead > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: "clock_skew", detail: `timestamp is ${Math.round(ahead / 1000)} s in the future` };
  }
  return { ok: true, message: parsed.data };
}

/** The payload a device publishes (the simulator and tests build theirs with this). */
export function encodeTelemetryMessage(message: TelemetryMessageInput): string {
  return JSON.stringify(message);
}
