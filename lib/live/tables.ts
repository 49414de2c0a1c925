// Drizzle mirror of the live-event tables lib/db/migrations/0015_video_live.sql adds to the commerce schema.
import { bigserial, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, products, sellers, users } from "../db/schema.ts";

export const liveEventStatuses = ["live", "ended"] as const;
export type LiveEventStatus = (typeof liveEventStatuses)[number];

export const liveEvents = commerce.table("live_events", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  sellerId: uuid("seller_id")
    .notNull()
    .references(() => sellers.id, { onDelete: "cascade" }),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  sourceUrl: text("source_url").notNull(),
  posterUrl: text("poster_url"),
  status: text("status", { enum: liveEventStatuses }).notNull().default("live"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  endedAt: timestamp("ended_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const livePins = commerce.table(
  "live_pins",
  {
    eventId: uuid("event_id")
      .notNull()
      .references(() => liveEvents.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    pinnedBy: uuid("pinned_by").references(() => users.id, { onDelete: "set null" }),
    pinnedAt: timestamp("pinned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.productId] })],
);

export const liveChatMessages = commerce.table("live_chat_messages", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  eventId: uuid("event_id")
    .notNull()
    .references(() => liveEvents.id, { onDelete: "cascade" }),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  clientMessageId: uuid("client_message_id").notNull(),
  body: text("body").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type LiveEventRow = typeof liveEvents.$inferSelect;
