// Drizzle mirror of the tables lib/db/migrations/0005_orders.sql adds to the commerce schema.
import { integer, numeric, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
