// Drizzle mirror of the tables lib/db/migrations/0013_gamification.sql adds to the commerce schema.
import { bigint, integer, numeric, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, users } from "../db/schema.ts";

export const rewardKinds = ["review_points", "referral_points", "badge"] as const;
export type RewardKind = (typeof rewardKinds)[number];
export const rewardStatuses = ["pending", "submitted", "confirmed"] as const;
export type RewardStatus = (typeof rewardStatuses)[number];
export const leaderboardPeriods = ["month", "all"] as const;
export type LeaderboardPeriod = (typeof leaderboardPeriods)[number];

export const referralCodes = commerce.table("referral_codes", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  code: text("code").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const referrals = commerce.table("referrals", {
  refereeUserId: uuid("referee_user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  referrerUserId: uuid("referrer_user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  code: text("code").notNull(),
  attachedAt: timestamp("attached_at", { withTimezone: true }).notNull().defaultNow(),
});

export const rewardAwards = commerce.table("reward_awards", {
  awardKey: text("award_key").primaryKey(),
  kind: text("kind", { enum: rewardKinds }).notNull(),
  recipient: text("recipient").notNull(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  points: numeric("points", { precision: 78, scale: 0 }),
  badgeId: integer("badge_id"),
  reason: text("reason").notNull(),
  status: text("status", { enum: rewardStatuses }).notNull().default("pending"),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
  sender: text("sender"),
  txNonce: bigint("tx_nonce", { mode: "number" }),
  txHash: text("tx_hash"),
  rawTx: text("raw_tx"),
  blockNumber: bigint("block_number", { mode: "bigint" }),
  lastError: text("last_error"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
});

export const leaderboardEntries = commerce.table(
  "leaderboard_entries",
  {
    period: text("period", { enum: leaderboardPeriods }).notNull(),
    address: text("address").notNull(),
    rank: integer("rank").notNull(),
    points: numeric("points", { precision: 78, scale: 0 }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.period, table.address] })],
);

export const leaderboardRefreshes = commerce.table("leaderboard_refreshes", {
  period: text("period", { enum: leaderboardPeriods }).primaryKey(),
  periodStart: timestamp("period_start", { withTimezone: true }),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull(),
});
