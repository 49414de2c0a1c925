// Drizzle mirror of the tables lib/db/migrations/0014_influencers.sql adds to the commerce schema.
import { integer, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, orders, products, sellers, users } from "../db/schema.ts";

export const creatorProfiles = commerce.table("creator_profiles", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id")
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  handle: text("handle").notNull().unique(),
  displayName: text("display_name").notNull(),
  bio: text("bio").notNull().default(""),
  payoutAddress: text("payout_address").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const creatorPicks = commerce.table(
  "creator_picks",
  {
    creatorId: uuid("creator_id")
      .notNull()
      .references(() => creatorProfiles.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    note: text("note").notNull().default(""),
    position: integer("position").notNull(),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.creatorId, t.productId] })],
);

export const creatorCommissionTerms = commerce.table("creator_commission_terms", {
  sellerId: uuid("seller_id")
    .primaryKey()
    .references(() => sellers.id, { onDelete: "cascade" }),
  commissionBps: integer("commission_bps").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const creatorReferrals = commerce.table("creator_referrals", {
  id: uuid("id").primaryKey().defaultRandom(),
  visitorId: text("visitor_id").notNull(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
  creatorId: uuid("creator_id")
    .notNull()
    .references(() => creatorProfiles.id, { onDelete: "cascade" }),
  productId: uuid("product_id")
    .notNull()
    .references(() => products.id, { onDelete: "cascade" }),
  clickedAt: timestamp("clicked_at", { withTimezone: true }).notNull().defaultNow(),
});

export const creatorOrderAttributions = commerce.table("creator_order_attributions", {
  orderId: uuid("order_id")
    .primaryKey()
    .references(() => orders.id, { onDelete: "cascade" }),
  creatorId: uuid("creator_id")
    .notNull()
    .references(() => creatorProfiles.id, { onDelete: "cascade" }),
  referralId: uuid("referral_id").references(() => creatorReferrals.id, { onDelete: "set null" }),
  affiliateAddress: text("affiliate_address").notNull(),
  commissionBps: integer("commission_bps").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type CreatorProfileRow = typeof creatorProfiles.$inferSelect;
