// Drizzle mirror of the tables lib/db/migrations/0004_auth.sql adds (the SQL is the source of truth).
import { integer, text, timestamp } from "drizzle-orm/pg-core";
import { commerce } from "../db/schema.ts";

export const authRateLimits = commerce.table("auth_rate_limits", {
  bucket: text("bucket").primaryKey(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  hits: integer("hits").notNull(),
});
