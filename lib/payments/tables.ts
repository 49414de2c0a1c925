// Drizzle mirror of the tables lib/db/migrations/0006_subscriptions.sql adds to the commerce schema
// (kept here, beside the only code that writes them; test/commerce/payments/subscriptions.test.ts
// checks every column against the database).
import { text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, orders, payments } from "../db/schema.ts";

export const subscriptionStatuses = ["active", "past_due", "canceled"] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export const subscriptions = commerce.table("subscriptions", {
  orderId: uuid("order_id")
    .primaryKey()
    .references(() => orders.id, { onDelete: "cascade" }),
  provider: text("provider").notNull(),
  providerSubscriptionId: text("provider_subscription_id").notNull(),
  status: text("status", { enum: subscriptionStatuses }).notNull(),
  paidThrough: timestamp("paid_through", { withTimezone: true }),
  canceledAt: timestamp("canceled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const subscriptionRenewals = commerce.table("subscription_renewals", {
  paymentId: uuid("payment_id")
    .primaryKey()
    .references(() => payments.id, { onDelete: "cascade" }),
  orderId: uuid("order_id")
    .notNull()
    .references(() => subscriptions.orderId, { onDelete: "cascade" }),
  periodStart: timestamp("period_start", { withTimezone: true }),
  periodEnd: timestamp("period_end", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** lib/db/migrations/0012_checkout_completeness.sql: what holds the money of a payment created as another object. */
export const paymentCaptures = commerce.table("payment_captures", {
  paymentId: uuid("payment_id")
    .primaryKey()
    .references(() => payments.id, { onDelete: "cascade" }),
  provider: text("provider").notNull(),
  captureId: text("capture_id").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
