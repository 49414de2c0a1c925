// Drizzle mirror of the tables lib/db/migrations/0009_tracking.sql adds to the commerce schema.
import { bigint, char, doublePrecision, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, deliveryOptions, orders } from "../db/schema.ts";
import { shipmentStatuses } from "./statuses.ts";

export const shipments = commerce.table("shipments", {
  id: uuid("id").primaryKey().defaultRandom(),
  orderId: uuid("order_id")
    .notNull()
    .references(() => orders.id, { onDelete: "cascade" }),
  carrier: text("carrier").notNull(),
  deliveryOption: text("delivery_option", { enum: deliveryOptions }).notNull(),
  deviceTokenHash: text("device_token_hash").notNull(),
  status: text("status", { enum: shipmentStatuses }).notNull().default("label_created"),
  eta: timestamp("eta", { withTimezone: true }),
  carbonTotalG: doublePrecision("carbon_total_g").notNull().default(0),
  offsetMinor: bigint("offset_minor", { mode: "bigint" }),
  offsetCurrency: char("offset_currency", { length: 3 }),
  lastSeq: bigint("last_seq", { mode: "number" }),
  lastEventAt: timestamp("last_event_at", { withTimezone: true }),
  lastLat: doublePrecision("last_lat"),
  lastLon: doublePrecision("last_lon"),
  deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const trackingEvents = commerce.table(
  "tracking_events",
  {
    shipmentId: uuid("shipment_id")
      .notNull()
      .references(() => shipments.id, { onDelete: "cascade" }),
    // seq is capped at Number.MAX_SAFE_INTEGER by the message schema, so "number" mode is exact.
    seq: bigint("seq", { mode: "number" }).notNull(),
    deviceId: text("device_id").notNull(),
    status: text("status", { enum: shipmentStatuses }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    lat: doublePrecision("lat").notNull(),
    lon: doublePrecision("lon").notNull(),
    temperatureC: doublePrecision("temperature_c"),
    carbonG: doublePrecision("carbon_g").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.seq] })],
);

export type ShipmentRow = typeof shipments.$inferSelect;
export type TrackingEventRow = typeof trackingEvents.$inferSelect;
