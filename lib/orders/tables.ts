// Drizzle mirror of the tables lib/db/migrations/0005_orders.sql adds to the commerce schema.
import { bigint, char, doublePrecision, integer, numeric, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, orders } from "../db/schema.ts";

export const escrowQuotes = commerce.table("escrow_quotes", {
  orderId: uuid("order_id")
    .primaryKey()
    .references(() => orders.id, { onDelete: "cascade" }),
  chainId: integer("chain_id").notNull(),
  escrowAddress: text("escrow_address").notNull(),
  token: text("token").notNull(),
  amount: numeric("amount", { precision: 78, scale: 0 }).notNull(),
  fee: numeric("fee", { precision: 78, scale: 0 }).notNull(),
  pointsToRedeem: numeric("points_to_redeem", { precision: 78, scale: 0 }).notNull().default("0"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  signerAddress: text("signer_address").notNull(),
  signature: text("signature").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

// lib/db/migrations/0012_checkout_completeness.sql.
export const pointsRedemptionStatuses = ["pending", "burned", "burn_failed", "remint_due", "reminted"] as const;
export type PointsRedemptionStatus = (typeof pointsRedemptionStatuses)[number];

export const pointsRedemptions = commerce.table("points_redemptions", {
  orderId: uuid("order_id")
    .primaryKey()
    .references(() => orders.id, { onDelete: "cascade" }),
  chainId: integer("chain_id").notNull(),
  pointsAddress: text("points_address").notNull(),
  holder: text("holder").notNull(),
  amount: numeric("amount", { precision: 78, scale: 0 }).notNull(),
  consentDeadline: timestamp("consent_deadline", { withTimezone: true }).notNull(),
  consentSignature: text("consent_signature").notNull(),
  status: text("status", { enum: pointsRedemptionStatuses }).notNull().default("pending"),
  burnTxHash: text("burn_tx_hash"),
  burnedAt: timestamp("burned_at", { withTimezone: true }),
  remintReason: text("remint_reason"),
  remintTxHash: text("remint_tx_hash"),
  remintedAt: timestamp("reminted_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const orderDeliveries = commerce.table("order_deliveries", {
  orderId: uuid("order_id")
    .primaryKey()
    .references(() => orders.id, { onDelete: "cascade" }),
  option: text("option").notNull(),
  feeMinor: bigint("fee_minor", { mode: "bigint" }).notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  carbonGrams: integer("carbon_grams").notNull(),
  offsetMinor: bigint("offset_minor", { mode: "bigint" }),
  routeKm: doublePrecision("route_km").notNull(),
  estimatedHours: doublePrecision("estimated_hours").notNull(),
  droneRegion: text("drone_region"),
  originLabel: text("origin_label").notNull(),
  destinationLabel: text("destination_label").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
