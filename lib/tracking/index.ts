// Public surface of lib/tracking (docs/logistics.md).
export * from "./delivered-awaiting-confirmation.ts";
export * from "./delivery-rules.ts";
export * from "./device-token.ts";
export * from "./embedded-broker.ts";
export * from "./errors.ts";
export * from "./geo.ts";
export * from "./ingester.ts";
export * from "./notifications.ts";
export * from "./quote-delivery.ts";
export * from "./record-telemetry.ts";
export * from "./route-simulation.ts";
export * from "./shipments.ts";
export * from "./sse.ts";
export * from "./start-tracking.ts";
export * from "./statuses.ts";
export { shipments, trackingEvents } from "./tables.ts";
export * from "./telemetry-message.ts";
export * from "./topics.ts";
