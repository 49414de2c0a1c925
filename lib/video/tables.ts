// Drizzle mirror of the video tables lib/db/migrations/0015_video_live.sql adds to the commerce schema.
import { doublePrecision, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, products, sellers } from "../db/schema.ts";

export const videos = commerce.table("videos", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  sellerId: uuid("seller_id")
    .notNull()
    .references(() => sellers.id, { onDelete: "cascade" }),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  sourceUrl: text("source_url").notNull(),
  posterUrl: text("poster_url"),
  durationSeconds: doublePrecision("duration_seconds").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const videoPlacements = commerce.table("video_placements", {
  id: uuid("id").primaryKey().defaultRandom(),
  videoId: uuid("video_id")
    .notNull()
    .references(() => videos.id, { onDelete: "cascade" }),
  productId: uuid("product_id")
    .notNull()
    .references(() => products.id, { onDelete: "cascade" }),
  startSeconds: doublePrecision("start_seconds").notNull(),
  endSeconds: doublePrecision("end_seconds").notNull(),
  label: text("label").notNull(),
});

export type VideoRow = typeof videos.$inferSelect;
export type VideoPlacementRow = typeof videoPlacements.$inferSelect;
