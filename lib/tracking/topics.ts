// MQTT topics of the tracking system: `<root>/shipments/<shipmentId>/telemetry`, root "neocart".
// The root is a parameter only so tests and benchmarks sharing a broker (the machine's Mosquitto)
// stay out of each other's way; production keeps the default.
import { z } from "zod";

export const DEFAULT_TOPIC_ROOT = "neocart";

const rootSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ or - (no MQTT wildcards or /)");
const uuid = z.uuid();

export function telemetryTopic(shipmentId: string, root: string = DEFAULT_TOPIC_ROOT): string {
  return `${rootSchema.parse(root)}/shipments/${shipmentId}/telemetry`;
}

/** What the ingester subscribes to: every shipment's telemetry under `root`. */
export function telemetryTopicFilter(root: string = DEFAULT_TOPIC_ROOT): string {
  return `${rootSchema.parse(root)}/shipments/+/telemetry`;
}

/** The shipment id a telemetry topic names, or undefined when the topic is not one. */
export function shipmentIdOfTopic(topic: string, root: string = DEFAULT_TOPIC_ROOT): string | undefined {
  const parts = topic.split("/");
  if (parts.length !== 4 || parts[0] !== root || parts[1] !== "shipments" || parts[3] !== "telemetry") return undefined;
  const id = uuid.safeParse(parts[2]);
  return id.success ? id.data.toLowerCase() : undefined;
}
